#!/usr/bin/env python3
"""Loopback load generator for Tripline's POST /ingest.

  loadgen.py prepare --input ct.ndjson --out DIR [--body-size 1M] [--gzip]
      Cuts the NDJSON file into bodies of about --body-size on line boundaries and writes DIR/index.json
      (offset, length, lines of each body; the bodies stay in the input file). With --gzip it also
      writes DIR/bodies.gz (one gzip member per body) and DIR/index-gzip.json.

  loadgen.py run --target 127.0.0.1:9880 --prepared DIR [--phases full,100,200,400] [--duration 10]
                 [--connections 4] [--server-pid PID] [--token T] [--gzip] [--json-out FILE]
      Runs each phase in turn: "full" posts back to back on every connection; a number is a fixed offered
      rate in MB/s (10^6 bytes of uncompressed NDJSON per second), paced by a shared schedule. After each
      phase it polls /metrics until tripline_events_read_total{input="http"} stops rising and checks that
      it rose by exactly the number of lines in the bodies answered 2xx. Prints a table.

Each connection is a thread with a raw keep-alive socket; a body is sent straight from the page cache
(memoryview of an mmap), so the client costs little CPU per byte. `stub_sink.py --drain-rate 0` gives
the client's own ceiling on this machine (see README.md).
"""
import argparse
import gzip
import json
import mmap
import os
import socket
import sys
import threading
import time
import urllib.request

MB = 1_000_000


def parse_size(text):
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(float(text.rstrip("KMG")) * mult)


# ---------------------------------------------------------------- prepare

def prepare(args):
    os.makedirs(args.out, exist_ok=True)
    target = parse_size(args.body_size)
    index = []
    with open(args.input, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        n, off = len(mm), 0
        while off < n:
            end = min(off + target, n)
            if end < n:
                nl = mm.find(b"\n", end - 1)
                end = n if nl < 0 else nl + 1
            lines = mm.count(b"\n", off, end) if hasattr(mm, "count") else mm[off:end].count(b"\n")
            if end == n and mm[n - 1:n] != b"\n":
                lines += 1
            index.append([off, end - off, lines])
            off = end
    meta = {"input": os.path.abspath(args.input), "bodies": index,
            "bytes": sum(b[1] for b in index), "lines": sum(b[2] for b in index)}
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump(meta, f)
    print(f"{len(index)} bodies, {meta['bytes']} bytes, {meta['lines']} lines -> {args.out}/index.json")
    if args.gzip:
        gz_index, pos = [], 0
        with open(args.input, "rb") as f, open(os.path.join(args.out, "bodies.gz"), "wb") as out:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            for off, length, lines in index:
                member = gzip.compress(mm[off:off + length], compresslevel=args.gzip_level, mtime=0)
                out.write(member)
                gz_index.append([pos, len(member), lines, length])
                pos += len(member)
        meta_gz = {"input": os.path.abspath(os.path.join(args.out, "bodies.gz")), "bodies": gz_index,
                   "bytes": meta["bytes"], "lines": meta["lines"], "gzip": True}
        with open(os.path.join(args.out, "index-gzip.json"), "w") as f:
            json.dump(meta_gz, f)
        print(f"gzip: {pos} bytes ({pos / meta['bytes']:.1%}) -> {args.out}/bodies.gz")


# ---------------------------------------------------------------- HTTP

class Conn:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = None
        self.buf = bytearray()

    def connect(self):
        self.close()
        self.sock = socket.create_connection((self.host, self.port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None

    def request(self, head, body):
        """Sends one request and reads the response: (status, headers dict, body bytes)."""
        if self.sock is None:
            self.connect()
        self.sock.sendall(head)
        if body is not None:
            self.sock.sendall(body)
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed before the response")
            self.buf += chunk
        end = self.buf.index(b"\r\n\r\n")
        lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        del self.buf[:end + 4]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length", "0"))
        if "chunked" in headers.get("transfer-encoding", "").lower():
            payload = self._read_chunked()
        else:
            while len(self.buf) < length:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("connection closed inside the response body")
                self.buf += chunk
            payload = bytes(self.buf[:length])
            del self.buf[:length]
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, payload

    def _read_chunked(self):
        out = bytearray()
        while True:
            while b"\r\n" not in self.buf:
                self.buf += self.sock.recv(65536)
            i = self.buf.index(b"\r\n")
            n = int(bytes(self.buf[:i]).split(b";")[0], 16)
            del self.buf[:i + 2]
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            out += self.buf[:n]
            del self.buf[:n + 2]
            if n == 0:
                return bytes(out)


def http_get(target, path, timeout=10):
    with urllib.request.urlopen(f"http://{target}{path}", timeout=timeout) as r:
        return r.status, r.read()


def events_read(target):
    try:
        _, text = http_get(target, "/metrics")
    except Exception:
        return None
    # A labelled counter may appear only after its first event: absent means 0.
    total = 0
    for line in text.decode().splitlines():
        if line.startswith("tripline_events_read_total{") and 'input="http"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def wait_drained(target, settle=3.0, limit=300.0):
    """Polls /metrics until the HTTP input's event count has not changed for `settle` seconds."""
    start = time.monotonic()
    last, since = events_read(target), time.monotonic()
    while time.monotonic() - start < limit:
        time.sleep(0.25)
        now = events_read(target)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            break
    return last, time.monotonic() - start


# ---------------------------------------------------------------- RSS sampling

class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.max_rss, self.stop = pid, 0, threading.Event()

    def read(self, key):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def run(self):
        while not self.stop.wait(0.2):
            self.max_rss = max(self.max_rss, self.read("VmRSS"))


# ---------------------------------------------------------------- one phase

class Phase:
    def __init__(self, name, rate_mbps, meta, data, args):
        self.name, self.rate, self.meta, self.data, self.args = name, rate_mbps, meta, data, args
        self.lock = threading.Lock()
        self.next_body = 0
        self.next_time = 0.0
        self.codes = {}
        self.errors = 0
        self.sent_raw = 0              # uncompressed bytes of the bodies sent
        self.sent_wire = 0
        self.acc_raw = 0               # uncompressed bytes answered 2xx
        self.acc_lines = 0
        self.reported_accepted = 0     # sum of {"accepted":N}
        self.latencies = []
        self.late = 0                  # rate mode: starts more than 100 ms behind the schedule
        self.retry_after = {}

    def take(self, t0, deadline):
        with self.lock:
            now = time.monotonic()
            if now >= deadline:
                return None
            bodies = self.meta["bodies"]
            b = bodies[self.next_body % len(bodies)]
            self.next_body += 1
            when = None
            if self.rate:
                raw = b[3] if len(b) > 3 else b[1]
                when = t0 + self.next_time
                self.next_time += raw / (self.rate * MB)
                if when >= deadline:
                    return None
            return b, when

    def worker(self, host, port, t0, deadline):
        conn = Conn(host, port)
        gz = self.meta.get("gzip", False)
        token = self.args.token
        while True:
            job = self.take(t0, deadline)
            if job is None:
                break
            b, when = job
            if when is not None:
                delay = when - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -0.1:
                    with self.lock:
                        self.late += 1
            off, length, lines = b[0], b[1], b[2]
            raw = b[3] if len(b) > 3 else length
            head = (f"POST /ingest HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/x-ndjson\r\n"
                    f"Content-Length: {length}\r\nUser-Agent: tripline-loadgen\r\n"
                    + ("Content-Encoding: gzip\r\n" if gz else "")
                    + (f"Authorization: Bearer {token}\r\n" if token else "") + "\r\n").encode()
            start = time.monotonic()
            try:
                status, headers, payload = conn.request(head, self.data[off:off + length])
            except (OSError, ConnectionError, ValueError, IndexError):
                conn.close()
                with self.lock:
                    self.errors += 1
                    self.sent_raw += raw
                    self.sent_wire += length
                continue
            took = time.monotonic() - start
            with self.lock:
                self.codes[status] = self.codes.get(status, 0) + 1
                self.sent_raw += raw
                self.sent_wire += length
                self.latencies.append(took)
                if 200 <= status < 300:
                    self.acc_raw += raw
                    self.acc_lines += lines
                    try:
                        self.reported_accepted += int(json.loads(payload).get("accepted", 0))
                    except (ValueError, AttributeError):
                        pass
                elif "retry-after" in headers:
                    self.retry_after[headers["retry-after"]] = self.retry_after.get(headers["retry-after"], 0) + 1
            if not (200 <= status < 300) and self.args.backoff and not self.rate:
                # full-speed phase with --backoff: behave like a collector and wait as told
                try:
                    time.sleep(min(float(headers.get("retry-after", "1")), 5.0))
                except ValueError:
                    time.sleep(1.0)
        conn.close()

    def run(self, host, port):
        t0 = time.monotonic()
        deadline = t0 + self.args.duration
        cpu0 = time.process_time()
        threads = [threading.Thread(target=self.worker, args=(host, port, t0, deadline))
                   for _ in range(self.args.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.seconds = time.monotonic() - t0
        self.client_cpu = time.process_time() - cpu0


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def run(args):
    host, _, port = args.target.rpartition(":")
    port = int(port)
    meta_path = os.path.join(args.prepared, "index-gzip.json" if args.gzip else "index.json")
    with open(meta_path) as f:
        meta = json.load(f)
    fd = os.open(meta["input"], os.O_RDONLY)
    mm = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    data = memoryview(mm)
    sampler = RssSampler(args.server_pid) if args.server_pid else None
    if sampler:
        sampler.start()
    results = []
    for name in args.phases.split(","):
        rate = 0.0 if name == "full" else float(name)
        base, _ = wait_drained(args.target, settle=1.0, limit=60)
        ph = Phase(name, rate, meta, data, args)
        ph.run(host, port)
        sent_mbps = ph.sent_raw / ph.seconds / MB
        acc_mbps = ph.acc_raw / ph.seconds / MB
        final, drain_s = wait_drained(args.target, settle=args.settle)
        counted = None if final is None or base is None else final - base
        r = {
            "phase": name if name == "full" else f"{name} MB/s",
            "connections": args.connections, "seconds": round(ph.seconds, 2),
            "sent_MBps": round(sent_mbps, 1), "accepted_MBps": round(acc_mbps, 1),
            "codes": {str(k): v for k, v in sorted(ph.codes.items())}, "conn_errors": ph.errors,
            "late_starts": ph.late, "p50_ms": round(pct(ph.latencies, 50) * 1000, 1),
            "p99_ms": round(pct(ph.latencies, 99) * 1000, 1),
            "accepted_lines": ph.acc_lines, "reported_accepted": ph.reported_accepted,
            "server_counted": counted, "drain_wait_s": round(drain_s, 1),
            "counts_match": counted == ph.acc_lines,
            "client_cpu_s": round(ph.client_cpu, 2),
            "server_rss_max_MiB": round(sampler.max_rss / 2**20, 1) if sampler else None,
            "retry_after": ph.retry_after,
        }
        results.append(r)
        print(json.dumps(r), flush=True)
    hwm = sampler.read("VmHWM") if sampler else 0
    if sampler:
        sampler.stop.set()
    print_table(results, hwm, meta, args)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"phases": results, "server_VmHWM_bytes": hwm}, f, indent=2)
    return 0 if all(r["counts_match"] for r in results) else 1


def print_table(results, hwm, meta, args):
    print()
    print(f"bodies: {len(meta['bodies'])} x ~{meta['bytes'] // len(meta['bodies']) / 2**20:.2f} MiB"
          f"{' (gzip)' if meta.get('gzip') else ''}, {args.connections} connections, {args.duration:g} s per phase")
    cols = ["phase", "sent MB/s", "2xx MB/s", "responses", "errors", "late", "p50 ms", "p99 ms",
            "lines 2xx", "server counted", "match"]
    rows = []
    for r in results:
        codes = " ".join(f"{k}:{v}" for k, v in r["codes"].items())
        rows.append([r["phase"], f"{r['sent_MBps']:.1f}", f"{r['accepted_MBps']:.1f}", codes, str(r["conn_errors"]),
                     str(r["late_starts"]), f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}", str(r["accepted_lines"]),
                     str(r["server_counted"]), "yes" if r["counts_match"] else "NO"])
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths)))
    if hwm:
        print(f"server peak RSS (VmHWM): {hwm / 2**20:.1f} MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--input", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--body-size", default="1M")
    p.add_argument("--gzip", action="store_true")
    p.add_argument("--gzip-level", type=int, default=1)
    r = sub.add_parser("run")
    r.add_argument("--target", default="127.0.0.1:9880")
    r.add_argument("--prepared", required=True)
    r.add_argument("--phases", default="full,100,200,400")
    r.add_argument("--duration", type=float, default=10.0)
    r.add_argument("--connections", type=int, default=4)
    r.add_argument("--server-pid", type=int, default=0)
    r.add_argument("--token", default=os.environ.get("TRIPLINE_INGEST_TOKEN"))
    r.add_argument("--gzip", action="store_true", help="send the gzip bodies (Content-Encoding: gzip)")
    r.add_argument("--backoff", action="store_true", help="full-speed phases sleep Retry-After after a 429/503")
    r.add_argument("--settle", type=float, default=3.0, help="seconds without change that count as drained")
    r.add_argument("--json-out")
    args = ap.parse_args()
    if args.cmd == "prepare":
        prepare(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

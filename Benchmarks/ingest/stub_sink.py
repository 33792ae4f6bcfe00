#!/usr/bin/env python3
"""A stand-in for `tripline run --listen`: answers POST /ingest like the sidecar contract, so the load
generator (loadgen.py) and run.sh can be tested without Tripline, and so the load generator's own
ceiling can be measured against a sink that does almost nothing (--drain-rate 0).

Contract it mimics:
- POST /ingest: 401 + WWW-Authenticate: Bearer for a missing/wrong token (when --token is set);
  413 beyond --max-body-size; 400 for a gzip body that cannot be decompressed; 429 + Retry-After when
  the simulated spool is full; 503 + Retry-After while --starting-seconds has not elapsed; else 200
  {"accepted":N} (N = non-empty lines; arrays and envelopes are not split here).
- A "spool" of --spool-limit bytes that a background drainer empties at --drain-rate bytes/s; events
  are counted in tripline_events_read_total{input="http"} only when drained, so a client must poll
  /metrics until the count stops rising, as with the real server.
- GET /healthz, /readyz, /metrics (Prometheus text: the metric names of the contract that apply).

usage: stub_sink.py --port 9880 [--drain-rate 150M] [--spool-limit 64M] [--token T] [--max-body-size 10M]
"""
import argparse
import gzip
import http.server
import socket
import socketserver
import threading
import time
import zlib


def size(text):
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(float(text.rstrip("KMG")) * mult)


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.spooled_bytes = 0          # bytes accepted, not yet drained
        self.spooled_events = 0
        self.events_read = 0            # drained = "read" by the pipeline
        self.bytes_total = 0
        self.codes = {}
        self.started = time.monotonic()

    def drain_loop(self):
        rate = self.args.drain_rate
        last = time.monotonic()
        while True:
            time.sleep(0.01)
            now = time.monotonic()
            with self.lock:
                if self.spooled_bytes == 0:
                    last = now
                    continue
                budget = self.spooled_bytes if rate <= 0 else int((now - last) * rate)
                if budget <= 0:
                    continue
                last = now
                take = min(budget, self.spooled_bytes)
                # Events leave the spool in proportion to the bytes drained.
                ev = self.spooled_events if take == self.spooled_bytes else self.spooled_events * take // self.spooled_bytes
                self.spooled_bytes -= take
                self.spooled_events -= ev
                self.events_read += ev


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State = None

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add 40 ms a request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.command == "POST" and self.path.split("?")[0] == "/ingest":
            with self.state.lock:
                self.state.codes[code] = self.state.codes.get(code, 0) + 1

    def do_GET(self):
        st = self.state
        path = self.path.split("?")[0]
        if path == "/healthz":
            self.reply(200, b"ok\n")
        elif path == "/readyz":
            starting = time.monotonic() - st.started < st.args.starting_seconds
            self.reply(503 if starting else 200, b"starting\n" if starting else b"ready\n")
        elif path == "/metrics":
            with st.lock:
                lines = [
                    "# TYPE tripline_events_read_total counter",
                    f'tripline_events_read_total{{input="http"}} {st.events_read}',
                    "# TYPE tripline_ingest_bytes_total counter",
                    f"tripline_ingest_bytes_total {st.bytes_total}",
                    "# TYPE tripline_ingest_requests_total counter",
                ] + [f'tripline_ingest_requests_total{{code="{c}"}} {n}' for c, n in sorted(st.codes.items())] + [
                    "# TYPE tripline_spool_bytes gauge",
                    f"tripline_spool_bytes {st.spooled_bytes}",
                ]
            self.reply(200, ("\n".join(lines) + "\n").encode(), [("Content-Type", "text/plain; version=0.0.4")])
        else:
            self.reply(404, b"not found\n")

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        st, args = self.state, self.state.args
        length = int(self.headers.get("Content-Length") or 0)
        if self.path.split("?")[0] != "/ingest":
            self.rfile.read(length)
            return self.reply(404, b"not found\n")
        if args.token and self.headers.get("Authorization") != f"Bearer {args.token}":
            self.rfile.read(length)
            return self.reply(401, b'{"error":"unauthorized"}\n', [("WWW-Authenticate", "Bearer")])
        if length > args.max_body_size:
            # Refuse without reading the body, and close: the client must not keep sending it.
            self.close_connection = True
            return self.reply(413, b'{"error":"body too large"}\n', [("Connection", "close")])
        body = bytearray(length)
        view, got = memoryview(body), 0
        while got < length:
            n = self.rfile.readinto(view[got:])
            if not n:
                return
            got += n
        if time.monotonic() - st.started < args.starting_seconds:
            return self.reply(503, b'{"error":"starting"}\n', [("Retry-After", "1")])
        if self.headers.get("Content-Encoding", "").lower() == "gzip" or body[:2] == b"\x1f\x8b":
            try:
                body = bytearray(gzip.decompress(body))
            except (OSError, EOFError, zlib.error):
                return self.reply(400, b'{"error":"corrupt gzip"}\n')
        events = body.count(b"\n") + (1 if body and not body.endswith(b"\n") else 0)
        with st.lock:
            full = st.spooled_bytes + len(body) > args.spool_limit
            if not full:
                st.spooled_bytes += len(body)
                st.spooled_events += events
                st.bytes_total += length
        if full:
            return self.reply(429, b'{"error":"spool full"}\n', [("Retry-After", "1")])
        self.reply(200, b'{"accepted":%d}\n' % events, [("Content-Type", "application/json")])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9880)
    ap.add_argument("--drain-rate", type=size, default=size("150M"), help="bytes/s the spool drains (0 = instantly)")
    ap.add_argument("--spool-limit", type=size, default=size("64M"))
    ap.add_argument("--max-body-size", type=size, default=size("10M"))
    ap.add_argument("--token", default=None)
    ap.add_argument("--starting-seconds", type=float, default=0.0, help="answer 503 for this long after start")
    args = ap.parse_args()
    Handler.state = State(args)
    threading.Thread(target=Handler.state.drain_loop, daemon=True).start()
    srv = Server((args.host, args.port), Handler)
    print(f"stub_sink listening on {args.host}:{args.port}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

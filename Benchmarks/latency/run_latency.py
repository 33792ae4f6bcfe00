#!/usr/bin/env python3
"""Latency of `tripline run`: from writing the line that crosses a Sum >= 1 alarm's threshold to
its notification on stdout.

Starts `tripline run` on a pipe with a one-filter config, then repeats: write one matching event
(event time = now), time until the ALARM notification line arrives on stdout, force the alarm back
to OK with `tripline alarm set-state` (applied by the running process within 250 ms), wait for
that OK notification. Prints p50/p90/p99/max in milliseconds.
usage: run_latency.py TRIPLINE_BINARY [SAMPLES]
"""
import json, os, select, subprocess, sys, tempfile, time
from datetime import datetime, timezone

binary = sys.argv[1]
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 200
work = tempfile.mkdtemp(prefix="tripline-latency-")
config = os.path.join(work, "config.yaml")
with open(config, "w") as out:
    out.write("""
metricFilters:
  - filterName: stop-logging
    filterPattern: '{ $.eventName = "StopLogging" }'
    metricTransformations: [{metricName: StopLogging, metricNamespace: Latency, metricValue: "1"}]
MetricAlarms:
  - AlarmName: stop-logging
    MetricName: StopLogging
    Namespace: Latency
    Statistic: Sum
    Period: 60
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold
    TreatMissingData: notBreaching
    AlarmActions: [out]
    OKActions: [out]
Destinations:
  out: {Type: stdout}
""")
state = os.path.join(work, "state")
proc = subprocess.Popen([binary, "run", "--config", config, "--state-dir", state],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
buffer = b""

def read_line(timeout):
    global buffer
    deadline = time.monotonic() + timeout
    while b"\n" not in buffer:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            buffer += chunk
    line, buffer = buffer.split(b"\n", 1)
    return json.loads(line)

time.sleep(0.5)
latencies = []
for n in range(samples):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = json.dumps({"eventVersion": "1.08", "eventTime": now, "eventSource": "cloudtrail.amazonaws.com",
                        "eventName": "StopLogging", "eventID": f"e{n}"}, separators=(",", ":")) + "\n"
    start = time.perf_counter()
    proc.stdin.write(event.encode())
    message = read_line(5)
    elapsed = time.perf_counter() - start
    if message is None or message.get("NewStateValue") != "ALARM":
        print(f"sample {n}: no ALARM notification (got {message})", file=sys.stderr)
        break
    latencies.append(elapsed * 1000)
    subprocess.run([binary, "alarm", "set-state", "stop-logging", "OK", "--reason", "reset for the next sample",
                    "--state-dir", state], check=True)
    reset = read_line(5)
    if reset is None or reset.get("NewStateValue") != "OK":
        print(f"sample {n}: the alarm did not return to OK (got {reset})", file=sys.stderr)
        break
proc.stdin.close()
proc.wait(timeout=30)
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]
if latencies:
    print(f"{len(latencies)} samples: p50 {pct(50):.2f} ms, p90 {pct(90):.2f} ms, p99 {pct(99):.2f} ms, max {latencies[-1]:.2f} ms")
sys.exit(0 if len(latencies) == samples else 1)

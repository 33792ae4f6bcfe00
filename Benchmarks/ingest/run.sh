#!/usr/bin/env bash
# Loopback load benchmark of POST /ingest: starts `tripline run --listen` on a free port with both packs,
# posts ~1 MiB NDJSON bodies at full speed and at fixed offered rates, checks that every line answered
# 2xx was counted (tripline_events_read_total{input="http"}), prints a table, stops the server (SIGTERM).
#
# usage: Benchmarks/ingest/run.sh [TRIPLINE_BINARY]        (default: .build/release/tripline; not built here)
# env:   PHASES=full,100,200,400   DURATION=10 (s per phase)   CONNECTIONS=4   SIZE=256M   GZIP=0|1
#        WORK=/tmp/tripline-ingest-bench   STUB=1 (use stub_sink.py instead of tripline, to test the harness)
#        SERVER_ARGS="..." (extra `tripline run` options, e.g. --spool-limit 64MiB)
# Needs: python3 (standard library only). Exit status 1 if a phase's counts do not match.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared="$repo/../shared"
bin=${1:-$repo/.build/release/tripline}
work=${WORK:-/tmp/tripline-ingest-bench}
size=${SIZE:-256M}
phases=${PHASES:-full,100,200,400}
duration=${DURATION:-10}
connections=${CONNECTIONS:-4}
mkdir -p "$work"
stream="$work/ct-$size.ndjson"
prepared="$work/prepared-$size"

[ -f "$stream" ] || python3 "$shared/tools/gen_cloudtrail.py" --seed 1 --size "$size" -o "$stream"
[ -f "$prepared/index.json" ] || python3 "$here/loadgen.py" prepare --input "$stream" --out "$prepared" --gzip
cat "$stream" > /dev/null   # warm the page cache

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state=$(mktemp -d "$work/state.XXXXXX")
export TRIPLINE_INGEST_TOKEN
TRIPLINE_INGEST_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
log="$work/server.log"

if [ "${STUB:-0}" = 1 ]; then
    # shellcheck disable=SC2086  # STUB_ARGS holds several options
    python3 "$here/stub_sink.py" --port "$port" --token "$TRIPLINE_INGEST_TOKEN" ${STUB_ARGS:-} > "$log" 2>&1 < /dev/null &
    what="stub_sink.py ${STUB_ARGS:-}"
else
    [ -x "$bin" ] || { echo "no tripline binary at $bin (build it: swift build -c release --product tripline)" >&2; exit 2; }
    # shellcheck disable=SC2086
    "$bin" run --config "$repo/Filters" --listen "127.0.0.1:$port" --state-dir "$state" \
        --log-format text ${SERVER_ARGS:-} > "$log" 2>&1 < /dev/null &
    what="$bin run --config Filters/ --listen 127.0.0.1:$port --state-dir $state ${SERVER_ARGS:-}"
fi
server=$!
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if kill -0 "$server" 2> /dev/null; then kill -KILL "$server" 2> /dev/null || true; fi
    rm -rf "$state"
}
trap cleanup EXIT

echo "server: $what (pid $server)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 600); do
    if ! kill -0 "$server" 2> /dev/null; then echo "server exited during start-up:" >&2; tail -20 "$log" >&2; exit 1; fi
    code=$(python3 - "$port" <<'PY'
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print(0)
PY
)
    [ "$code" = 200 ] && break
    sleep 0.1
done
[ "$code" = 200 ] || { echo "server not ready after 60 s (last /readyz: $code)" >&2; tail -20 "$log" >&2; exit 1; }

status=0
gzip_flag=()
[ "${GZIP:-0}" = 1 ] && gzip_flag=(--gzip)
python3 "$here/loadgen.py" run --target "127.0.0.1:$port" --prepared "$prepared" --phases "$phases" \
    --duration "$duration" --connections "$connections" --server-pid "$server" \
    --json-out "$work/results.json" "${gzip_flag[@]}" || status=$?

python3 - "$port" "$work/metrics.txt" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=10).read().decode()
open(sys.argv[2], "w").write(text)
keep = ("tripline_ingest_requests_total", "tripline_ingest_bytes_total", "tripline_events_read_total",
        "tripline_events_malformed_total", "process_resident_memory_bytes")
print("\n/metrics after the run:")
for line in text.splitlines():
    if line.startswith(keep):
        print("  " + line)
PY

start=$(date +%s.%N)
kill -TERM "$server"
for _ in $(seq 1 300); do kill -0 "$server" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$server" 2> /dev/null; then
    echo "server still running 30 s after SIGTERM; killing it" >&2
    status=1
else
    wait "$server" 2> /dev/null && rc=0 || rc=$?
    echo "SIGTERM -> exit $rc in $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
fi
echo "results: $work/results.json, metrics: $work/metrics.txt, server log: $log"
exit $status

#!/usr/bin/env bash
# Throughput and memory of `tripline count` and `tripline backtest` beside the issue's baselines,
# measured in one run on the same generated stream (warm page cache).
# usage: Benchmarks/throughput/run.sh [SIZE] [WORKDIR]      SIZE defaults to 1G (gen_cloudtrail.py --size)
# Needs: jq, python3 with orjson, GNU time. Builds tripline in release mode first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared="$repo/../shared"
size=${1:-1G}
work=${2:-/tmp/tripline-throughput}
mkdir -p "$work"
stream="$work/ct-$size.ndjson"

(cd "$repo" && swift build -c release --product tripline >/dev/null)
bin="$repo/.build/release/tripline"
[ -f "$stream" ] || python3 "$shared/tools/gen_cloudtrail.py" --seed 1 --size "$size" -o "$stream"
cat "$stream" > /dev/null   # warm the page cache
bytes=$(stat -c %s "$stream")

measure() {  # name, command...
    local name=$1; shift
    local start end rss
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || true
    end=$(date +%s.%N)
    rss=$(tail -1 "$work/rss")
    python3 - "$name" "$start" "$end" "$bytes" "$rss" <<'PY'
import sys
name, start, end, size, rss = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
seconds = end - start
print(f"{name:40} {seconds:8.2f} s {size / seconds / 1e6:9.1f} MB/s {rss / 1024:8.1f} MiB peak RSS")
PY
}

echo "stream: $stream ($bytes bytes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "tripline count --threads 1 (33 filters)" "$bin" count --no-progress --threads 1 --config "$repo/Filters" "$stream"
measure "tripline count --threads 2 (33 filters)" "$bin" count --no-progress --threads 2 --config "$repo/Filters" "$stream"
measure "tripline backtest --threads 1" "$bin" backtest --no-progress --threads 1 --config "$repo/Filters" "$stream"
measure "tripline backtest --threads 2" "$bin" backtest --no-progress --threads 2 --config "$repo/Filters" "$stream"
if [ "${SKIP_BASELINES:-}" != 1 ]; then
    measure "jq cis14.jq (14 filters)" jq -n -c -f "$shared/tools/bench/cis14.jq" "$stream"
    measure "python3 py_cis.py orjson (14 filters)" python3 "$shared/tools/bench/py_cis.py" "$stream" --parser orjson --filters 14
fi

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

# Each tripline command runs ROUNDS times (default 3), the commands taking turns, and the median and
# best wall-clock times are printed: on a shared machine one run can be a third slower than the next.
# The baselines run once each (jq alone takes over a minute per GiB).
rounds=${ROUNDS:-3}

run_once() {  # name, command...  -> appends "name<TAB>start<TAB>end<TAB>rss_kib" to $work/results
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || true
    end=$(date +%s.%N)
    printf '%s\t%s\t%s\t%s\n' "$name" "$start" "$end" "$(tail -1 "$work/rss")" >> "$work/results"
}

report() {
    python3 - "$work/results" "$bytes" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, start, end, rss = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(end) - float(start), int(rss)))
size = int(sys.argv[2])
for name, runs in rows.items():
    times = [t for t, _ in runs]
    median, best = statistics.median(times), min(times)
    peak = max(r for _, r in runs) / 1024
    runs_text = f"{len(times)} run{'s' if len(times) > 1 else ''}"
    print(f"{name:40} median {median:6.2f} s {size / median / 1e6:7.1f} MB/s   best {best:6.2f} s "
          f"{size / best / 1e6:7.1f} MB/s   {peak:6.1f} MiB peak RSS   ({runs_text})")
PY
}

echo "stream: $stream ($bytes bytes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$work/results"
for _ in $(seq "$rounds"); do
    run_once "tripline count --threads 1 (33 filters)" "$bin" count --no-progress --threads 1 --config "$repo/Filters" "$stream"
    run_once "tripline count --threads 2 (33 filters)" "$bin" count --no-progress --threads 2 --config "$repo/Filters" "$stream"
    run_once "tripline backtest --threads 1" "$bin" backtest --no-progress --threads 1 --config "$repo/Filters" "$stream"
    run_once "tripline backtest --threads 2" "$bin" backtest --no-progress --threads 2 --config "$repo/Filters" "$stream"
done
if [ "${SKIP_BASELINES:-}" != 1 ]; then
    run_once "jq cis14.jq (14 filters)" jq -n -c -f "$shared/tools/bench/cis14.jq" "$stream"
    run_once "python3 py_cis.py orjson (14 filters)" python3 "$shared/tools/bench/py_cis.py" "$stream" --parser orjson --filters 14
fi
report

#!/bin/sh
# Benchmark `tripline validate-logs` on about 1 GiB (uncompressed) of gzip log files in a signed chain,
# next to `sha256sum` over the same uncompressed bytes (the baseline: SHA-256 alone, one core).
#
#   Benchmarks/validate-logs/run.sh [WORK_DIR] [SIZE_MIB]
#
# Needs Python 3 with `cryptography`, and a release build (`swift build -c release` from the package root,
# or set TRIPLINE to the binary).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/tripline-bench-validate-logs}
size=${2:-1024}
tripline=${TRIPLINE:-$here/../../.build/release/tripline}
[ -x "$tripline" ] || { echo "build first: swift build -c release (or set TRIPLINE=path)" >&2; exit 66; }
if [ ! -f "$work/public-keys.json" ]; then
    python3 "$here/make_bench_trail.py" "$work" --size-mib "$size"
fi
logs=$(find "$work/trail/AWSLogs" -path '*/CloudTrail/*' -name '*.json.gz' | sort)
bytes=$(for f in $logs; do gzip -dc "$f"; done | wc -c)
gz=$(cat $logs | wc -c)
now() { date +%s.%N; }
# Warm the page cache so both runs read from memory.
cat $logs > /dev/null
t0=$(now)
for f in $logs; do gzip -dc "$f"; done > "$work/uncompressed.bin"
t1=$(now)
sha256sum "$work/uncompressed.bin" > /dev/null
t2=$(now)
threads=${THREADS:-$(nproc)}
"$tripline" validate-logs "$work/trail" --public-keys "$work/public-keys.json" \
    --signatures "$work/signatures.json" --threads "$threads" > "$work/report.txt"
t3=$(now)
"$tripline" validate-logs "$work/trail" --public-keys "$work/public-keys.json" \
    --signatures "$work/signatures.json" --threads 1 > /dev/null
t4=$(now)
rm -f "$work/uncompressed.bin"
awk -v b="$bytes" -v gz="$gz" -v g="$t1-$t0" -v s="$t2-$t1" -v v="$t3-$t2" -v v1="$t4-$t3" -v th="$threads" 'BEGIN {
    split(g, G, "-"); split(s, S, "-"); split(v, V, "-"); split(v1, V1, "-");
    gt = G[1] - G[2]; st = S[1] - S[2]; vt = V[1] - V[2]; v1t = V1[1] - V1[2];
    mb = b / 1e6;
    printf "log bytes: %.0f MB uncompressed, %.0f MB gzip\n", mb, gz / 1e6;
    printf "sha256sum (uncompressed, 1 core):       %7.1f s  %7.0f MB/s\n", st, mb / st;
    printf "gzip -dc (decompress only, 1 core):     %7.1f s  %7.0f MB/s\n", gt, mb / gt;
    printf "tripline validate-logs --threads 1:     %7.1f s  %7.0f MB/s\n", v1t, mb / v1t;
    printf "tripline validate-logs --threads %d:     %7.1f s  %7.0f MB/s\n", th, vt, mb / vt;
}'

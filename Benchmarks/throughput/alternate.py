#!/usr/bin/env python3
"""Alternating runs of `tripline count` and `tripline backtest` on the same stream, for the ratio
issue #5 asks for (backtest keeps >= 80 % of count's throughput).

On a shared machine one run of each says little: the host's load moves both by 30 % or more within
minutes. Alternating them, round after round, exposes both to the same conditions; the medians of
wall-clock and CPU time (user + system, which steal time does not inflate) are then compared.

usage: Benchmarks/throughput/alternate.py [--rounds N] [--threads N] [--binary PATH] [--config DIR] STREAM
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("stream")
parser.add_argument("--rounds", type=int, default=8)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--binary", default=os.path.join(repo, ".build/release/tripline"))
parser.add_argument("--config", default=os.path.join(repo, "Filters"))
args = parser.parse_args()
if not os.access(args.binary, os.X_OK):
    sys.exit(f"no tripline binary at {args.binary}: run `swift build -c release --product tripline` first")

size = os.path.getsize(args.stream)
results = {"count": [], "backtest": []}
for _ in range(args.rounds):
    for command in results:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run(
            [args.binary, command, "--no-progress", "--threads", str(args.threads), "--config", args.config, args.stream],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        results[command].append((wall, cpu))

print(f"{size} bytes, {args.rounds} alternating rounds, --threads {args.threads}, load {os.getloadavg()[0]:.2f}")
medians = {}
for command, runs in results.items():
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    medians[command] = (wall, cpu)
    walls = sorted(run[0] for run in runs)
    print(f"{command:9} wall median {wall:6.3f} s ({size / wall / 1e6:6.1f} MB/s, runs {walls[0]:.2f}-{walls[-1]:.2f} s)"
          f"   CPU median {cpu:6.3f} s ({size / cpu / 1e6:6.1f} MB/s)")
print(f"backtest keeps {medians['count'][0] / medians['backtest'][0]:.1%} of count's throughput by wall clock, "
      f"{medians['count'][1] / medians['backtest'][1]:.1%} by CPU time")

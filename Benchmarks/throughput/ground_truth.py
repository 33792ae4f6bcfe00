#!/usr/bin/env python3
"""Check `tripline count` against the generator's ground truth.

Turns ../shared/tools/bench/cis_filters.json into a Tripline config, generates a labelled stream,
runs `tripline count`, and compares each filter's count with the labels (exact equality).
usage: ground_truth.py TRIPLINE_BINARY [EVENTS] [WORKDIR]
"""
import json, os, subprocess, sys
from collections import Counter

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "..", "shared")
binary = sys.argv[1]
events = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
work = sys.argv[3] if len(sys.argv) > 3 else "/tmp/tripline-ground-truth"
os.makedirs(work, exist_ok=True)

filters = json.load(open(os.path.join(shared, "tools/bench/cis_filters.json")))
config = {"metricFilters": [
    {"filterName": f["name"], "filterPattern": f["cloudwatch_filter_pattern"],
     "metricTransformations": [{"metricName": f["name"], "metricNamespace": "GroundTruth", "metricValue": "1"}]}
    for f in filters]}
with open(os.path.join(work, "cis15.json"), "w") as out:
    json.dump(config, out)

stream, labels = os.path.join(work, "stream.ndjson"), os.path.join(work, "labels.tsv")
subprocess.run([sys.executable, os.path.join(shared, "tools/gen_cloudtrail.py"), "-n", str(events), "--seed", "1",
                "--labels", labels, "-o", stream], check=True)
truth = Counter()
for line in open(labels):
    parts = line.rstrip("\n").split("\t")
    if len(parts) >= 2 and parts[1]:
        truth.update(parts[1].split(","))

result = json.loads(subprocess.run([binary, "count", "--no-progress", "--config", os.path.join(work, "cis15.json"), stream],
                                   check=True, capture_output=True).stdout)
bad = 0
for f in filters:
    name = f["name"]
    got, want = result["filters"].get(name), truth.get(name, 0)
    print(f"{name:26} tripline {got:8} ground truth {want:8} {'ok' if got == want else 'DIFFERENT'}")
    bad += got != want
print(f"{result['eventsRead']} events; {len(filters) - bad}/{len(filters)} filters equal to the ground truth")
sys.exit(1 if bad else 0)

#!/usr/bin/env python3
"""Writes the metric filters of Filters/*/filters.yaml in the shape of ../shared/tools/bench/cis_filters.json
(a JSON array of {"name", "cloudwatch_filter_pattern"}), for ScanStages --filters: the 33 filters
`count` runs in the throughput benchmark, timed stage by stage. `${Name}` parameters take their
defaults from the pack's `Parameters`, as `tripline` does when no --parameter overrides them.

usage: Benchmarks/throughput/packs_as_bench_filters.py [OUT]   (default /tmp/tripline-throughput/packs.json; needs PyYAML)
"""
import json
import os
import sys

import yaml

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tripline-throughput/packs.json"
filters = []
for pack in sorted(os.listdir(os.path.join(repo, "Filters"))):
    path = os.path.join(repo, "Filters", pack, "filters.yaml")
    if not os.path.exists(path):
        continue
    with open(path) as f:
        document = yaml.safe_load(f)
    defaults = {name: str(spec.get("Default", "")) for name, spec in (document.get("Parameters") or {}).items()}
    for entry in document.get("metricFilters", []):
        pattern = entry["filterPattern"]
        for name, value in defaults.items():
            pattern = pattern.replace("${" + name + "}", value)
        filters.append({"name": entry["filterName"], "cloudwatch_filter_pattern": pattern})
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w") as f:
    json.dump(filters, f, indent=1)
print(f"{len(filters)} filters -> {out}")

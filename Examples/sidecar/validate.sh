#!/usr/bin/env bash
# Checks the files of this folder with whatever tools the machine has; a missing tool is reported and skipped.
#   Examples/sidecar/validate.sh [TRIPLINE_BINARY]
# Always (python3 + PyYAML): the manifest parses, its ConfigMaps hold the same text as fluent-bit.conf and
# parsers.conf, vector.toml parses. With a tripline binary: the site config in the manifest loads beside the
# packs. Optional: kubernetes-validate (pip), hadolint, shellcheck, fluent-bit --dry-run, vector validate.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/.build/release/tripline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
bad() { echo "FAIL  $1"; failed=$((failed + 1)); }
skip() { echo "skip  $1"; }

if python3 - "$here" "$tmp" <<'PY'
import sys, tomllib, yaml
here, tmp = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(f"{here}/kubernetes.yaml.txt")) if d]
cms = {d["metadata"]["name"]: d["data"] for d in docs if d["kind"] == "ConfigMap"}
for name in ("fluent-bit.conf", "parsers.conf"):
    assert cms["fluent-bit-config"][name] == open(f"{here}/{name}").read(), f"ConfigMap copy of {name} differs"
open(f"{tmp}/site.yaml", "w").write(cms["tripline-config"]["site.yaml"])
tomllib.load(open(f"{here}/vector.toml", "rb"))
print("      kinds:", ", ".join(d["kind"] for d in docs))
PY
then ok "manifest YAML, ConfigMap copies, vector.toml syntax"; else bad "manifest YAML, ConfigMap copies, vector.toml syntax"; fi

if [ -x "$bin" ]; then
    if "$bin" check --config "$repo/Filters" --config "$tmp/site.yaml" > /dev/null; then ok "tripline check: packs + site.yaml"
    else bad "tripline check: packs + site.yaml"; fi
else skip "tripline check (no binary at $bin)"; fi

if command -v kubernetes-validate > /dev/null; then
    cp "$here/kubernetes.yaml.txt" "$tmp/manifest.yaml"
    if kubernetes-validate --strict --quiet "$tmp/manifest.yaml"; then ok "kubernetes-validate --strict"
    else bad "kubernetes-validate --strict"; fi
else skip "kubernetes-validate (pip install kubernetes-validate)"; fi

if command -v hadolint > /dev/null; then
    if hadolint "$here/Dockerfile"; then ok "hadolint Dockerfile"; else bad "hadolint Dockerfile"; fi
else skip "hadolint"; fi

if command -v shellcheck > /dev/null; then
    if shellcheck "$here/validate.sh" "$repo/Benchmarks/ingest/run.sh"; then ok "shellcheck"; else bad "shellcheck"; fi
else skip "shellcheck"; fi

if command -v fluent-bit > /dev/null; then
    if TRIPLINE_INGEST_TOKEN=x fluent-bit --dry-run -c "$here/fluent-bit.conf" > /dev/null; then ok "fluent-bit --dry-run"
    else bad "fluent-bit --dry-run"; fi
else skip "fluent-bit --dry-run (Fluent Bit not installed)"; fi

if command -v vector > /dev/null; then
    if TRIPLINE_INGEST_TOKEN=x vector validate --no-environment "$here/vector.toml" > /dev/null; then ok "vector validate"
    else bad "vector validate"; fi
else skip "vector validate (Vector not installed)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

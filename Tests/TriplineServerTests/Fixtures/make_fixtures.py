#!/usr/bin/env python3
"""Builds the POST /ingest payload fixtures in this folder from real CloudTrail events.

Usage: python3 make_fixtures.py [SHARED_DATA_DIR]     (default: ../../../../shared/data/cloudtrail)
       python3 make_fixtures.py --check [TRIPLINE_BIN]  decodes every fixture with a reference decoder and,
                                                       given a tripline binary, compares `tripline count`

Deterministic: the same input gives the same bytes (gzip mtime 0, fixed collector timestamps).
The events are 10 real records (8 from invictus-ir/aws_dataset, MIT; 1 from DataDog/stratus-red-team,
Apache-2.0; 1 from panther-labs/panther-analysis, Apache-2.0), chosen so that the shipped packs match
some of them. docs/collectors.md says where each shape comes from.
"""
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/data/cloudtrail")

# (file under DATA, 1-based line numbers), in the order the events go into every fixture.
PICKS = [
    ("invictus-ir-aws-dataset/invictus-aws-dataset.ndjson", [640, 641, 642, 643, 644, 646, 648, 671]),
    ("stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.ndjson", [1]),
    ("panther-analysis-tests/panther-cloudtrail-tests.ndjson", [52]),
]

# What `tripline count --config Filters/` reports for these 14 events (non-zero filters only).
EXPECTED_MATCHES = {
    "cis-cloudtrail-config-changes": 4,
    "cis-console-auth-failures": 1,
    "cis-s3-bucket-policy-changes": 1,
    "ctp-trail-logging-stopped-or-deleted": 1,
    "ctp-trail-not-all-regions": 1,
    "ctp-log-file-validation-disabled": 1,
    "ctp-trail-destination-changed": 1,
}

# Fixed collector-side values, so the fixtures are reproducible.
FB_EPOCH = 1764390600.25          # Fluent Bit record time (tail read time) of the first event: 2025-11-29T04:30:00.25Z
VECTOR_HOST = "tripline-demo-7d9f8"
VECTOR_FILE = "/var/log/cloudtrail/trail.ndjson"


def load_events():
    raw = []
    for rel, lines in PICKS:
        with open(os.path.join(DATA, rel), "rb") as f:
            all_lines = f.read().split(b"\n")
        for n in lines:
            line = all_lines[n - 1]
            assert line.isascii(), (rel, n)
            raw.append(line.decode())
    return raw


def compact(obj, sort_keys=False):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)


def fb_double(t):
    # Fluent Bit packs the record time as a msgpack double and prints it with %.16g.
    return float("%.16g" % t)


def fb_iso8601(t):
    import datetime
    sec = int(t)
    usec = int(round((t - sec) * 1_000_000))
    return datetime.datetime.fromtimestamp(sec, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % usec


def vector_ts(i):
    return "2025-11-29T04:30:00.%09dZ" % (250_000_000 + i * 1_000_117)


def fluent_record(event, i, date_format):
    """Fluent Bit: date key first, then the parsed record's keys in their original order."""
    t = FB_EPOCH + i * 0.001
    rec = {"date": fb_double(t) if date_format == "double" else fb_iso8601(t)}
    rec.update(event)
    return rec


def vector_record(event, i):
    """Vector: file source fields + the parsed line merged at the root (remap), message removed.
    Vector's log events are sorted maps, so every object comes out with its keys sorted."""
    rec = dict(event)
    rec.update({"file": VECTOR_FILE, "host": VECTOR_HOST, "source_type": "file", "timestamp": vector_ts(i)})
    return rec


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def main():
    raw = load_events()
    events = [json.loads(line) for line in raw]
    ids = [e["eventID"] for e in events]
    assert len(set(ids)) == len(ids)
    n = len(events)
    manifest = []

    def add(file, collector, shape, headers, data, gzip_too, note, collector_keys=()):
        write(file, data)
        base = {"collector": collector, "shape": shape, "events": n, "eventIDs": ids,
                "collectorKeys": list(collector_keys), "expectStatus": 200,
                "expectAccepted": n, "note": note}
        manifest.append({"file": file, "headers": headers, "bytes": len(data), **base})
        if gzip_too:
            write(file + ".gz", gz(data))
            h = dict(headers)
            h["Content-Encoding"] = "gzip"
            manifest.append({"file": file + ".gz", "headers": h, "bytes": os.path.getsize(os.path.join(HERE, file + ".gz")),
                             "decodedBytes": len(data), **base})

    fb_ua = {"User-Agent": "Fluent-Bit"}
    vec_ua = {"User-Agent": "Vector/0.51.0"}

    # Fluent Bit http output, Format json (default): one JSON array of records, no whitespace, no final newline.
    body = ("[" + ",".join(compact(fluent_record(e, i, "double")) for i, e in enumerate(events)) + "]").encode()
    add("fluentbit-json.json", "fluent-bit", "json-array",
        {"Content-Type": "application/json", **fb_ua}, body, True,
        "out_http Format json, json_date_key date, json_date_format double (the defaults)", ["date"])

    # Format json_lines: one record per line, every line (the last too) ending in \n.
    body = "".join(compact(fluent_record(e, i, "iso8601")) + "\n" for i, e in enumerate(events)).encode()
    add("fluentbit-json_lines.ndjson", "fluent-bit", "ndjson",
        {"Content-Type": "application/x-ndjson", **fb_ua}, body, True,
        "out_http Format json_lines, json_date_format iso8601", ["date"])

    # Format json_stream: records back to back, no separator at all, same Content-Type as json.
    body = "".join(compact(fluent_record(e, i, "double")) for i, e in enumerate(events)).encode()
    add("fluentbit-json_stream.json", "fluent-bit", "concatenated-objects",
        {"Content-Type": "application/json", **fb_ua}, body, True,
        "out_http Format json_stream: {...}{...}{...} with no newline between records", ["date"])

    # Vector http sink, encoding.codec json + framing.method newline_delimited: no final newline.
    body = "\n".join(compact(vector_record(e, i), sort_keys=True) for i, e in enumerate(events)).encode()
    add("vector-json-ndjson.ndjson", "vector", "ndjson",
        {"Content-Type": "application/x-ndjson", **vec_ua}, body, True,
        "http sink codec json, framing newline_delimited; remap merged the parsed line (keys sorted); no final newline",
        ["file", "host", "source_type", "timestamp"])

    # Vector http sink, codec json with the default framing: a JSON array.
    body = ("[" + ",".join(compact(vector_record(e, i), sort_keys=True) for i, e in enumerate(events)) + "]").encode()
    add("vector-json-array.json", "vector", "json-array",
        {"Content-Type": "application/json", **vec_ua}, body, True,
        "http sink codec json, default framing (comma-delimited, wrapped in [ ])",
        ["file", "host", "source_type", "timestamp"])

    # Vector http sink, codec text: each event's message (the line as read) + \n: the file's own bytes.
    body = "".join(line + "\n" for line in raw).encode()
    add("vector-text.ndjson", "vector", "ndjson",
        {"Content-Type": "text/plain", **vec_ua}, body, True,
        "http sink codec text (Examples/sidecar/vector.yaml): the original lines, byte for byte")

    # A CloudTrail log file as delivered to S3: {"Records":[...]} on one line; and its .json.gz.
    body = ('{"Records":[' + ",".join(raw) + "]}").encode()
    add("cloudtrail-records.json", "cloudtrail-file", "records-envelope",
        {"Content-Type": "application/json"}, body, True,
        "a CloudTrail log file; the .gz as S3 stores it (curl --data-binary @file -H 'Content-Encoding: gzip')")
    manifest.append({**manifest[-1], "headers": {"Content-Type": "application/octet-stream"},
                     "note": "the same .json.gz posted without Content-Encoding: Tripline sniffs the gzip magic"})

    # Pretty-printed shapes (jq ., hand-written tests): elements span several lines.
    body = (json.dumps(events, indent=2, ensure_ascii=False) + "\n").encode()
    add("pretty-array.json", "hand", "json-array", {"Content-Type": "application/json"}, body, False,
        "a pretty-printed JSON array")

    # Bodies that must be refused whole (400), never half accepted.
    good = gz(("[" + ",".join(raw) + "]").encode())
    write("bad-truncated.json.gz", good[: len(good) // 2])
    manifest.append({"file": "bad-truncated.json.gz", "collector": "none", "shape": "corrupt-gzip",
                     "headers": {"Content-Type": "application/json", "Content-Encoding": "gzip"},
                     "bytes": len(good) // 2, "events": 0, "eventIDs": [], "collectorKeys": [],
                     "expectStatus": 400, "expectAccepted": 0, "note": "a gzip stream cut in half"})
    broken = ("[" + ",".join(raw[:3]) + ",").encode()
    write("bad-truncated-array.json", broken)
    manifest.append({"file": "bad-truncated-array.json", "collector": "none", "shape": "broken-array",
                     "headers": {"Content-Type": "application/json"}, "bytes": len(broken), "events": 0,
                     "eventIDs": [], "collectorKeys": [], "expectStatus": 400, "expectAccepted": 0,
                     "note": "a JSON array that never closes"})

    out = {
        "description": "POST /ingest bodies exactly as Fluent Bit's http output and Vector's http sink send them; "
                       "see make_fixtures.py and docs/collectors.md. Every accepted fixture holds the same 10 events "
                       "in the same order; collector-added keys stay inside each event.",
        "sources": [p for p, _ in PICKS],
        "expectedFilterMatches": EXPECTED_MATCHES,
        "authHeaderWhenConfigured": "Authorization: Bearer <token>",
        "fixtures": manifest,
    }
    # One fixture per line: small, and easy to diff.
    text = json.dumps({k: v for k, v in out.items() if k != "fixtures"}, indent=2)[:-2]
    text += ',\n  "fixtures": [\n' + ",\n".join("    " + json.dumps(m) for m in manifest) + "\n  ]\n}\n"
    json.loads(text)
    write("manifest.json", text.encode())


def reference_decode(data, shape):
    """What a correct /ingest decoder makes of a body: the list of event objects."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode()
    if shape in ("json-array",):
        return json.loads(text)
    if shape == "records-envelope":
        return json.loads(text)["Records"]
    if shape == "ndjson":
        return [json.loads(line) for line in text.split("\n") if line.strip()]
    if shape == "concatenated-objects":
        dec, i, out = json.JSONDecoder(), 0, []
        while i < len(text):
            obj, i = dec.raw_decode(text, i)
            out.append(obj)
        return out
    raise ValueError(shape)


def check(tripline):
    import subprocess
    import tempfile
    with open(os.path.join(HERE, "manifest.json")) as f:
        manifest = json.load(f)
    failures = 0
    for m in manifest["fixtures"]:
        with open(os.path.join(HERE, m["file"]), "rb") as f:
            data = f.read()
        if m["expectStatus"] != 200:
            try:
                reference_decode(data, "json-array")
                print("FAIL", m["file"], "decodes but should not")
                failures += 1
            except Exception:
                print("ok  ", m["file"], "refused by the reference decoder")
            continue
        events = reference_decode(data, m["shape"])
        got_ids = [e.get("eventID") for e in events]
        ok = got_ids == m["eventIDs"] and len(events) == m["events"]
        ok = ok and all(set(m["collectorKeys"]) <= set(e) for e in events)
        line = f"{len(events)} events"
        if tripline and ok:
            with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as t:
                for e in events:
                    t.write(json.dumps(e, separators=(",", ":")) + "\n")
            out = subprocess.run([tripline, "count", "--no-progress", "--config",
                                  os.path.join(HERE, "../../../Filters"), t.name],
                                 capture_output=True, text=True, check=True).stdout
            os.unlink(t.name)
            counts = {k: v for k, v in json.loads(out)["filters"].items() if v}
            ok = counts == manifest["expectedFilterMatches"]
            line += f", tripline count: {sum(counts.values())} matches"
        print("ok  " if ok else "FAIL", m["file"], m["headers"].get("Content-Encoding", ""), line)
        failures += not ok
    print(f"{len(manifest['fixtures']) - failures} passed, {failures} failed")
    return failures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        sys.exit(1 if check(sys.argv[2] if len(sys.argv) > 2 else None) else 0)
    main()

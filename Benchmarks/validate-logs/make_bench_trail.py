#!/usr/bin/env python3
"""Build a signed CloudTrail trail of about SIZE bytes of (uncompressed) log files for benchmarking.

Layout as CloudTrail writes it (see shared/specs/log-integrity.md): gzip log files, hourly gzip digests
listing their SHA-256, chained and signed with SHA256withRSA; plus public-keys.json and signatures.json.
Needs Python 3 and `cryptography`. The key is generated fresh and is a test key only.

    python3 make_bench_trail.py OUT [--size-mib 1024] [--file-mib 2]
"""
import argparse, base64, datetime as dt, gzip, hashlib, json, os, random, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ACCOUNT, REGION, TRAIL, BUCKET, PREFIX = "111122223333", "us-east-2", "bench_trail", "bench-bucket", "bench"


def events(rng, when, target):
    out, size = [], 0
    while size < target:
        e = {"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROA%016d:s%d" % (rng.randrange(10**16), rng.randrange(999)),
             "arn": "arn:aws:sts::%s:assumed-role/Role%d/s" % (ACCOUNT, rng.randrange(50)), "accountId": ACCOUNT},
             "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": rng.choice(["ec2.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com"]),
             "eventName": rng.choice(["DescribeInstances", "GetObject", "PutObject", "ListRoles", "AssumeRole"]), "awsRegion": REGION,
             "sourceIPAddress": "198.51.%d.%d" % (rng.randrange(256), rng.randrange(256)), "userAgent": "aws-cli/2.27.0 md/arch#x86_64",
             "requestParameters": {"bucketName": "b%d" % rng.randrange(100), "key": "k/%x" % rng.getrandbits(64)}, "responseElements": None,
             "requestID": "%032x" % rng.getrandbits(128), "eventID": "%032x" % rng.getrandbits(128), "readOnly": True,
             "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT}
        s = json.dumps(e, separators=(",", ":"))
        out.append(s)
        size += len(s) + 1
    return ('{"Records":[' + ",".join(out) + "]}").encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--file-mib", type=float, default=2)
    ap.add_argument("--files-per-digest", type=int, default=16)
    a = ap.parse_args()
    rng = random.Random(7)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    fp = hashlib.md5(der).hexdigest()
    os.makedirs(a.out, exist_ok=True)
    root = os.path.join(a.out, "trail")
    t0 = dt.datetime(2026, 1, 1, 0, 0, 7, tzinfo=dt.timezone.utc)
    nfiles = max(1, int(a.size_mib / a.file_mib))
    per = a.files_per_digest
    prev, sigs, total = None, {}, 0
    for d in range((nfiles + per - 1) // per):
        start, end = t0 + dt.timedelta(hours=d), t0 + dt.timedelta(hours=d + 1)
        entries = []
        for i in range(min(per, nfiles - d * per)):
            when = start + dt.timedelta(minutes=3 * i + 1)
            raw = events(rng, when, int(a.file_mib * 1024 * 1024))
            total += len(raw)
            k = "%s/AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%016x.json.gz" % (
                PREFIX, ACCOUNT, REGION, when.strftime("%Y/%m/%d"), ACCOUNT, REGION, when.strftime("%Y%m%dT%H%MZ"), rng.getrandbits(64))
            p = os.path.join(root, k[len(PREFIX) + 1:]); os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f: f.write(gzip.compress(raw, compresslevel=6, mtime=0))
            entries.append({"s3Bucket": BUCKET, "s3Object": k, "hashValue": hashlib.sha256(raw).hexdigest(), "hashAlgorithm": "SHA-256",
                            "newestEventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "oldestEventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ")})
        dk = "%s/AWSLogs/%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz" % (
            PREFIX, ACCOUNT, REGION, end.strftime("%Y/%m/%d"), ACCOUNT, REGION, TRAIL, REGION, end.strftime("%Y%m%dT%H%M%SZ"))
        doc = {"awsAccountId": ACCOUNT, "digestStartTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "digestEndTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "digestS3Bucket": BUCKET, "digestS3Object": dk, "digestPublicKeyFingerprint": fp, "digestSignatureAlgorithm": "SHA256withRSA",
               "newestEventTime": None, "oldestEventTime": None,
               "previousDigestS3Bucket": BUCKET if prev else None, "previousDigestS3Object": prev[0] if prev else None,
               "previousDigestHashValue": hashlib.sha256(prev[1]).hexdigest() if prev else None,
               "previousDigestHashAlgorithm": "SHA-256" if prev else None, "previousDigestSignature": prev[2] if prev else None,
               "logFiles": entries}
        raw = json.dumps(doc, separators=(",", ":")).encode()
        msg = "\n".join([doc["digestEndTime"], BUCKET + "/" + dk, hashlib.sha256(raw).hexdigest(), prev[2] if prev else "null"]).encode()
        sig = key.sign(msg, padding.PKCS1v15(), hashes.SHA256()).hex()
        p = os.path.join(root, dk[len(PREFIX) + 1:]); os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f: f.write(gzip.compress(raw, mtime=0))
        sigs["s3://%s/%s" % (BUCKET, dk)] = {"signature": sig, "signature-algorithm": "SHA256withRSA"}
        prev = (dk, raw, sig)
    with open(os.path.join(a.out, "public-keys.json"), "w") as f:
        json.dump({"PublicKeyList": [{"Value": base64.b64encode(der).decode(), "ValidityStartTime": "2025-12-01T00:00:00+00:00",
                                      "ValidityEndTime": "2027-01-01T00:00:00+00:00", "Fingerprint": fp}]}, f)
    with open(os.path.join(a.out, "signatures.json"), "w") as f:
        json.dump({"format": "tripline.digest-signatures/v1", "objects": sigs}, f)
    print("wrote %d log files, %d bytes uncompressed" % (nfiles, total))


if __name__ == "__main__":
    main()

import Crypto

/// Checks one digest position: presence, format, location, algorithms, key, signature, hash link
/// (sections 8.3 and 9.3), in the CLI's order.
struct DigestExaminer {
    struct Outcome {
        var result: DigestResult
        var document: DigestDocument?
        var warnings: [ValidationWarning] = []
        /// An unsigned newest digest under `--allow-unsigned-newest`: no verdict, no coverage.
        var skipped = false
    }

    let context: RunContext
    let homeRegion: String

    func examine(bucket: String, key: String, stamp: UTCTime, isNewest: Bool) -> Outcome {
        let uri = "s3://\(bucket)/\(key)"
        var result = DigestResult(s3: uri, path: nil, verdict: .invalid, reason: nil, message: nil, stamp: stamp)
        func fail(_ verdict: Verdict, _ reason: String, _ message: String) -> Outcome {
            result.verdict = verdict
            result.reason = reason
            result.message = message
            return Outcome(result: result)
        }
        let path: String
        let root: Mirror.Root
        switch context.mirror.locate(bucket: bucket, key: key) {
        case .file(let p, let r):
            path = p
            root = r
            result.path = String(p.dropFirst(r.path.count + 1))
        case .notMirrored(let b):
            return fail(.notFound, "bucket-not-mirrored", "bucket not mirrored: pass --bucket-dir \(b)=DIR")
        case .outsidePrefix:
            return fail(.notFound, "digest-missing", "not found (outside the mirrored prefix)")
        case .unsafeKey:
            return fail(.notFound, "digest-missing", "not found (the key is not a safe path)")
        }
        let bytes: [UInt8]
        switch FileHasher.readDigest(path: path, root: root, maxCompressed: context.options.maxDigestSize,
                                     maxUncompressed: context.options.maxDigestUncompressedSize) {
        case .missing(let why): return fail(.notFound, "digest-missing", why)
        case .invalidFormat(let why): return fail(.invalid, "invalid-format", "invalid format: \(why)")
        case .read(let b, let uncompressed):
            bytes = b
            if uncompressed { result.notes.append("stored uncompressed") }
        }
        let sha = Array(SHA256.hash(data: bytes))
        let document: DigestDocument
        switch DigestDocument.parse(bytes) {
        case .failure(let error): return fail(.invalid, "invalid-format", "invalid format: \(error.message)")
        case .success(let d): document = d
        }
        result.start = document.startTime
        result.end = document.endTime
        result.fingerprint = document.fingerprint
        if let pb = document.previousBucket, let po = document.previousObject {
            context.successorSignatures["s3://\(pb)/\(po)", default: []].append(document.previousSignature ?? "")
        }
        var outcome = Outcome(result: result, document: document)
        func failParsed(_ verdict: Verdict, _ reason: String, _ message: String) -> Outcome {
            outcome.result.verdict = verdict
            outcome.result.reason = reason
            outcome.result.message = message
            return outcome
        }
        if document.bucket != bucket || document.object != key {
            return failParsed(.invalid, "moved", "has been moved from its original location")
        }
        if let a = document.signatureAlgorithm, a != "SHA256withRSA" {
            return failParsed(.invalid, "unsupported-algorithm", "unsupported algorithm \(a)")
        }
        if let a = document.previousHashAlgorithm, a != "SHA-256" {
            return failParsed(.invalid, "unsupported-algorithm", "unsupported algorithm \(a)")
        }
        guard let key = context.keys.keys[document.fingerprint.lowercased()] else {
            return failParsed(.invalid, "public-key-not-found",
                              "public key not found in region \(homeRegion) for fingerprint \(document.fingerprint)")
        }
        let message = SignedMessage.bytes(
            endTime: document.endTimeText, bucket: document.bucket, object: document.object, digestSHA256: sha,
            previousSignature: document.previousSignature)
        let sidecarEntry = context.sidecar.objects[uri]
        var sidecarSignature: String? = nil
        var sidecarProblem: String? = nil
        if let entry = sidecarEntry {
            if let a = entry.algorithm, a != "SHA256withRSA" {
                sidecarProblem = "unsupported algorithm \(a)"
            } else if let s = entry.signature {
                sidecarSignature = s
            }
        }
        let chained = context.successorSignatures[uri] ?? []
        if sidecarSignature == nil && chained.isEmpty {
            if let problem = sidecarProblem {
                return failParsed(.invalid, "unsupported-algorithm", problem)
            }
            if isNewest && context.options.allowUnsignedNewest {
                outcome.skipped = true
                outcome.result.verdict = .unverified
                outcome.result.reason = "no-signature"
                outcome.result.message = "no signature available; used only as a signature source (--allow-unsigned-newest)"
                return outcome
            }
            return failParsed(.unverified, "no-signature", "no signature available (add it to --signatures)")
        }
        var sidecarFailed = false
        var detail: String? = nil
        if let s = sidecarSignature {
            switch SignedMessage.verify(hexSignature: s, message: message, key: key.key) {
            case .valid: outcome.result.signatureSource = "sidecar"
            case .malformed(let why):
                sidecarFailed = true
                detail = why
            case .mismatch: sidecarFailed = true
            }
        }
        if outcome.result.signatureSource == nil {
            for s in chained {
                switch SignedMessage.verify(hexSignature: s, message: message, key: key.key) {
                case .valid: outcome.result.signatureSource = "successor"
                case .malformed(let why): detail = detail ?? why
                case .mismatch: break
                }
                if outcome.result.signatureSource != nil { break }
            }
        }
        guard outcome.result.signatureSource != nil else {
            let text = "signature verification failed" + (detail.map { " (\($0))" } ?? "")
            return failParsed(.invalid, "signature-mismatch", text)
        }
        if sidecarFailed {
            outcome.warnings.append(ValidationWarning(
                kind: "sidecar-mismatch",
                message: "\(uri): signature in signatures.json does not match; verified with the successor's copy"))
        }
        if let link = context.successorLinks[uri] {
            if let h = link.previousHash, Hex.decode(h) != sha {
                return failParsed(.invalid, "hash-link", "differs from the hash recorded in the next digest")
            }
            if link.successorStart != document.endTime {
                outcome.warnings.append(ValidationWarning(
                    kind: "discontinuity",
                    message: "\(uri) ends at \(document.endTime) but the next digest starts at \(link.successorStart)"))
            }
        }
        if let from = key.validityStart, let to = key.validityEnd, document.endTime < from || document.endTime > to {
            outcome.warnings.append(ValidationWarning(
                kind: "key-window",
                message: "\(uri) ends at \(document.endTime), outside the validity window \(from)–\(to) of key \(key.fingerprint)"))
        }
        outcome.result.verdict = .valid
        outcome.result.message = "valid"
        return outcome
    }
}

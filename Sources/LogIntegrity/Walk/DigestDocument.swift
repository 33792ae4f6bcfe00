/// The fields of a digest file that validation uses (section 3), read from its uncompressed bytes.
struct DigestDocument: Sendable {
    struct LogEntry: Sendable {
        var bucket: String
        var object: String
        var hashValue: String
        var hashAlgorithm: String?
    }

    var startTime: UTCTime
    var endTime: UTCTime
    /// `digestEndTime` exactly as written: the first line of the signed message.
    var endTimeText: String
    var bucket: String
    var object: String
    var fingerprint: String
    var signatureAlgorithm: String?
    var previousBucket: String?
    var previousObject: String?
    var previousHashValue: String?
    var previousHashAlgorithm: String?
    var previousSignature: String?
    var logFiles: [LogEntry]

    /// Parses a digest; the error string is the `invalid-format` message.
    static func parse(_ bytes: [UInt8]) -> Result<DigestDocument, DigestFormatError> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, maxDepth: 32)
        } catch {
            return .failure(DigestFormatError(message: "not valid JSON: \(error)"))
        }
        guard json.members != nil else { return .failure(DigestFormatError(message: "not a JSON object")) }
        func required(_ name: String) -> Result<String, DigestFormatError> {
            guard let v = json[name] else { return .failure(DigestFormatError(message: "missing \"\(name)\"")) }
            guard let s = v.stringValue else { return .failure(DigestFormatError(message: "\"\(name)\" is not a string")) }
            return .success(s)
        }
        func optional(_ name: String) -> Result<String?, DigestFormatError> {
            guard let v = json[name], !v.isNull else { return .success(nil) }
            guard let s = v.stringValue else {
                return .failure(DigestFormatError(message: "\"\(name)\" is neither a string nor null"))
            }
            return .success(s)
        }
        do {
            let startText = try required("digestStartTime").get()
            let endText = try required("digestEndTime").get()
            guard let start = UTCTime(cloudTrail: startText), let end = UTCTime(cloudTrail: endText) else {
                return .failure(DigestFormatError(message: "digestStartTime or digestEndTime is not YYYY-MM-DDTHH:MM:SSZ"))
            }
            guard json["previousDigestSignature"] != nil else {
                return .failure(DigestFormatError(message: "missing \"previousDigestSignature\""))
            }
            guard let files = json["logFiles"]?.elements else {
                return .failure(DigestFormatError(message: "\"logFiles\" is not an array"))
            }
            var entries: [LogEntry] = []
            entries.reserveCapacity(files.count)
            for (i, file) in files.enumerated() {
                guard let bucket = file["s3Bucket"]?.stringValue, let object = file["s3Object"]?.stringValue,
                    let hash = file["hashValue"]?.stringValue
                else {
                    return .failure(DigestFormatError(message: "logFiles[\(i)] lacks s3Bucket, s3Object or hashValue"))
                }
                entries.append(LogEntry(bucket: bucket, object: object, hashValue: hash,
                                        hashAlgorithm: file["hashAlgorithm"]?.stringValue))
            }
            return .success(DigestDocument(
                startTime: start, endTime: end, endTimeText: endText,
                bucket: try required("digestS3Bucket").get(), object: try required("digestS3Object").get(),
                fingerprint: try required("digestPublicKeyFingerprint").get(),
                signatureAlgorithm: try optional("digestSignatureAlgorithm").get(),
                previousBucket: try optional("previousDigestS3Bucket").get(),
                previousObject: try optional("previousDigestS3Object").get(),
                previousHashValue: try optional("previousDigestHashValue").get(),
                previousHashAlgorithm: try optional("previousDigestHashAlgorithm").get(),
                previousSignature: try optional("previousDigestSignature").get(),
                logFiles: entries))
        } catch {
            return .failure(error)
        }
    }
}

struct DigestFormatError: Error, Sendable {
    var message: String
}

/// The `signatures.json` sidecar (section 9.2): the `head-object` metadata of digest objects, by S3 URI.
///
/// ```json
/// {"format": "tripline.digest-signatures/v1",
///  "objects": {"s3://B/K": {"signature": "c93b…", "signature-algorithm": "SHA256withRSA"}}}
/// ```
public struct SignatureSidecar: Sendable {
    /// One object's metadata.
    public struct Entry: Sendable, Hashable {
        /// `signature`: the hex signature, if present.
        public var signature: String?
        /// `signature-algorithm`, if present.
        public var algorithm: String?
        /// `backfill-generation-timestamp`, if present.
        public var backfillGenerationTimestamp: String?
    }

    /// The format string the file must carry.
    public static let format = "tripline.digest-signatures/v1"
    /// The largest sidecar accepted.
    public static let maxFileSize = 256 << 20

    /// Entries by `s3://bucket/key`.
    public private(set) var objects: [String: Entry] = [:]

    /// Creates an empty sidecar (no `--signatures`).
    public init() {}

    /// Parses a sidecar.
    /// - Throws: ``SetupError`` (exit 65) with the problem and its place.
    public init(document: [UInt8], source: String) throws(SetupError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(document)
        } catch {
            throw .badData("\(source): not a JSON document: \(error)")
        }
        guard let members = json.members else { throw .badData("\(source): expected a JSON object") }
        for (key, _) in members where key != "format" && key != "objects" {
            throw .badData("\(source): unknown field \"\(key)\"; expected \"format\" and \"objects\"")
        }
        guard json["format"]?.stringValue == SignatureSidecar.format else {
            throw .badData("\(source): \"format\" must be \"\(SignatureSidecar.format)\"")
        }
        guard let entries = json["objects"]?.members else {
            throw .badData("\(source): \"objects\" must be an object keyed by s3:// URIs")
        }
        for (uri, value) in entries {
            guard uri.hasPrefix("s3://") else { throw .badData("\(source): objects key \"\(uri)\" is not an s3:// URI") }
            guard value.members != nil else { throw .badData("\(source): objects[\"\(uri)\"] must be an object") }
            func string(_ name: String) throws(SetupError) -> String? {
                guard let v = value[name] else { return nil }
                guard let s = v.stringValue else {
                    throw .badData("\(source): objects[\"\(uri)\"].\(name) must be a string")
                }
                return s
            }
            objects[uri] = Entry(
                signature: try string("signature"), algorithm: try string("signature-algorithm"),
                backfillGenerationTimestamp: try string("backfill-generation-timestamp"))
        }
    }

    /// The bucket of the first entry, used to infer the mirrored bucket.
    var firstBucket: String? {
        objects.keys.sorted().first.flatMap { uri in uri.dropFirst(5).split(separator: "/").first.map(String.init) }
    }
}

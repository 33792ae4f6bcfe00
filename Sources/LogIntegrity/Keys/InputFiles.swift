/// Loads the trust inputs named on the command line: keys files (or folders of them) and the sidecar.
enum InputFiles {
    /// read reads a whole input file, refusing one over `limit` bytes.
    static func read(_ path: String, limit: Int, what: String) throws(SetupError) -> [UInt8] {
        if path.utf8.contains(0) { throw .usage("\(what) path contains a NUL byte") }
        let reader: FileReader
        do {
            reader = try FileReader(path: FileSystem.realPath(path) ?? path)
        } catch {
            switch error {
            case .notFound: throw .noInput("\(path): no such \(what). Check the path.")
            case .notRegularFile: throw .noInput("\(path): not a regular file")
            case .unreadable(let e): throw .noInput("\(path): cannot be read (errno \(e))")
            }
        }
        if reader.size > limit { throw .badData("\(path): larger than \(limit) bytes; refusing to read it as \(what)") }
        do {
            guard let bytes = try reader.readAll(limit: limit) else {
                throw SetupError.badData("\(path): larger than \(limit) bytes; refusing to read it as \(what)")
            }
            return bytes
        } catch let error as SetupError {
            throw error
        } catch {
            throw .noInput("\(path): cannot be read")
        }
    }

    static func loadKeys(_ options: ValidationOptions) throws(SetupError) -> PublicKeyRing {
        var ring = PublicKeyRing()
        let trusted = options.trustedFingerprints.isEmpty ? nil : Set(options.trustedFingerprints.map { $0.lowercased() })
        if options.publicKeyPaths.isEmpty {
            throw .usage("missing --public-keys. Save `aws cloudtrail list-public-keys` output and pass it.")
        }
        for path in options.publicKeyPaths {
            var files: [String] = [path]
            if FileSystem.kind(path) == .directory
                || (FileSystem.kind(path) == .symlink && FileSystem.realPath(path).map { FileSystem.kind($0) == .directory } == true)
            {
                files = FileSystem.entries(path).filter { $0.hasSuffix(".json") }.map { path + "/" + $0 }
                if files.isEmpty { throw .noInput("\(path): the folder holds no *.json keys files") }
            }
            for file in files {
                let bytes = try read(file, limit: PublicKeyRing.maxFileSize, what: "keys file")
                try ring.add(document: bytes, source: file, trusted: trusted)
            }
        }
        if ring.keys.isEmpty {
            throw .badData("no public keys loaded from \(options.publicKeyPaths.joined(separator: ", "))"
                + (trusted == nil ? "" : " that match --trusted-fingerprint"))
        }
        return ring
    }

    static func loadSidecar(_ path: String?) throws(SetupError) -> SignatureSidecar {
        guard let path else { return SignatureSidecar() }
        let bytes = try read(path, limit: SignatureSidecar.maxFileSize, what: "signatures file")
        return try SignatureSidecar(document: bytes, source: path)
    }
}

/// The chain restrictions of `--trail-arn`, `--account-id` and `--region`.
struct ChainFilter {
    struct ARN {
        var homeRegion: String
        var account: String
        var trail: String
    }

    let arn: ARN?
    let accounts: Set<String>
    let regions: Set<String>

    init(_ options: ValidationOptions) throws(SetupError) {
        if let text = options.trailARN {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "cloudtrail", parts[5].hasPrefix("trail/"),
                NameRules.isRegion(parts[3]), NameRules.isAccount(parts[4]),
                NameRules.isTrailName(parts[5].dropFirst(6))
            else {
                throw .usage("--trail-arn \(text): expected arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME")
            }
            arn = ARN(homeRegion: String(parts[3]), account: String(parts[4]), trail: String(parts[5].dropFirst(6)))
        } else {
            arn = nil
        }
        accounts = Set(options.accountIDs)
        regions = Set(options.regions)
    }

    func accepts(_ name: DigestName) -> Bool {
        if !regions.isEmpty && !regions.contains(name.region) { return false }
        if !accounts.isEmpty && !accounts.contains(name.account) { return false }
        if let arn {
            if name.trail != arn.trail || name.homeRegion != arn.homeRegion { return false }
            // An organization trail's ARN names the management account; members are picked by --account-id.
            if name.organizationID == nil && accounts.isEmpty && name.account != arn.account { return false }
        }
        return true
    }
}

/// Infers the mirrored bucket and prefix when they are not given (section 9.1).
enum Inference {
    static func bucketAndPrefix(
        options: ValidationOptions, sidecar: SignatureSidecar, newest: DigestName?, root: Mirror.Root
    ) -> (bucket: String, prefix: String, bucketInferred: Bool, prefixInferred: Bool) {
        var document: DigestDocument? = nil
        if (options.bucket == nil || options.prefix == nil), let newest {
            if case .read(let bytes, _) = FileHasher.readDigest(
                path: root.path + "/" + newest.relativeKey, root: root,
                maxCompressed: options.maxDigestSize, maxUncompressed: options.maxDigestUncompressedSize),
                case .success(let d) = DigestDocument.parse(bytes)
            {
                document = d
            }
        }
        let bucket = options.bucket ?? sidecar.firstBucket ?? document?.bucket ?? "unknown-bucket"
        var prefix = options.prefix
        if prefix == nil, let newest {
            // A sidecar entry for a digest in the folder shows the prefix too.
            let suffix = "/" + newest.relativeKey
            for uri in sidecar.objects.keys.sorted() where uri.hasSuffix(suffix) && uri.hasPrefix("s3://\(bucket)/") {
                let key = uri.dropFirst("s3://\(bucket)/".count)
                prefix = String(key.dropLast(suffix.count))
                if key == Substring(newest.relativeKey) { prefix = "" }
                break
            }
        }
        if prefix == nil, let d = document, let newest {
            if d.object == newest.relativeKey {
                prefix = ""
            } else if d.object.hasSuffix("/" + newest.relativeKey) {
                prefix = String(d.object.dropLast(newest.relativeKey.count + 1))
            } else {
                let parts = d.object.split(separator: "/", omittingEmptySubsequences: false)
                if let i = parts.firstIndex(of: "AWSLogs") { prefix = parts[..<i].joined(separator: "/") }
            }
        }
        var p = prefix ?? ""
        while p.hasSuffix("/") { p.removeLast() }
        return (bucket, p, options.bucket == nil, options.prefix == nil)
    }
}

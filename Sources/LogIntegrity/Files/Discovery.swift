/// Finds digest and log files in the mirror by walking the known folder structure
/// (`AWSLogs/[O-ID/]ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/`). Symbolic links to folders are
/// followed only when they stay inside the mirror.
struct Discovery {
    let root: Mirror.Root

    struct Found {
        var digests: [DigestName] = []
        /// Files under a digest folder whose names break the naming rules.
        var strayNames: [String] = []
    }

    private func isDirectory(_ path: String) -> Bool {
        switch FileSystem.kind(path) {
        case .directory: return true
        case .symlink:
            guard let real = FileSystem.realPath(path),
                real == root.realPath || real.hasPrefix(root.realPath + "/")
            else { return false }
            return FileSystem.kind(real) == .directory
        default: return false
        }
    }

    private func subdirectories(_ relative: String) -> [String] {
        FileSystem.entries(root.path + "/" + relative).filter { isDirectory(root.path + "/" + relative + "/" + $0) }
    }

    /// accountFolders lists `AWSLogs/ACCOUNT` and `AWSLogs/O-ID/ACCOUNT` folders.
    func accountFolders() -> [String] {
        var out: [String] = []
        for name in subdirectories("AWSLogs") {
            if NameRules.isAccount(Substring(name)) {
                out.append("AWSLogs/\(name)")
            } else if NameRules.isOrganizationID(Substring(name)) {
                for account in subdirectories("AWSLogs/\(name)") where NameRules.isAccount(Substring(account)) {
                    out.append("AWSLogs/\(name)/\(account)")
                }
            }
        }
        return out
    }

    func digests() -> Found {
        var found = Found()
        for account in accountFolders() {
            let base = "\(account)/CloudTrail-Digest"
            for region in subdirectories(base) {
                for y in subdirectories("\(base)/\(region)") {
                    for m in subdirectories("\(base)/\(region)/\(y)") {
                        for d in subdirectories("\(base)/\(region)/\(y)/\(m)") {
                            let folder = "\(base)/\(region)/\(y)/\(m)/\(d)"
                            for file in FileSystem.entries(root.path + "/" + folder) {
                                let relative = "\(folder)/\(file)"
                                if isDirectory(root.path + "/" + relative) { continue }
                                if let name = DigestName(relativeKey: relative) {
                                    found.digests.append(name)
                                } else {
                                    found.strayNames.append(relative)
                                }
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// logFiles lists the log files of one account and region delivered between `from` and `to`.
    func logFiles(organization: String?, account: String, region: String, from: UTCTime, to: UTCTime) -> [LogFileName] {
        let accountFolder = organization.map { "AWSLogs/\($0)/\(account)" } ?? "AWSLogs/\(account)"
        var out: [LogFileName] = []
        var day = UTCTime(secondsSinceEpoch: from.secondsSinceEpoch - ((from.secondsSinceEpoch % 86_400) + 86_400) % 86_400)
        var guardDays = 0
        while day <= to && guardDays < 100_000 {
            let c = day.components
            let folder = "\(accountFolder)/CloudTrail/\(region)/"
                + "\(pad(c.year, 4))/\(pad(c.month, 2))/\(pad(c.day, 2))"
            for file in FileSystem.entries(root.path + "/" + folder) {
                if let name = LogFileName(relativeKey: "\(folder)/\(file)"), name.delivered >= from, name.delivered <= to {
                    out.append(name)
                }
            }
            day = day + 86_400
            guardDays += 1
        }
        return out
    }
}

/// pad renders `v` with at least `width` digits.
func pad(_ v: Int, _ width: Int) -> String {
    let digits = v.description
    return digits.count >= width ? digits : Array(repeating: "0", count: width - digits.count).joined() + digits
}

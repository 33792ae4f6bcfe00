import ArgumentParser
import Foundation
import LogIntegrity

/// `tripline validate-logs`: checks a downloaded CloudTrail trail's digest chain offline.
///
/// Parses options, calls ``LogValidator/validate(_:)``, prints the report and exits with the status of
/// `log-integrity.md` section 9.7. All logic lives in `LogIntegrity`.
struct ValidateLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-logs",
        abstract: "Validate a downloaded CloudTrail trail offline: digest signatures, chain, log hashes, time coverage.",
        discussion: """
            DIR mirrors s3://BUCKET/PREFIX/ as `aws s3 sync` writes it (it holds AWSLogs/). Keys come from \
            `aws cloudtrail list-public-keys`; signatures of the newest digests from a signatures.json sidecar \
            built with `aws s3api head-object`. Exit status: 0 verified, 1 something invalid, missing, \
            unverified or uncovered, 64 usage, 65 bad keys or sidecar, 66 missing input.
            """)

    @Argument(help: "The folder that mirrors s3://BUCKET/PREFIX/ (it holds AWSLogs/).")
    var directory: String

    @Option(name: .customLong("public-keys"), parsing: .upToNextOption,
            help: "list-public-keys output: files, or folders of *.json files (repeatable).")
    var publicKeys: [String] = []

    @Option(name: .customLong("signatures"), help: "The signatures.json sidecar (head-object metadata of digests).")
    var signatures: String?

    @Option(name: .customLong("trail-arn"), help: "Validate only this trail: arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME.")
    var trailARN: String?

    @Option(name: .customLong("account-id"), help: "Restrict member accounts of an organization trail (repeatable).")
    var accountIDs: [String] = []

    @Option(name: .customLong("region"), help: "Restrict source regions (repeatable).")
    var regions: [String] = []

    @Option(name: .customLong("s3-bucket"), help: "The mirrored bucket (default: inferred).")
    var bucket: String?

    @Option(name: .customLong("s3-prefix"), help: "The mirrored prefix (default: inferred).")
    var prefix: String?

    @Option(name: .customLong("bucket-dir"), help: "NAME=DIR: a mirror of another bucket the chain points into (repeatable).")
    var bucketDirs: [String] = []

    @Option(name: .customLong("start-time"), help: "Start of the checked span, ISO 8601 (default: the oldest digest).")
    var startTime: String?

    @Option(name: .customLong("end-time"), help: "End of the checked span, ISO 8601; enables the tail check.")
    var endTime: String?

    @Option(name: .customLong("trusted-fingerprint"), help: "Trust only keys with this fingerprint (repeatable).")
    var trustedFingerprints: [String] = []

    @Flag(name: .customLong("allow-unsigned-newest"),
          help: "Use the newest digest without a signature only as its predecessor's signature source.")
    var allowUnsignedNewest = false

    @Flag(help: "Also fail on log files no valid digest lists, and on warnings.")
    var strict = false

    @Option(name: .customLong("digest-delay"), help: "How late the newest digest may be before --end-time (300, 5m, 1h).")
    var digestDelay = "1h"

    @Option(name: .customLong("max-log-size"), help: "Largest uncompressed log file, in bytes (default: no cap).")
    var maxLogSize: Int?

    @Option(name: .customLong("max-digest-size"), help: "Largest digest file, compressed, in bytes.")
    var maxDigestSize = 64 << 20

    @Flag(help: "Also print valid files, as the AWS CLI's --verbose does.")
    var verbose = false

    @Option(help: "text (the AWS CLI's lines plus Tripline's additions) or json.")
    var output = "text"

    @Option(help: "Hashing workers (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel = "notice"

    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat = "text"

    func validate() throws {
        if publicKeys.isEmpty {
            throw ValidationError("Missing --public-keys. Save `aws cloudtrail list-public-keys --output json` and pass it.")
        }
        if output != "text" && output != "json" { throw ValidationError("--output must be text or json") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        let levels = ["trace", "debug", "info", "notice", "warning", "error"]
        if !levels.contains(logLevel) { throw ValidationError("--log-level must be one of \(levels.joined(separator: ", "))") }
        if logFormat != "text" && logFormat != "json" { throw ValidationError("--log-format must be text or json") }
    }

    func run() throws {
        var options = ValidationOptions(directory: directory, publicKeyPaths: publicKeys)
        options.signaturesPath = signatures
        options.trailARN = trailARN
        options.accountIDs = accountIDs
        options.regions = regions
        options.bucket = bucket
        options.prefix = prefix.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        for pair in bucketDirs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--bucket-dir \(pair): expected NAME=DIR")
            }
            options.bucketDirectories[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        options.start = try startTime.map { try Self.time($0, "--start-time") }
        options.end = try endTime.map { try Self.time($0, "--end-time") }
        if let s = options.start, let e = options.end, e < s {
            throw ValidationError("--end-time is before --start-time")
        }
        options.trustedFingerprints = trustedFingerprints
        options.allowUnsignedNewest = allowUnsignedNewest
        options.strict = strict
        options.digestDelay = try Self.duration(digestDelay)
        options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        options.maxLogUncompressedSize = maxLogSize ?? Int.max
        options.maxDigestSize = maxDigestSize

        let report: ValidationReport
        do {
            report = try LogValidator.validate(options)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        if output == "json" {
            FileHandle.standardOutput.write(Data(ReportJSON.render(report).utf8))
        } else {
            for line in ReportText.lines(report, verbose: verbose) {
                let handle = line.stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(Data((line.text + "\n").utf8))
            }
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    private static func time(_ text: String, _ option: String) throws -> UTCTime {
        guard let t = UTCTime(iso8601: text) else {
            throw ValidationError("\(option) \(text): expected an ISO 8601 time such as 2026-03-01T00:00:00Z")
        }
        return t
    }

    private static func duration(_ text: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let u = units[last] {
            unit = u
            digits = digits.dropLast()
        }
        guard let n = Int64(digits), n >= 0 else {
            throw ValidationError("--digest-delay \(text): expected a duration such as 300, 300s, 5m or 1h")
        }
        return n * unit
    }
}

import FilterPattern
import Foundation
import MetricFilters
import Testing

/// The conformance corpus in `Conformance/*.json`, checked against the public API.
///
/// Each case is either a match case (`pattern`, `event`, `matches`) or a rejection
/// (`compiles: false`, `error`: a ``DiagnosticID`` raw value). A match case may also name a
/// `warning` the compiled pattern must carry. Every case cites the part of
/// `shared/specs/filter-patterns.md` (or the AWS example) it comes from in `source`.
struct ConformanceTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var pattern: String
        var event: String?
        var matches: Bool?
        var compiles: Bool?
        var error: String?
        var warning: String?
        var source: String
        /// The corpus file the case came from, filled in after decoding.
        var file: String = ""

        enum CodingKeys: String, CodingKey {
            case id, pattern, event, matches, compiles, error, warning, source
        }

        var testDescription: String { id }
    }

    /// `Conformance/`, found from this file's path so no bundle resources are needed.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Conformance")

    /// Every case of every `*.json` file in `Conformance/`, in file then corpus order.
    /// A file that cannot be read or decoded becomes one failing pseudo-case, so the
    /// problem is reported instead of silently shrinking the corpus.
    static let cases: [Case] = {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            return [Case(id: "unreadable-conformance-directory", pattern: "", source: "\(error)")]
        }
        var all: [Case] = []
        for file in files {
            do {
                var decoded = try JSONDecoder().decode([Case].self, from: Data(contentsOf: file))
                for index in decoded.indices { decoded[index].file = file.lastPathComponent }
                all.append(contentsOf: decoded)
            } catch {
                all.append(Case(id: "undecodable-\(file.lastPathComponent)", pattern: "", source: "\(error)"))
            }
        }
        return all
    }()

    static let expectedFiles = [
        "cloudtrail-traps.json", "delimited.json", "errors.json", "json.json", "regex.json", "terms.json",
    ]

    @Test func corpusFilesArePresentAndLarge() {
        let files = Set(Self.cases.map(\.file))
        for name in Self.expectedFiles {
            #expect(files.contains(name), "missing corpus file \(name)")
        }
        #expect(Self.cases.count >= 250, "the corpus has only \(Self.cases.count) cases")
    }

    @Test func idsAreUniqueAndKebabCase() {
        var seen: [String: String] = [:]
        for item in Self.cases {
            if let first = seen[item.id] {
                Issue.record("duplicate id \(item.id) in \(first) and \(item.file)")
            }
            seen[item.id] = item.file
            let kebab = !item.id.isEmpty && item.id.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "-")
            }
            #expect(kebab, "id \(item.id) is not kebab-case")
            #expect(!item.source.isEmpty, "case \(item.id) names no source")
        }
    }

    @Test func everyErrorCaseNamesAKnownDiagnostic() {
        for item in Self.cases where item.compiles == false {
            #expect(item.error.flatMap(DiagnosticID.init(rawValue:)) != nil, "case \(item.id): unknown error id \(item.error ?? "nil")")
        }
        for item in Self.cases {
            if let warning = item.warning {
                #expect(DiagnosticID(rawValue: warning) != nil, "case \(item.id): unknown warning id \(warning)")
            }
        }
    }

    @Test(arguments: Self.cases)
    func conformance(_ item: Case) {
        let compiled: CompiledPattern
        do {
            compiled = try CompiledPattern(item.pattern)
        } catch {
            if item.compiles == false {
                #expect(
                    error.diagnostic.id.rawValue == item.error,
                    "\(item.id): rejected with \(error.diagnostic.id.rawValue), expected \(item.error ?? "?") [\(item.source)]")
                #expect(error.diagnostic.severity == .error, "\(item.id): a rejection must be an error")
            } else {
                Issue.record("\(item.id): expected to compile, rejected: \(error.diagnostic) [\(item.source)]")
            }
            return
        }
        if item.compiles == false {
            Issue.record("\(item.id): expected rejection \(item.error ?? "?"), but it compiled [\(item.source)]")
            return
        }
        guard let event = item.event, let expected = item.matches else {
            Issue.record("\(item.id): a match case needs both `event` and `matches`")
            return
        }
        if let warning = item.warning {
            let ids = compiled.warnings.map(\.id.rawValue)
            #expect(ids.contains(warning), "\(item.id): expected warning \(warning), got \(ids)")
        }
        let bytes = Array(event.utf8)
        let (matcher, prefilter) = Self.evaluate(compiled, bytes)
        #expect(
            matcher == expected,
            "\(item.id): prefilter off: matched \(matcher), expected \(expected) [\(item.source)]")
        #expect(
            (prefilter && matcher) == expected,
            "\(item.id): prefilter on: matched \(prefilter && matcher), expected \(expected) (prefilter \(prefilter ? "passed" : "rejected")) [\(item.source)]"
        )
        if !prefilter {
            #expect(!matcher, "\(item.id): the prefilter rejected an event the matcher accepts")
        }
    }

    /// Spec 3.3.1 and 7.5: the extracted values of the doc's Apache example, delimiters removed,
    /// keyed `$name`, and `$N` (the event position) for fields absorbed by `...`.
    @Test func extractedValuesOfTheApacheExample() throws {
        let line = #"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#
        let named = try CompiledPattern("[ip, user, username, timestamp, request, status_code, bytes]")
        #expect(
            Self.extracted(named, line) == [
                "$ip": "127.0.0.1", "$user": "-", "$username": "frank", "$timestamp": "10/Oct/2000:13:25:15 -0700",
                "$request": "GET /apache_pb.gif HTTP/1.0", "$status_code": "200", "$bytes": "1534",
            ])
        let skipping = try CompiledPattern("[ip, ..., status_code = 200, bytes]")
        #expect(
            Self.extracted(skipping, line) == [
                "$ip": "127.0.0.1", "$2": "-", "$3": "frank", "$4": "10/Oct/2000:13:25:15 -0700",
                "$5": "GET /apache_pb.gif HTTP/1.0", "$status_code": "200", "$bytes": "1534",
            ])
        #expect(Self.extracted(named, "too few fields").isEmpty)
    }

    static func extracted(_ pattern: CompiledPattern, _ line: String) -> [String: String] {
        var scratch = MatchScratch()
        return Array(line.utf8).withUnsafeBytes { raw in
            var event = LogEvent(raw)
            var result: [String: String] = [:]
            for (key, value) in pattern.extractedValues(&event, scratch: &scratch) {
                result[key] = String(decoding: value, as: UTF8.self)
            }
            return result
        }
    }

    /// Runs the matcher (prefilter off) and the prefilter on `bytes`.
    static func evaluate(_ pattern: CompiledPattern, _ bytes: [UInt8]) -> (matcher: Bool, prefilter: Bool) {
        var scratch = MatchScratch()
        return bytes.withUnsafeBytes { raw in
            var event = LogEvent(raw)
            let matcher = pattern.matches(&event, scratch: &scratch)
            // Match a second time with the same scratch: reuse must not change the answer.
            var again = LogEvent(raw)
            let second = pattern.matches(&again, scratch: &scratch)
            #expect(matcher == second, "matching twice with one scratch gave different answers")
            return (matcher, pattern.prefilter.mayMatch(raw))
        }
    }
}

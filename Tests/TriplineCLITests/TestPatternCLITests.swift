import Foundation
import Testing

/// `tripline test-pattern` end to end: the AWS response shape, NDJSON, exit codes, hostile input.
@Suite(.serialized)
struct TestPatternCLITests {
    static let sample = CLI.examples.appendingPathComponent("cloudtrail-sample.ndjson").path

    @Test func answersLikeTestMetricFilter() throws {
        let result = try CLI.run([
            "test-pattern", #"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#,
            Self.sample,
        ])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let object = try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any]
        let matches = try #require(object?["matches"] as? [[String: Any]])
        #expect(matches.count == 4)
        for match in matches {
            #expect(match["eventNumber"] is Int)
            #expect((match["eventMessage"] as? String)?.contains("ConsoleLogin") == true)
            let values = match["extractedValues"] as? [String: String]
            #expect(values?["$.eventName"] == "ConsoleLogin")
            #expect(values?["$.errorMessage"] == "Failed authentication")
        }
        if let problem = CLI.snapshotProblem(result.stdout, named: "console-auth-failures.json") {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func ndjsonGivesOneResultPerLineWithItsDatapoint() throws {
        let input = """
            {"eventName":"GetObject","bytes":10}
            {"eventName":"PutObject","bytes":25.5}
            {"eventName":"PutObject"}
            not json at all
            """
        let result = try CLI.run(
            ["test-pattern", "{ $.eventName = PutObject }", "--metric-value", "$.bytes", "--default-value", "0",
             "--output", "ndjson"], stdin: Data(input.utf8))
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                {"eventNumber":1,"match":false,"value":0}
                {"eventNumber":2,"match":true,"value":25.5}
                {"eventNumber":3,"match":true,"value":null}
                {"eventNumber":4,"match":false,"value":0}

                """)
    }

    @Test func eventNumbersCountAcrossFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-cli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.log"), second = directory.appendingPathComponent("b.log")
        try Data("ERROR one\nok\nERROR two".utf8).write(to: first)
        try Data("ERROR three\n".utf8).write(to: second)
        let result = try CLI.run(["test-pattern", "ERROR", "--output", "ndjson", first.path, second.path])
        #expect(result.stdout.split(separator: "\n").map { $0.contains("true") } == [true, false, true, true])
        #expect(result.stdout.contains(#""eventNumber":4,"match":true"#))
    }

    @Test func spaceDelimitedExtractsNamedFields() throws {
        let line = #"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#
        let result = try CLI.run(
            ["test-pattern", "[ip, user, username, timestamp, request, status_code = 4*, bytes]"],
            stdin: Data((line + "\n").utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""$timestamp":"10/Oct/2000:13:25:15 -0700""#))
        #expect(result.stdout.contains(#""$request":"GET /index.html HTTP/1.0""#))
        #expect(result.stdout.contains(#""$bytes":"1534""#))
    }

    @Test func invalidPatternExits65WithCaretOnStderr() throws {
        let result = try CLI.run(["test-pattern", "{ $.eventName == ConsoleLogin }"], stdin: Data("x\n".utf8))
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: '==' is not an operator"))
        #expect(result.stderr.contains("^^ write '='"))
    }

    @Test func invalidMetricValueExits65() throws {
        let result = try CLI.run(["test-pattern", "ERROR", "--metric-value", "$.bytes"], stdin: Data())
        #expect(result.status == 65)
        #expect(result.stderr.contains("--metric-value"))
    }

    @Test func missingFileExits66() throws {
        let result = try CLI.run(["test-pattern", "ERROR", "/nonexistent/file.log"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/file.log"))
    }

    @Test func hostileInputNeverCrashes() throws {
        var input = Data()
        input.append(Data("ERROR \u{0}nul byte\n".utf8))
        input.append(Data([0x45, 0x52, 0x52, 0x4F, 0x52, 0x20, 0xFF, 0xFE, 0xC3, 0x0A]))  // ERROR + invalid UTF-8
        input.append(Data(repeating: UInt8(ascii: "a"), count: 10_000_000))
        input.append(Data("\nERROR after the long line\n".utf8))
        let result = try CLI.run(["test-pattern", "ERROR", "--output", "ndjson"], stdin: input)
        #expect(result.status == 0)
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                #"{"eventNumber":1,"match":true,"value":1}"#,
                #"{"eventNumber":2,"match":true,"value":1}"#,
                #"{"eventNumber":3,"match":false,"value":null}"#,
                #"{"eventNumber":4,"match":true,"value":1}"#,
            ])
        #expect(result.stderr.contains("line 3 has 10000000 bytes"))
        let json = try CLI.run(["test-pattern", "ERROR"], stdin: input)
        let object = try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any]
        #expect((object?["matches"] as? [Any])?.count == 3)
    }
}

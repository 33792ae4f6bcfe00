import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
@testable import TriplineServer

#if canImport(Glibc)
import Glibc
#endif

/// The bodies Fluent Bit's `http` output and Vector's `http` sink send (Fixtures/manifest.json, from
/// the collectors' documented formats; see docs/collectors.md): each gives the same ten events.
@Suite("Collector payloads", .serialized)
struct CollectorPayloadTests {
    struct Fixture: Decodable, CustomTestStringConvertible, Sendable {
        var file: String
        var headers: [String: String]
        var events: Int
        var eventIDs: [String]
        var expectStatus: Int
        var expectAccepted: Int
        var testDescription: String { file + (headers["Content-Encoding"].map { " (\($0))" } ?? "") }
    }

    struct Manifest: Decodable {
        var expectedFilterMatches: [String: Int]
        var fixtures: [Fixture]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static let manifest: Manifest = {
        // safe because: the manifest is checked in beside this file; a broken one should fail loudly
        let data = FileManager.default.contents(atPath: directory + "/manifest.json")!
        return try! JSONDecoder().decode(Manifest.self, from: data)  // swiftlint:disable:this force_try
    }()

    static func body(_ fixture: Fixture) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + fixture.file) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: fixture.file])
        }
        return [UInt8](data)
    }

    @Test(arguments: manifest.fixtures)
    func decodesToTheEventsInOrder(_ fixture: Fixture) throws {
        let bytes = try Self.body(fixture)
        let gzip = fixture.headers["Content-Encoding"] == "gzip"
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(IngestBodyError) in try IngestBody.decode(raw, gzip: gzip, maxDecompressedSize: 64 << 20) }
        }
        guard fixture.expectStatus == 200 else {
            #expect(throws: IngestBodyError.self) { try result.get() }
            return
        }
        let body = try result.get()
        #expect(body.events == fixture.expectAccepted)
        let spooled = bytes.withUnsafeBytes { IngestBody.spooled($0, body) }
        let lines = spooled.split(separator: UInt8(ascii: "\n"))
        let ids = try lines.map { line -> String? in
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            return object?["eventID"] as? String
        }
        #expect(ids == fixture.eventIDs)
    }

    @Test func everyShapeIsCountedByTheRunningSidecar() async throws {
        let directory = temporaryDirectory("sidecar-collectors")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sidecar = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state", "--clock", "event"],
            log: directory + "/tripline.log", environment: ["TRIPLINE_INGEST_TOKEN": "t0ken"])
        defer { sidecar.signal(SIGKILL) }
        var accepted = 0
        for fixture in Self.manifest.fixtures {
            let headers = fixture.headers.map { ($0.key, $0.value) } + [("Authorization", "Bearer t0ken")]
            let exchange = try await http(.POST, sidecar.url + "/ingest", body: try Self.body(fixture), headers: headers)
            #expect(exchange.status == fixture.expectStatus, "\(fixture.file): \(exchange.body)")
            if fixture.expectStatus == 200 {
                #expect(exchange.body == #"{"accepted":\#(fixture.expectAccepted)}"#)
                accepted += 1
            }
        }
        var metrics = ""
        for _ in 0..<300 {
            metrics = try await http(.GET, sidecar.url + "/metrics").body
            if metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == Double(accepted * 10) { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == Double(accepted * 10))
        #expect(metricValue(metrics, #"tripline_events_malformed_total{input="http"}"#) == nil)
        for (filter, matches) in Self.manifest.expectedFilterMatches {
            #expect(metricValue(metrics, #"tripline_filter_matches_total{filter="\#(filter)"}"#) == Double(matches * accepted), "\(filter)")
        }
        sidecar.signal(SIGTERM)
        #expect(await sidecar.waitForExit() == 0)
    }
}

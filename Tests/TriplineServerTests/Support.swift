import AsyncHTTPClient
import Foundation
import NIOHTTP1
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import TriplineTestSupport

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif


func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The repository's root (for Filters/ and Examples/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `tripline run` as a child process, with its stderr in a log file.
final class SidecarProcess: @unchecked Sendable {
    let process = Process()
    let log: String
    private(set) var port = 0

    /// Starts `tripline run ARGUMENTS`; with `--listen …:0` waits for the port it bound.
    init(_ arguments: [String], log: String, environment: [String: String] = [:], waitForPort: Bool = true) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: try triplineBinary())
        process.arguments = ["run"] + arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let before = (try? String(contentsOfFile: log, encoding: .utf8))?.count ?? 0
        try process.run()
        guard waitForPort else { return }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let text = String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").dropFirst(before))
            if let range = text.range(of: #"address=[^ ]+:(\d+)"#, options: .regularExpression) {
                let match = text[range]
                port = Int(match[match.index(after: match.lastIndex(of: ":")!)...]) ?? 0  // safe because: the pattern has a colon
                if port > 0, waitUntilReady(deadline: deadline) { return }
            }
            usleep(20_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "tripline did not start listening:\n\(logText)"])
    }

    /// Polls `/readyz` until it says ready: a loaded machine may still be reading the backlog.
    private func waitUntilReady(deadline: Date) -> Bool {
        guard let readyz = URL(string: "http://127.0.0.1:\(port)/readyz") else { return false }
        while Date() < deadline, process.isRunning {
            if let body = try? String(contentsOf: readyz, encoding: .utf8), body.contains(#""ready":true"#) { return true }
            usleep(20_000)
        }
        return false
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end (polling, so no cooperative thread blocks); SIGKILL after `timeout`.
    @discardableResult
    func waitForExit(timeout: Double = 60) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        return process.terminationStatus
    }
}

/// A plain HTTP exchange for the tests.
struct HTTPExchange: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
}

func http(
    _ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, headers: [(String, String)] = [], timeout: Int64 = 60
) async throws -> HTTPExchange {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
    let buffer = try await response.body.collect(upTo: 64 << 20)
    var fields: [String: String] = [:]
    for header in response.headers { fields[header.name.lowercased()] = header.value }
    return HTTPExchange(status: Int(response.status.code), headers: fields, body: String(buffer: buffer))
}

/// Reads one sample's value from Prometheus text: `name{labels}` exactly as written.
func metricValue(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

/// A webhook receiver that records every delivery and answers 200.
final class WebhookRecorder: Sendable {
    struct Delivery: Sendable {
        var idempotencyKey: String
        var body: String
    }

    final class Log: Sendable {
        let items = Mutex<[Delivery]>([])
    }

    private let log: Log
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    let port: Int

    static func start() async throws -> WebhookRecorder {
        let log = Log()
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""  // safe because: a valid field name
            log.items.withLock { $0.append(Delivery(idempotencyKey: key, body: String(buffer: body))) }
            return Response(status: .ok)
        }
        let bound = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: app.logger))
        let task = Task { try await group.run() }
        var port = 0
        for await value in bound.stream {
            port = value
            break
        }
        return WebhookRecorder(log: log, group: group, task: task, port: port)
    }

    private init(log: Log, group: ServiceGroup, task: Task<Void, any Error>, port: Int) {
        self.log = log
        self.group = group
        self.task = task
        self.port = port
    }

    var all: [Delivery] { log.items.withLock { $0 } }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

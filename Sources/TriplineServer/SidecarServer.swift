import Alarms
import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TriplineCore
import TriplineRuntime

/// The HTTP side of the sidecar: `POST /ingest`, `GET /metrics`, `/healthz`, `/readyz`, `/alarms`
/// and `POST /-/reload`, served by Hummingbird in a service group of its own.
final class SidecarServer: @unchecked Sendable {
    let sidecar: Sidecar
    let address: ListenAddress
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?
    /// Blocking disk work (write + fdatasync) runs here, off Swift's cooperative threads.
    private let spoolQueue = DispatchQueue(label: "tripline.spool", attributes: .concurrent)
    /// Bodies being decoded at once.
    private let decoding = Gate(limit: 4)

    init(sidecar: Sidecar, address: ListenAddress) {
        self.sidecar = sidecar
        self.address = address
    }

    /// Binds and starts serving; returns once the socket listens (or throws why it cannot).
    func start() throws {
        let router = Router()
        addRoutes(to: router)
        let bound = DispatchSemaphore(value: 0)
        let outcome = StartOutcome()
        let logger = sidecar.logger
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: "Tripline"),
            onServerRunning: { channel in
                outcome.set(.success(channel.localAddress?.port ?? 0))
                bound.signal()
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        self.group = group
        task = Task {
            do {
                try await group.run()
            } catch {
                outcome.set(.failure(error))
                bound.signal()
                throw error
            }
        }
        bound.wait()
        switch outcome.value {
        case .failure(let error)?: throw error
        case .success(let port)?:
            logger.notice("ServerListening", metadata: ["address": "\(ListenAddress(host: address.host, port: port))"])
        case nil: break
        }
    }

    /// Stops accepting connections and lets requests in flight finish.
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    private func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("ingest") { request, _ in await self.ingest(request) }
        router.get("metrics") { _, _ in await self.metrics() }
        router.get("healthz") { _, _ in Self.text(.ok, "ok\n") }
        // Vector's sink health check sends HEAD.
        router.head("healthz") { _, _ in Self.text(.ok, "") }
        router.get("readyz") { _, _ in self.readiness() }
        router.get("alarms") { _, _ in self.alarms() }
        router.post("-/reload") { request, _ in self.reloadRequest(request) }
    }

    // MARK: - Handlers

    private func ingest(_ request: Request) async -> Response {
        let response = await ingestResponse(request)
        sidecar.metrics.countIngest(status: Int(response.status.code))
        return response
    }

    private func ingestResponse(_ request: Request) async -> Response {
        let options = sidecar.options
        guard sidecar.status.acceptsIngest, let spool = sidecar.spool else {
            return Self.json(.serviceUnavailable, #"{"error":"not accepting events now (starting or stopping)"}"#, retryAfter: 5)
        }
        if let token = options.ingestToken, !Self.authorized(request, token: token) {
            var response = Self.json(.unauthorized, #"{"error":"a valid bearer token is required"}"#)
            response.headers[.wwwAuthenticate] = #"Bearer realm="tripline""#
            return response
        }
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > options.maxBodySize {
            return Self.tooLarge(options.maxBodySize)
        }
        // A full spool is said before the body is decoded, so refusing costs little when behind.
        if let length, spool.wouldRefuse(length) {
            return Self.json(.tooManyRequests, #"{"error":"Tripline is behind; retry later"}"#, retryAfter: 1)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: options.maxBodySize)
        } catch is NIOTooManyBytesError {
            return Self.tooLarge(options.maxBodySize)
        } catch {
            return Self.json(.badRequest, #"{"error":"the body could not be read"}"#)
        }
        sidecar.metrics.countIngestBytes(buffer.readableBytes)
        let encoding = (request.headers[.contentEncoding] ?? "identity").lowercased().trimmingCharacters(in: .whitespaces)
        guard ["identity", "gzip", "x-gzip", ""].contains(encoding) else {
            return Self.json(.unsupportedMediaType, Self.errorJSON("Content-Encoding '\(encoding)' is not supported; send gzip or no encoding"))
        }
        let gzip = encoding.hasSuffix("gzip")
        // Decoding is bounded: at most `maxDecoding` bodies at once, each expanding to at most
        // `maxDecompressedSize`, so memory stays bounded however many clients send.
        guard decoding.enter() else {
            return Self.json(.serviceUnavailable, #"{"error":"too many batches being decoded; retry later"}"#, retryAfter: 1)
        }
        defer { decoding.leave() }
        let decoded: Result<IngestBody, IngestBodyError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(IngestBodyError) in
                try IngestBody.decode(bytes, gzip: gzip, maxDecompressedSize: Self.maxDecompressedSize(options.maxBodySize))
            }
        }
        let body: IngestBody
        switch decoded {
        case .success(let value): body = value
        case .failure(let error) where error.kind == .tooLarge: return Self.json(.contentTooLarge, Self.errorJSON(error.message))
        case .failure(let error): return Self.json(.badRequest, Self.errorJSON(error.message))
        }
        let result: Result<IngestSpool.AppendResult, SpoolError> = await withCheckedContinuation { continuation in
            spoolQueue.async {
                continuation.resume(
                    returning: Result { () throws(SpoolError) in
                        // NDJSON as sent is written straight from the request's buffer.
                        guard body.passThrough else { return try spool.append(body.lines) }
                        let written = buffer.withUnsafeReadableBytes { bytes in
                            Result { () throws(SpoolError) in try spool.append(bytes, newline: body.needsNewline) }
                        }
                        return try written.get()
                    })
            }
        }
        switch result {
        case .success(.accepted):
            return Self.json(.ok, #"{"accepted":\#(body.events)}"#)
        case .success(.full):
            return Self.json(.tooManyRequests, #"{"error":"Tripline is behind; retry later"}"#, retryAfter: 1)
        case .success(.stopped):
            return Self.json(.serviceUnavailable, #"{"error":"shutting down"}"#, retryAfter: 5)
        case .failure(let error):
            sidecar.logger.error("SpoolWriteFailed: a batch was refused", metadata: ["error": "\(error)"])
            return Self.json(.serviceUnavailable, Self.errorJSON("cannot store the batch: \(error.message)"), retryAfter: 5)
        }
    }

    private func metrics() async -> Response {
        let text = await sidecar.metrics.render(sidecar)
        var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return response
    }

    private func readiness() -> Response {
        let reasons = sidecar.status.notReadyReasons
        if reasons.isEmpty { return Self.json(.ok, #"{"ready":true}"#) }
        let list = reasons.map { JSONText.quoted($0) }.joined(separator: ",")
        return Self.json(.serviceUnavailable, #"{"ready":false,"reasons":[\#(list)]}"#)
    }

    private func alarms() -> Response {
        let items = sidecar.live.alarms.map { status in
            var fields = [#""name":\#(JSONText.quoted(status.name))"#, #""state":"\#(status.state.rawValue)""#]
            fields.append(#""reason":\#(status.reason.map(JSONText.quoted) ?? "null")"#)
            fields.append(#""stateChangeTime":\#(status.stateChangeTime.map { JSONText.quoted($0.iso8601) } ?? "null")"#)
            fields.append(#""oldState":\#(status.oldState.map { "\"\($0.rawValue)\"" } ?? "null")"#)
            return "{" + fields.joined(separator: ",") + "}"
        }
        return Self.json(.ok, #"{"alarms":[\#(items.joined(separator: ","))]}"# + "\n")
    }

    private func reloadRequest(_ request: Request) -> Response {
        if let token = sidecar.options.ingestToken, !Self.authorized(request, token: token) {
            var response = Self.json(.unauthorized, #"{"error":"a valid bearer token is required"}"#)
            response.headers[.wwwAuthenticate] = #"Bearer realm="tripline""#
            return response
        }
        switch sidecar.reload() {
        case .success(let report):
            return Self.json(
                .ok, #"{"reloaded":true,"alarmsKept":\#(report.restoredAlarms.count),"alarmsReset":\#(report.resetAlarms.count),"alarmsRemoved":\#(report.removedAlarms.count)}"#)
        case .failure(let error):
            return Self.json(.badRequest, #"{"reloaded":false,"error":\#(JSONText.quoted(error.message))}"#)
        }
    }

    // MARK: - Helpers

    /// Compares the bearer token in constant time (for equal lengths), so timing does not reveal it.
    static func authorized(_ request: Request, token: String) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else { return false }
        let given = Array(header.utf8.dropFirst(prefix.utf8.count))
        let expected = Array(token.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }

    /// A gzip body may expand to 8 times the body limit (80 MiB by default; CloudTrail files compress
    /// about 10:1), and at least to 16 MiB.
    static func maxDecompressedSize(_ bodyLimit: Int) -> Int {
        max(16 << 20, bodyLimit.multipliedReportingOverflow(by: 8).overflow ? .max : bodyLimit * 8)
    }

    static func tooLarge(_ limit: Int) -> Response {
        json(.contentTooLarge, errorJSON("the body is larger than the limit of \(limit) bytes; send smaller batches or raise --max-body-size"))
    }

    static func errorJSON(_ message: String) -> String { #"{"error":\#(JSONText.quoted(message))}"# }

    static func json(_ status: HTTPResponse.Status, _ body: String, retryAfter: Int? = nil) -> Response {
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        response.headers[.contentType] = "application/json"
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        response.headers[.contentType] = "text/plain; charset=utf-8"
        return response
    }
}

/// A counter with a ceiling: `enter` fails (instead of waiting) when `limit` are inside.
private final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var inside = 0

    init(limit: Int) { self.limit = limit }

    func enter() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard inside < limit else { return false }
        inside += 1
        return true
    }

    func leave() {
        lock.lock()
        inside -= 1
        lock.unlock()
    }
}

/// The server task's first news: the bound port, or why it could not start.
private final class StartOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, any Error>?

    func set(_ value: Result<Int, any Error>) {
        lock.lock()
        if result == nil { result = value }
        lock.unlock()
    }

    var value: Result<Int, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return result
    }
}

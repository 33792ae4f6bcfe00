import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A request a test server received.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    /// Lowercased names.
    var headers: [String: String]
    var body: [UInt8]
    var receivedAt: Date

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a test server does with a request.
enum TestReply: Sendable {
    case respond(status: Int, headers: [(String, String)] = [], body: String = "")
    /// Never answers (the connection stays open until the server stops).
    case hang
    /// Answers after a delay.
    case delayed(seconds: Double, status: Int)
}

/// A real HTTP/1.1 server on 127.0.0.1 (optionally TLS), for the webhook tests: `reply` decides
/// the answer from the request and its 0-based index.
final class TestHTTPServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let recorded: Mutex<[RecordedRequest]>
    private let replies: Mutex<[Int: Int]>

    var requests: [RecordedRequest] { recorded.withLock { $0 } }
    /// The status answered to each request, by request index (0 for hung or unanswered requests).
    var statuses: [Int] {
        let count = requests.count
        return replies.withLock { replies in (0..<count).map { replies[$0] ?? 0 } }
    }
    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
        self.recorded = Mutex([])
        self.replies = Mutex([:])
    }

    static func start(
        port: Int = 0, tls: NIOSSLContext? = nil, reply: @escaping @Sendable (RecordedRequest, Int) -> TestReply
    ) async throws -> TestHTTPServer {
        let box = ServerState()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(state: box, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        let server = TestHTTPServer(port: channel.localAddress?.port ?? port, channel: channel)
        box.server.withLock { $0 = server }
        return server
    }

    func record(_ request: RecordedRequest) -> Int {
        recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
    }

    func recordReply(_ index: Int, _ status: Int) { replies.withLock { $0[index] = status } }

    func stop() async {
        try? await channel.close()
    }

    /// Waits until `count` requests arrived (or `timeout` seconds passed).
    /// Generous by default: a loaded two-core CI machine can stall the test process for a while.
    func waitForRequests(_ count: Int, timeout: Double = 90) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if requests.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return requests.count >= count
    }

    /// A free loopback port (bound and released).
    static func freePort() async throws -> Int {
        let server = try await start { _, _ in .respond(status: 200) }
        let port = server.port
        await server.stop()
        return port
    }
}

private final class ServerState: Sendable {
    let server = Mutex<TestHTTPServer?>(nil)
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: ServerState
    let reply: @Sendable (RecordedRequest, Int) -> TestReply
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(state: ServerState, reply: @escaping @Sendable (RecordedRequest, Int) -> TestReply) {
        self.state = state
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let server = state.server.withLock({ $0 }) else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = RecordedRequest(method: "\(head.method)", uri: head.uri, headers: headers, body: body, receivedAt: Date())
            let index = server.record(request)
            switch reply(request, index) {
            case .hang:
                server.recordReply(index, 0)
            case .delayed(let seconds, let status):
                let version = head.version
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                    server.recordReply(index, status)
                    let (handler, context) = bound.value
                    handler.respond(context: context, version: version, status: status, extra: [], text: "")
                }
            case .respond(let status, let extra, let text):
                server.recordReply(index, status)
                respond(context: context, version: head.version, status: status, extra: extra, text: text)
            }
        }
    }

    func respond(context: ChannelHandlerContext, version: HTTPVersion, status: Int, extra: [(String, String)], text: String) {
                var responseHeaders = HTTPHeaders([("Content-Length", String(text.utf8.count))])
                for (name, value) in extra { responseHeaders.add(name: name, value: value) }
                let responseHead = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

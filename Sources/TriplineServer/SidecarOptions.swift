public import TriplineIngest
public import TriplineRuntime

/// How `tripline run` was asked to run: the command line, parsed.
public struct SidecarOptions: Sendable {
    /// Config files and folders, reloaded as a whole on SIGHUP or `POST /-/reload`.
    public var configPaths: [String]
    public var parameters: [String: String]
    public var engine: EngineSettings
    public var stateDirectory: String
    /// Inputs read once (files, folders, `-` for stdin); their positions are not checkpointed.
    public var inputs: [String] = []
    /// Files, folders and globs followed like `tail -F`; their positions are checkpointed by identity.
    public var followed: [String] = []
    public var ingest: IngestOptions = IngestOptions()
    /// The HTTP server's address; nil: no server.
    public var listen: ListenAddress?
    /// The bearer token `POST /ingest` and `POST /-/reload` require; nil: no auth.
    public var ingestToken: String?
    public var maxBodySize: Int = 10 << 20
    /// The most spooled bytes not yet read; beyond it `POST /ingest` answers 429.
    public var spoolLimit: Int = 256 << 20
    public var clock: LiveRun.Clock = .wall
    /// Seconds between checkpoints.
    public var checkpointInterval: Double = 1
    /// Seconds the outbox gets to deliver at shutdown; what is left stays on disk for the next start.
    public var shutdownGrace: Double = 5
    /// Run until a signal even when the inputs end (set when serving HTTP or following files).
    public var keepRunning: Bool { listen != nil || !followed.isEmpty }

    public init(configPaths: [String], parameters: [String: String] = [:], engine: EngineSettings = EngineSettings(), stateDirectory: String) {
        self.configPaths = configPaths
        self.parameters = parameters
        self.engine = engine
        self.stateDirectory = stateDirectory
    }
}

/// `host:port`; a port alone means loopback.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `9880`, `127.0.0.1:9880`, `0.0.0.0:9880`, `[::1]:9880` or `localhost:9880`; nil when invalid.
    public init?(_ text: String) {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host.isEmpty { return nil }
        }
        guard let port = Int(portText), (0...65_535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

import AsyncHTTPClient
import Foundation
public import Logging
public import TriplineConfig

/// The notifiers of a configuration's destinations, built once at start-up (secrets read,
/// templates parsed, CA bundles loaded), sharing one HTTP client. Call ``shutdown()`` before exit.
public final class NotifierSet: Sendable {
    public let notifiers: [String: any Notifier]
    private let client: HTTPClient?

    /// - Throws: ``NotifierSetupError`` for every destination that cannot be set up (all of them in one message).
    public init(
        destinations: [DestinationDefinition], environment: [String: String]? = nil,
        logger: Logger, stdout: @escaping @Sendable ([UInt8]) -> Void = StdoutNotifier.standardOutput
    ) throws(NotifierSetupError) {
        var notifiers: [String: any Notifier] = [:]
        var problems: [String] = []
        let needsClient = destinations.contains { $0.kind == .webhook }
        let client = needsClient ? WebhookNotifier.makeClient() : nil
        for destination in destinations {
            switch destination.kind {
            case .stdout:
                notifiers[destination.name] = StdoutNotifier(name: destination.name, output: stdout)
            case .webhook:
                guard let settings = destination.webhook, let client else { continue }
                do {
                    notifiers[destination.name] = try WebhookNotifier(
                        name: destination.name, settings: settings, location: destination.location.description, client: client,
                        environment: environment, logger: logger)
                } catch {
                    problems.append(error.message)
                }
            }
        }
        if !problems.isEmpty {
            // Shut the client down without blocking: this may run on a task's thread.
            if let client { _ = client.shutdown() }
            throw NotifierSetupError(problems.joined(separator: "\n"))
        }
        self.notifiers = notifiers
        self.client = client
    }

    /// Closes the HTTP client's connections.
    public func shutdown() async {
        try? await client?.shutdown()
    }
}

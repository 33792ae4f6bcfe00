/// A request body and its media type.
public struct Payload: Sendable, Hashable {
    public var body: [UInt8]
    public var contentType: String

    public init(body: [UInt8], contentType: String = "application/json") {
        self.body = body
        self.contentType = contentType
    }
}

/// Turns a notification into the body one kind of receiver expects. Every format puts the
/// idempotency key in the body as well as in the `Idempotency-Key` header.
public protocol PayloadFormat: Sendable {
    func payload(for delivery: Delivery) -> Payload
}

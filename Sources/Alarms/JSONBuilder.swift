import TriplineCore

/// A small JSON writer that tracks commas, on top of TriplineCore's `JSONText`.
struct JSONBuilder {
    private(set) var bytes: [UInt8] = []
    private var first: [Bool] = []

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes `"name":` (with a comma before it when needed); the value must follow.
    mutating func key(_ name: String) {
        separate()
        JSONText.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows must not add another comma.
        pendingValue = true
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { JSONText.appendString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func string(bytes value: [UInt8]) {
        separate()
        JSONText.appendString(value, to: &bytes)
    }

    /// A number in Java's notation (`1.0`), as CloudWatch writes doubles.
    mutating func double(_ value: Double) {
        separate()
        CloudWatchText.appendNumber(value, to: &bytes)
    }

    mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    private var pendingValue = false

    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            return
        }
        if let last = first.last {
            if !last { bytes.append(UInt8(ascii: ",")) }
            first[first.count - 1] = false
        }
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        first.append(true)
    }

    private mutating func close(_ byte: UInt8) {
        first.removeLast()
        bytes.append(byte)
    }
}

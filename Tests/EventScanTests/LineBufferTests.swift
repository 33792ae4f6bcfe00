import EventScan
import PropertyBased
import Testing
import TriplineTestSupport

/// What a LineBuffer reported, in order.
enum LineEvent: Equatable, CustomStringConvertible {
    case line(String, number: Int, offset: Int)
    case oversized(number: Int, offset: Int, length: Int)

    var description: String {
        switch self {
        case .line(let text, let number, let offset): "line \(number) @\(offset) \(text.debugDescription)"
        case .oversized(let number, let offset, let length): "oversized \(number) @\(offset) len \(length)"
        }
    }
}

/// Feeds `input` in chunks of the given sizes (cycled), then finishes.
/// With `measure`, chunks go through `append(_:measuring:_:onOversized:)`.
func split(
    _ input: [UInt8], maxLineLength: Int, chunkSizes: [Int], measure: ((UnsafeRawBufferPointer) -> Int?)? = nil
) -> [LineEvent] {
    var buffer = LineBuffer(maxLineLength: maxLineLength, initialCapacity: 4)
    var events: [LineEvent] = []
    let onLine = { (line: UnsafeRawBufferPointer, number: Int, offset: Int) in
        events.append(.line(String(decoding: line, as: UTF8.self), number: number, offset: offset))
    }
    let onOversized = { (number: Int, offset: Int, length: Int) in
        events.append(.oversized(number: number, offset: offset, length: length))
    }
    var start = 0
    var chunk = 0
    input.withUnsafeBytes { bytes in
        while start < bytes.count {
            let size = max(1, chunkSizes[chunk % chunkSizes.count])
            let end = min(start + size, bytes.count)
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if let measure {
                buffer.append(piece, measuring: measure, onLine, onOversized: onOversized)
            } else {
                buffer.append(piece, onLine, onOversized: onOversized)
            }
            start = end
            chunk += 1
        }
    }
    buffer.finish(onLine, onOversized: onOversized)
    return events
}

/// The obvious model: split on `\n`, strip one `\r`, report long lines.
func model(_ input: [UInt8], maxLineLength: Int) -> [LineEvent] {
    var pieces = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    if pieces.last?.isEmpty == true { pieces.removeLast() }
    var events: [LineEvent] = []
    var offset = 0
    for (index, piece) in pieces.enumerated() {
        if piece.count > maxLineLength {
            events.append(.oversized(number: index + 1, offset: offset, length: piece.count))
        } else {
            let text = piece.last == UInt8(ascii: "\r") ? Array(piece.dropLast()) : piece
            events.append(.line(String(decoding: text, as: UTF8.self), number: index + 1, offset: offset))
        }
        offset += piece.count + 1
    }
    return events
}

struct LineBufferTests {
    @Test func partialLastLine() {
        let events = split(Array("a\nbc\nlast".utf8), maxLineLength: 100, chunkSizes: [3])
        #expect(
            events == [
                .line("a", number: 1, offset: 0), .line("bc", number: 2, offset: 2),
                .line("last", number: 3, offset: 5),
            ])
    }

    @Test func oversizedLineInTheMiddle() {
        let input = Array("ok\n0123456789ABC\nnext\n\nend\n".utf8)
        let expected: [LineEvent] = [
            .line("ok", number: 1, offset: 0), .oversized(number: 2, offset: 3, length: 13),
            .line("next", number: 3, offset: 17), .line("", number: 4, offset: 22), .line("end", number: 5, offset: 23),
        ]
        for sizes in [[1], [2], [5], [7, 1, 3], [input.count]] {
            #expect(split(input, maxLineLength: 10, chunkSizes: sizes) == expected, "chunks \(sizes)")
        }
    }

    @Test func oversizedLastLineWithoutNewline() {
        let events = split(Array("a\n0123456789ABC".utf8), maxLineLength: 10, chunkSizes: [4])
        #expect(events == [.line("a", number: 1, offset: 0), .oversized(number: 2, offset: 2, length: 13)])
    }

    @Test func lineExactlyAtTheLimit() {
        let events = split(Array("0123456789\n01234567890\n".utf8), maxLineLength: 10, chunkSizes: [3])
        #expect(events == [.line("0123456789", number: 1, offset: 0), .oversized(number: 2, offset: 11, length: 11)])
    }

    @Test func carriageReturnBeforeNewlineIsStripped() {
        let input = Array("a\r\nb\rc\r\n\r\nlast\r".utf8)
        let expected: [LineEvent] = [
            .line("a", number: 1, offset: 0), .line("b\rc", number: 2, offset: 3), .line("", number: 3, offset: 8),
            .line("last", number: 4, offset: 10),
        ]
        for sizes in [[1], [2], [3], [input.count]] {
            #expect(split(input, maxLineLength: 100, chunkSizes: sizes) == expected, "chunks \(sizes)")
        }
    }

    @Test func trackingProperties() {
        var buffer = LineBuffer(maxLineLength: 100)
        Array("ab\ncd".utf8).withUnsafeBytes { buffer.append($0, { _, _, _ in }, onOversized: { _, _, _ in }) }
        #expect(buffer.completedOffset == 3)
        #expect(buffer.bufferedCount == 2)
        #expect(buffer.nextLineNumber == 2)
        buffer.finish({ _, _, _ in }, onOversized: { _, _, _ in })
        #expect(buffer.completedOffset == 5)
        #expect(buffer.nextLineNumber == 3)
    }

    /// Random input: short and long lines, CRLF, empty lines, sometimes no final newline.
    static func randomInput(seed: UInt64) -> [UInt8] {
        var random = SplitMix64(state: seed)
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...30, using: &random) {
            let length =
                random.chance(20) ? Int.random(in: 10...40, using: &random) : Int.random(in: 0...12, using: &random)
            bytes += (0..<length).map { _ in random.pick(Array("abc {}\"\r".utf8)) }
            bytes += random.chance(20) ? Array("\r\n".utf8) : [UInt8(ascii: "\n")]
        }
        if random.chance(50) { bytes += Array("tail".utf8) }
        return bytes
    }

    @Test func byteByByteRandomChunksAndAllAtOnceAgree() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.int(in: 1...17).array(of: 1...8)) { seed, sizes in
            let input = Self.randomInput(seed: seed)
            let expected = model(input, maxLineLength: 12)
            #expect(split(input, maxLineLength: 12, chunkSizes: [input.count + 1]) == expected)
            #expect(split(input, maxLineLength: 12, chunkSizes: [1]) == expected)
            #expect(split(input, maxLineLength: 12, chunkSizes: sizes) == expected, "chunks \(sizes)")
        }
    }

    /// A measure that finds the first newline, as a validator would, but gives up now and then.
    static func honestMeasure(seed: UInt64, maxLineLength: Int) -> (UnsafeRawBufferPointer) -> Int? {
        var random = SplitMix64(state: seed)
        return { bytes in
            // It is only ever shown a line's bytes, at most one more than the longest line.
            #expect(bytes.count <= maxLineLength + 1)
            guard !random.chance(30) else { return nil }
            return bytes.firstIndex(of: UInt8(ascii: "\n"))
        }
    }

    @Test func measuredLinesAreTheLinesOfASearch() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.int(in: 1...17).array(of: 1...8)) { seed, sizes in
            let input = Self.randomInput(seed: seed)
            let expected = model(input, maxLineLength: 12)
            for chunks in [[input.count + 1], [1], sizes] {
                let measure = Self.honestMeasure(seed: seed, maxLineLength: 12)
                #expect(split(input, maxLineLength: 12, chunkSizes: chunks, measure: measure) == expected, "chunks \(chunks)")
                #expect(split(input, maxLineLength: 12, chunkSizes: chunks, measure: { _ in nil }) == expected)
            }
        }
    }

    @Test func aMeasureThatDoesNotPointAtANewlineIsIgnored() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: 1...17).array(of: 1...8)) { seed, sizes in
            let input = Self.randomInput(seed: seed)
            let expected = model(input, maxLineLength: 12)
            var random = SplitMix64(state: seed)
            let wrong: (UnsafeRawBufferPointer) -> Int? = { bytes in
                // Anything but the offset of a newline: negative, past the end, or at another byte.
                let candidates = [-1, bytes.count, bytes.count + 5] + bytes.indices.filter { bytes[$0] != UInt8(ascii: "\n") }
                return random.pick(candidates)
            }
            #expect(split(input, maxLineLength: 12, chunkSizes: sizes, measure: wrong) == expected, "chunks \(sizes)")
        }
    }
}

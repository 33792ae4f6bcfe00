/// Values read out of a matched event, for metric values, dimensions and `test-pattern`.
extension CompiledPattern {
    /// What `aws logs test-metric-filter` returns as `extractedValues` for a matching event:
    /// `$name` (and `$N` for fields absorbed by `...`) for space-delimited patterns, and each
    /// selector the pattern references with its first scalar value for JSON patterns.
    public func extractedValues<Event: FieldLookup>(_ event: inout Event, scratch: inout MatchScratch)
        -> [(key: String, value: [UInt8])]
    {
        switch kind {
        case .matchAll, .terms:
            return []
        case .json:
            var values: [(key: String, value: [UInt8])] = []
            for selector in selectors {
                if let text = text(at: .selector(selector), in: &event, scratch: &scratch) {
                    values.append((selector.text, text))
                }
            }
            return values
        case .delimited:
            guard let binding = fieldBinding(event.rawLine, scratch: &scratch) else { return [] }
            return binding.map { ($0.key, Array(UnsafeRawBufferPointer(rebasing: event.rawLine[$0.range]))) }
        }
    }

    /// The number a reference points at: a JSON number, or a delimited field that parses as one.
    /// A JSON string, even "50", gives nil: the spec emits no datapoint for it.
    public func number<Event: FieldLookup>(
        at reference: FieldReference, in event: inout Event, scratch: inout MatchScratch
    ) -> Double? {
        switch reference {
        case .selector(let selector):
            guard kind == .json, let root = event.jsonRoot() else { return nil }
            var value: Double?
            _ = Self.resolve(selector, from: root, in: event) { node in
                if event.kind(of: node) == .number { value = event.numberValue(of: node) }
                return true
            }
            return value
        case .field, .position:
            guard let range = fieldRange(reference, in: event.rawLine, scratch: &scratch) else { return nil }
            return DecimalText.parse(UnsafeRawBufferPointer(rebasing: event.rawLine[range]))
        }
    }

    /// The text a reference points at (a JSON string decoded, a number or boolean as written).
    public func text<Event: FieldLookup>(
        at reference: FieldReference, in event: inout Event, scratch: inout MatchScratch
    ) -> [UInt8]? {
        switch reference {
        case .selector(let selector):
            guard kind == .json, let root = event.jsonRoot() else { return nil }
            var value: [UInt8]?
            _ = Self.resolve(selector, from: root, in: event) { node in
                switch event.kind(of: node) {
                case .string, .number:
                    value = event.withText(of: node, scratch: &scratch.text) { Array($0) }
                case .true: value = Array("true".utf8)
                case .false: value = Array("false".utf8)
                case .null, .object, .array: return false
                }
                return true
            }
            return value
        case .field, .position:
            guard let range = fieldRange(reference, in: event.rawLine, scratch: &scratch) else { return nil }
            return Array(UnsafeRawBufferPointer(rebasing: event.rawLine[range]))
        }
    }

    private func fieldRange(_ reference: FieldReference, in line: UnsafeRawBufferPointer, scratch: inout MatchScratch)
        -> Range<Int>?
    {
        guard kind == .delimited else { return nil }
        switch reference {
        case .position(let position):
            DelimitedFields.split(line, into: &scratch.fields)
            guard position <= scratch.fields.count / 2 else { return nil }
            return scratch.fields[2 * position - 2]..<scratch.fields[2 * position - 1]
        case .field(let name):
            return fieldBinding(line, scratch: &scratch)?.first { $0.key == "$" + name }?.range
        case .selector:
            return nil
        }
    }

    /// Which field each entry took, when the event matches; `...` fields are keyed `$N`.
    func fieldBinding(_ line: UnsafeRawBufferPointer, scratch: inout MatchScratch)
        -> [(key: String, range: Range<Int>)]?
    {
        var rows: [[Bool]] = []
        guard bindFields(line, scratch: &scratch, recordRows: true, rows: &rows) else { return nil }
        let bounds = scratch.fields
        var position = bounds.count / 2
        var binding: [(key: String, range: Range<Int>)] = []
        for step in stride(from: entries.count, to: 0, by: -1) {
            switch entries[step - 1] {
            case .field(let name, _):
                position -= 1
                binding.append(("$" + name, bounds[2 * position]..<bounds[2 * position + 1]))
            case .ellipsis:
                var start = position
                while !rows[step - 1][start] { start -= 1 }
                for field in stride(from: position - 1, through: start, by: -1) {
                    binding.append(("$\(field + 1)", bounds[2 * field]..<bounds[2 * field + 1]))
                }
                position = start
            }
        }
        return binding.reversed()
    }
}

internal import LinearRegex

extension CompiledPattern {
    /// Binds entries to fields left to right; `...` absorbs any run of fields (none included),
    /// and the event must be used up exactly. Every way of spreading fields over several `...`
    /// is tried at once by tracking the set of reachable field positions.
    /// - Complexity: O(entries × fields).
    func bindFields(_ line: UnsafeRawBufferPointer, scratch: inout MatchScratch) -> Bool {
        var unused: [[Bool]] = []
        return bindFields(line, scratch: &scratch, recordRows: false, rows: &unused)
    }

    /// Binds fields as above; with `recordRows`, keeps the reachable set after each entry in `rows`.
    func bindFields(
        _ line: UnsafeRawBufferPointer, scratch: inout MatchScratch, recordRows: Bool, rows: inout [[Bool]]
    ) -> Bool {
        DelimitedFields.split(line, into: &scratch.fields)
        let fieldCount = scratch.fields.count / 2
        scratch.reach.removeAll(keepingCapacity: true)
        scratch.reach.append(contentsOf: repeatElement(false, count: fieldCount + 1))
        scratch.reach[0] = true
        if recordRows { rows = [scratch.reach] }
        for entry in entries {
            switch entry {
            case .ellipsis:
                guard let first = scratch.reach.firstIndex(of: true) else { return false }
                for position in first...fieldCount { scratch.reach[position] = true }
            case .field(_, let condition):
                scratch.nextReach.removeAll(keepingCapacity: true)
                scratch.nextReach.append(contentsOf: repeatElement(false, count: fieldCount + 1))
                var any = false
                for position in 0..<fieldCount where scratch.reach[position] {
                    let start = scratch.fields[2 * position], end = scratch.fields[2 * position + 1]
                    let field = UnsafeRawBufferPointer(rebasing: line[start..<end])
                    if let condition, !fieldSatisfies(condition, field, regex: &scratch.regex) { continue }
                    scratch.nextReach[position + 1] = true
                    any = true
                }
                swap(&scratch.reach, &scratch.nextReach)
                if !any { return false }
            }
            if recordRows { rows.append(scratch.reach) }
        }
        return scratch.reach[fieldCount]
    }

    /// Tests one field's text against an entry's conditions.
    func fieldSatisfies(_ condition: BoolExpr, _ field: UnsafeRawBufferPointer, regex: inout RegexScratch) -> Bool {
        condition.evaluate { leaf in
            let test = fieldConditions[leaf]
            let equal: Bool
            switch test.operand {
            case .number(let value, let literal):
                if let actual = DecimalText.parse(field) { return test.op.compare(actual, value) }
                guard !test.op.isRelational else { return false }
                equal = literal.withUnsafeBytes { ByteSearch.equal(field, $0) }
            case .text(let pattern):
                equal = pattern.matches(field)
            case .texts(let patterns):
                equal = patterns.contains { $0.matches(field) }
            case .regex(let compiled):
                equal = compiled.matches(field, scratch: &regex)
            }
            return test.op == .notEqual ? !equal : equal
        }
    }
}

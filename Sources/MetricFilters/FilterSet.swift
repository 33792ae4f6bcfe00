import EventScan
import FilterPattern

/// Many metric filters evaluated in one pass over each event.
///
/// Most CloudTrail filters require a field to equal one of a few values (`$.eventName =
/// ConsoleLogin`). The set reads each such field once per event and looks its value up in a
/// hash table to find the candidate filters. A nested field with few values (`$.userIdentity.type
/// = "Root"`) is read only when its top-level parent's bytes hold one of them, since reading it
/// walks the parent to its end. JSON filters that read only top-level members are
/// candidates when the event has a top-level member they cannot match without (`errorCode` for
/// CIS 3.1), and otherwise always: with the event's top level indexed, their matcher costs a few
/// name lookups. The other filters are screened by that member too, then by their literal
/// prefilter. Only candidates run their full matcher, so most events are rejected after a few
/// field lookups, whatever the number of filters.
public struct FilterSet: Sendable {
    public let filters: [MetricFilter]
    /// The per-event dispatch tables, in one immutable object so the hot loop retains nothing.
    private let dispatch: Dispatch

    public init(_ filters: [MetricFilter]) {
        self.filters = filters
        var bySelector: [Selector: [([UInt8], Int)]] = [:]
        var order: [Selector] = []
        var screened: [Int] = []
        var direct: [Int] = []
        // Pick one required equality per filter, preferring the selectors most filters share
        // (one lookup serves them all), then the fewest values.
        var popularity: [Selector: Int] = [:]
        for filter in filters {
            for requirement in filter.pattern.requiredEqualities { popularity[requirement.selector, default: 0] += 1 }
        }
        for (position, filter) in filters.enumerated() {
            // A filter with a default value emits for every event, so it must see every event.
            let choice = filter.pattern.requiredEqualities.max { a, b in
                let (pa, pb) = (popularity[a.selector] ?? 0, popularity[b.selector] ?? 0)
                return pa != pb ? pa < pb : a.values.count > b.values.count
            }
            guard filter.transformation.defaultValue == nil, let requirement = choice else {
                if filter.pattern.readsOnlyTopLevelMembers || filter.pattern.prefilter.isTrivial {
                    direct.append(position)
                } else {
                    screened.append(position)
                }
                continue
            }
            if bySelector[requirement.selector] == nil { order.append(requirement.selector) }
            bySelector[requirement.selector, default: []] += requirement.values.map { ($0, position) }
        }
        self.dispatch = Dispatch(
            patterns: filters.map(\.pattern), selectors: order, indexes: order.map { ValueIndex(bySelector[$0] ?? []) },
            screens: order.map { Self.screen($0, values: bySelector[$0]?.map(\.0) ?? []) },
            screened: screened, direct: direct,
            requiredMembers: filters.map { $0.transformation.defaultValue == nil ? Self.screeningMember($0.pattern) : nil })
    }

    /// A literal prefilter run before reading a nested selector: reading `$.userIdentity.type`
    /// walks the `userIdentity` object to its end (the last of repeated names wins), which costs
    /// more than looking for `Root` in the line. Top-level selectors and selectors with many values
    /// are read directly: the root index answers in a few nanoseconds, and each value is one scan.
    static func screen(_ selector: Selector, values: [[UInt8]]) -> LiteralPrefilter? {
        guard selector.segments.count > 1, screenParent(selector) != nil else { return nil }
        var distinct: [[UInt8]] = []
        for value in values where !distinct.contains(value) { distinct.append(value) }
        guard distinct.count <= maximumScreenedValues else { return nil }
        return LiteralPrefilter.jsonField(equalToAnyOf: distinct)
    }

    /// The top-level member a nested selector starts with: a screen searches only its value's bytes.
    static func screenParent(_ selector: Selector) -> [UInt8]? {
        guard case .member(let key) = selector.segments.first else { return nil }
        return key
    }

    /// The most values a screened selector may have: each is one scan of the parent's bytes.
    public static let maximumScreenedValues = 3

    /// The required member a filter is screened by: one that CloudTrail events may lack, when the
    /// pattern requires one, since checking a member every event has rules nothing out.
    static func screeningMember(_ pattern: CompiledPattern) -> [UInt8]? {
        let required = pattern.requiredMembers
        return required.first { !everyCloudTrailEventHas.contains($0) } ?? required.first
    }

    /// Top-level fields of every CloudTrail record (the CloudTrail record contents reference).
    static let everyCloudTrailEventHas: Set<[UInt8]> = Set(
        [
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
            "userAgent", "requestParameters", "responseElements", "requestID", "eventID", "eventType",
            "recipientAccountId", "readOnly", "managementEvent", "eventCategory",
        ].map { Array($0.utf8) })

    /// Calls `body` with the index of every filter whose pattern matches `event`, in filter order.
    /// - Complexity: one field lookup per indexed selector (for a screened nested one, a scan of its
    ///   parent's bytes first, and the lookup only when a value may be there), one top-level lookup per filter screened
    ///   by a required member, one prefilter scan per screened filter that has no such member or
    ///   whose member is present, and a full match only for candidates.
    public func forEachMatch(_ event: inout LogEvent, scratch: inout FilterSetScratch, _ body: (Int) -> Void) {
        // (The caller creates `event` with `scratch.rootIndex` so top-level lookups are shared.)
        let dispatch = self.dispatch
        let words = dispatch.always.count
        if scratch.candidates.count != words { scratch.candidates = Array(repeating: 0, count: words) }
        // Unsafe buffers over the dispatch object's immutable arrays, which `dispatch` keeps alive.
        withExtendedLifetime(dispatch) {
            scratch.candidates.withUnsafeMutableBufferPointer { candidates in
                for word in 0..<words { candidates[word] = dispatch.always[word] }
                let line = event.rawLine
                let root = event.jsonRoot()
                dispatch.paths.withUnsafeBufferPointer { paths in
                    dispatch.indexes.withUnsafeBufferPointer { indexes in
                        for position in 0..<paths.count {
                            let screen = dispatch.screens[position]
                            if let parent = screen.parent {
                                // The value lies inside its top-level parent's, so only those bytes
                                // need to hold a literal (or an escape that could hide one).
                                guard let root, let scope = event.member(parent, of: root),
                                    Self.mayHold(UnsafeRawBufferPointer(rebasing: line[scope.start..<scope.end]), screen.literals)
                                else { continue }
                            }
                            CompiledPattern.withScalarText(
                                at: paths[position], in: event, scratch: &scratch.match
                            ) { text in
                                guard let text else { return }
                                indexes[position].forEachFilter(for: text) { filter in
                                    candidates[filter >> 6] |= 1 << UInt64(filter & 63)
                                }
                            }
                        }
                    }
                }
                // Filters that need a top-level member are candidates only when the event has it.
                if let root {
                    for entry in dispatch.presence {
                        guard let key = entry.key, event.member(key, of: root) != nil else { continue }
                        candidates[entry.filter >> 6] |= 1 << UInt64(entry.filter & 63)
                    }
                }
                dispatch.patterns.withUnsafeBufferPointer { patterns in
                    if !dispatch.screened.isEmpty {
                        // Whether the line holds an escape that could hide a literal: looked for
                        // once, by the first prefilter that needs to know.
                        var hidingEscape: Bool?
                        for entry in dispatch.screened {
                            if let key = entry.key {
                                guard let root, event.member(key, of: root) != nil else { continue }
                            }
                            guard patterns[entry.filter].prefilter.mayMatch(line, hidingEscape: &hidingEscape) else { continue }
                            candidates[entry.filter >> 6] |= 1 << UInt64(entry.filter & 63)
                        }
                    }
                    for word in 0..<words {
                        var bits = candidates[word]
                        while bits != 0 {
                            let filter = word << 6 | bits.trailingZeroBitCount
                            bits &= bits &- 1
                            if patterns[filter].matches(&event, scratch: &scratch.match) { body(filter) }
                        }
                    }
                }
            }
        }
    }

    /// Whether `bytes` hold one of `literals`, or an escape that could spell one another way.
    @inline(__always)
    private static func mayHold(_ bytes: UnsafeRawBufferPointer, _ literals: UnsafeBufferPointer<Dispatch.Literal>) -> Bool {
        for literal in literals where LiteralPrefilter.text(bytes, contains: literal.bytes, anchor: literal.anchor) {
            return true
        }
        return LiteralPrefilter.hasEscapeThatHidesText(bytes)
    }

    /// How the set dispatches, for `--debug` output and tests.
    public var summary: String {
        let indexed = zip(dispatch.selectors, dispatch.screens).map { selector, screen in
            screen.parent == nil ? selector.text : "\(selector.text) (after a literal prefilter)"
        }.joined(separator: ", ")
        let screened = dispatch.screened.count
        let direct = dispatch.direct.count
        let present = dispatch.presence.count
        let dispatched = filters.count - screened - direct - present
        return "\(filters.count) filters: \(dispatched) dispatched on \(indexed.isEmpty ? "nothing" : indexed), "
            + "\(present) matched on events with a member they need, \(direct) matched on every event, "
            + "\(screened) screened by literals"
    }
}

/// The tables ``FilterSet/forEachMatch(_:scratch:_:)`` reads per event.
private final class Dispatch: Sendable {
    /// A filter and, when it has one, a top-level member it cannot match without.
    struct Entry: @unchecked Sendable {
        // @unchecked: `key` points into a `MemberNames` buffer, which is never written after init
        // and lives as long as the `Dispatch` holding both.
        var filter: Int
        var key: UnsafeRawBufferPointer?
    }

    /// A nested selector's screen: the top-level member its value lies in (nil: not screened) and
    /// the literals one of which that member's bytes must hold.
    struct Screen: @unchecked Sendable {
        // @unchecked: both point into memory this object owns and never writes after init.
        var parent: UnsafeRawBufferPointer?
        var literals: UnsafeBufferPointer<Literal>
    }

    /// A literal, and the offset of its rarest byte.
    struct Literal {
        var bytes: UnsafeRawBufferPointer
        var anchor: Int
    }

    /// Every filter's pattern, by filter index.
    let patterns: [CompiledPattern]
    /// The selectors read per event, and for each the filters that require which of its values.
    let selectors: [Selector]
    let indexes: [ValueIndex]
    /// Per selector, the literals its top-level parent's bytes must hold for the selector's value to
    /// be one of the indexed values, when looking for them is cheaper than reading the value.
    let screens: [Screen]
    /// The memory the screens point into.
    private let parentNames: MemberNames
    private let literalNames: MemberNames
    private let screenLiterals: LiteralBuffer
    /// The selectors' steps, valid while `selectors` holds them: resolving these per event counts
    /// no references, where copying a `Selector` retains three.
    let paths: [SelectorPath]
    /// Filters screened by their required member (if any), then by their literal prefilter.
    let screened: [Entry]
    /// Filters cheap enough to match on every event that has their required member (always set).
    let presence: [Entry]
    /// Filters that are candidates for every event (cheap to match, no required member).
    let direct: [Int]
    /// The candidate bits every event starts with: those of `direct`.
    let always: [UInt64]
    /// The bytes the entries' keys point into, so reading them per event counts no references.
    private let names: MemberNames

    init(
        patterns: [CompiledPattern], selectors: [Selector], indexes: [ValueIndex], screens: [LiteralPrefilter?],
        screened: [Int], direct: [Int], requiredMembers: [[UInt8]?]
    ) {
        self.patterns = patterns
        self.selectors = selectors
        self.indexes = indexes
        // The screens' parents (one per selector, nil where unscreened) and their literals, all
        // screens' in order, in plain memory; each screen points at its run of literals.
        let parentNames = MemberNames(
            zip(selectors, screens).map { selector, screen in screen == nil ? nil : FilterSet.screenParent(selector) })
        let texts = screens.flatMap { $0?.anyOf ?? [] }
        let literalNames = MemberNames(texts)
        let storage = LiteralBuffer(capacity: texts.count)
        for (index, text) in texts.enumerated() {
            // Safe to unwrap: every element of `texts` is a name, none nil.
            storage.buffer.initializeElement(
                at: index, to: Literal(bytes: literalNames.keys[index]!, anchor: LiteralPrefilter.rarestByteOffset(text)))
        }
        var first = 0
        self.screens = screens.indices.map { position in
            let count = screens[position]?.anyOf.count ?? 0
            defer { first += count }
            return Screen(
                parent: parentNames.keys[position],
                literals: UnsafeBufferPointer(rebasing: storage.buffer[first..<(first + count)]))
        }
        self.parentNames = parentNames
        self.literalNames = literalNames
        self.screenLiterals = storage
        self.paths = selectors.map(\.path)
        let names = MemberNames(requiredMembers)
        self.names = names
        self.screened = screened.map { Entry(filter: $0, key: names.keys[$0]) }
        self.presence = direct.filter { names.keys[$0] != nil }.map { Entry(filter: $0, key: names.keys[$0]) }
        self.direct = direct.filter { names.keys[$0] == nil }
        var always = Array(repeating: UInt64(0), count: max(1, (patterns.count + 63) / 64))
        for filter in self.direct { always[filter >> 6] |= 1 << UInt64(filter & 63) }
        self.always = always
    }
}

/// The screens' literals, in memory that is never written after init and freed with its owner.
private final class LiteralBuffer: @unchecked Sendable {
    // @unchecked: the buffer is only read after `Dispatch.init` fills it.
    let buffer: UnsafeMutableBufferPointer<Dispatch.Literal>

    init(capacity: Int) { buffer = .allocate(capacity: max(capacity, 1)) }

    deinit { buffer.deallocate() }
}

/// Member names copied into one buffer that is never written again and freed with its owner.
private final class MemberNames: @unchecked Sendable {
    // @unchecked: the buffer is only read after init.
    private let bytes: UnsafeMutableRawBufferPointer
    /// Per name given, its bytes in `bytes` (nil where none was given).
    let keys: [UnsafeRawBufferPointer?]

    init(_ names: [[UInt8]?]) {
        let total = names.reduce(0) { $0 + ($1?.count ?? 0) }
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 8)
        var keys: [UnsafeRawBufferPointer?] = []
        var offset = 0
        for name in names {
            guard let name else {
                keys.append(nil)
                continue
            }
            let target = UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + name.count)])
            name.withUnsafeBytes { target.copyMemory(from: $0) }
            keys.append(UnsafeRawBufferPointer(target))
            offset += name.count
        }
        self.bytes = bytes
        self.keys = keys
    }

    deinit { bytes.deallocate() }
}

/// Per-worker scratch for ``FilterSet``.
public struct FilterSetScratch {
    var match = MatchScratch()
    /// The candidate filters of the current event, one bit each.
    var candidates: [UInt64] = []
    /// Pass to `LogEvent(_:rootIndex:)` for events given to ``FilterSet/forEachMatch(_:scratch:_:)``.
    public let rootIndex = RootIndex()

    public init() {}
}

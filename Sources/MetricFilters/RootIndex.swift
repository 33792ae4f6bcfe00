import EventScan

/// The members of an event's root object, found in one walk and reused by every lookup.
///
/// Filters look up several top-level fields per event (`eventName`, `eventSource`,
/// `userIdentity`); walking the root once and keeping each member's name and value makes every
/// further lookup a short scan of names. One instance is owned by each worker and reused for
/// every event, so it allocates only while it grows to the widest event seen.
public final class RootIndex {
    fileprivate var names: [JSONNode] = []
    fileprivate var values: [JSONNode] = []
    fileprivate var built = false
    /// False when the walk met malformed JSON: lookups then fall back to walking.
    fileprivate var complete = false

    public init() {}

    /// Forgets the previous event.
    func reset() {
        names.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        built = false
        complete = false
    }

    /// The value of `key` at the top level of `view`, the last one when a key repeats.
    func member(_ key: UnsafeRawBufferPointer, root: JSONNode, in view: EventView) -> JSONNode? {
        if !built {
            built = true
            complete = view.forEachMember(of: root) { name, value in
                names.append(name)
                values.append(value)
                return true
            }
        }
        guard complete else { return view.member(key, of: root) }
        var position = names.count
        while position > 0 {
            position -= 1
            let name = names[position]
            if name.end - name.start == key.count || name.hasEscapes, view.string(name, equals: key) {
                return values[position]
            }
        }
        return nil
    }
}

@available(*, unavailable)
extension RootIndex: Sendable {}

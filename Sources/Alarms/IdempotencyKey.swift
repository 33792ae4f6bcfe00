/// Idempotency keys for notifications: stable across runs, processes and machines.
///
/// The key is the 128-bit FNV-1a hash of `AlarmArn`, `StateChangeTime` (ISO 8601, milliseconds) and
/// the new state, joined by NUL bytes, written as 32 lowercase hex digits. CloudWatch's own advice is
/// to de-duplicate on (alarm ARN, `StateChangeTime`); adding the state keeps a forced
/// `SetAlarmState` at the same instant distinct. FNV-1a is not cryptographic — the key names a
/// transition, it does not authenticate one — and needs no Foundation.
public enum IdempotencyKey {
    static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b

    /// The key for one transition.
    public static func make(alarmArn: String, stateChangeTime: String, newState: String) -> String {
        var hash = offsetBasis
        func feed(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt128(byte)
                hash = hash &* prime
            }
        }
        feed(alarmArn)
        feed("\u{0}")
        feed(stateChangeTime)
        feed("\u{0}")
        feed(newState)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }
}

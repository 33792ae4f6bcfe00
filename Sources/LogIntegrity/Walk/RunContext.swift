/// The state one validation run shares across chains: the trust inputs, and what parsed digests said
/// about their predecessors.
final class RunContext {
    /// A valid digest's claims about the digest it points at.
    struct SuccessorLink {
        var successor: String
        var previousHash: String?
        var successorStart: UTCTime
    }

    let mirror: Mirror
    let keys: PublicKeyRing
    let sidecar: SignatureSidecar
    let options: ValidationOptions
    /// Signatures for a digest URI, taken from the `previousDigestSignature` of any parsed digest naming it.
    var successorSignatures: [String: [String]] = [:]
    /// Links from valid digests, by the URI they point at.
    var successorLinks: [String: SuccessorLink] = [:]

    init(mirror: Mirror, keys: PublicKeyRing, sidecar: SignatureSidecar, options: ValidationOptions) {
        self.mirror = mirror
        self.keys = keys
        self.sidecar = sidecar
        self.options = options
    }
}

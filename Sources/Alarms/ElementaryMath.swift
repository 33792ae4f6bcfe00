/// Natural logarithm and exponential without Foundation or libc, accurate to about 1e-15 relative.
///
/// The sketch needs `log` and `pow` for bucket indices; the `Alarms` target links the standard
/// library only, which has no public transcendental functions.
enum ElementaryMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// ln(x) for finite positive `x`: x = s·2ᵉ, then ln s = 2·atanh((s − 1)/(s + 1)) as a series.
    static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log needs a finite positive argument")
        var exponent = Double(x.exponent)
        var significand = x.significand
        if significand > 1.414_213_562_373_095 {
            significand /= 2
            exponent += 1
        }
        let t = (significand - 1) / (significand + 1)
        let t2 = t * t
        var term = t
        var sum = 0.0
        var denominator = 1.0
        for _ in 0..<14 {
            sum += term / denominator
            term *= t2
            denominator += 2
        }
        return exponent * ln2 + 2 * sum
    }

    /// eˣ: x = k·ln2 + r with |r| ≤ ln2/2, then a Taylor series for eʳ, scaled by 2ᵏ.
    static func exp(_ x: Double) -> Double {
        if x > 709.7 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0
        var sum = 1.0
        for n in 1..<22 {
            term *= r / Double(n)
            sum += term
        }
        return scale(sum, byPowerOfTwo: Int(k))
    }

    private static func scale(_ value: Double, byPowerOfTwo power: Int) -> Double {
        var result = value
        var remaining = power
        // Step in chunks so intermediate powers of two stay representable.
        while remaining > 1000 { result *= Double(sign: .plus, exponent: 1000, significand: 1); remaining -= 1000 }
        while remaining < -1000 { result *= Double(sign: .plus, exponent: -1000, significand: 1); remaining += 1000 }
        return result * Double(sign: .plus, exponent: remaining, significand: 1)
    }
}

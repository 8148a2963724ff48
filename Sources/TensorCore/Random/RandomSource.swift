import RealModule

/// A seedable, splittable pseudo-random number generator (xoshiro256**).
///
/// The same seed gives the same stream on every machine, so a model, a data set and a set of
/// samples are reproducible. Independent streams for parallel work come from
/// ``stream(_:)``: stream `i` of a generator is a pure function of its seed and `i`, so a result
/// computed on several threads does not depend on the thread count.
///
/// The generator is written by hand because neither the standard library nor swift-numerics
/// ships a seedable one.
///
/// Reference: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47 (2021). Seeding by SplitMix64 as recommended there.
///
/// ```swift
/// var rng = RandomSource(seed: 42)
/// let u = rng.nextUniform()        // in [0, 1)
/// let z = rng.nextNormal()         // standard normal
/// var worker3 = rng.stream(3)      // independent stream for worker 3
/// ```
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    /// The seed this generator (or the stream it was derived from) started with.
    public let seed: UInt64
    private var cachedNormal: Double?

    /// Creates a generator from a seed; equal seeds give equal streams.
    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// Creates a generator seeded from the system's entropy source.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 { _next() }

    @usableFromInline
    internal mutating func _next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// An independent generator for stream `index` (a worker, a chain, a batch).
    ///
    /// Stream `i` depends only on this generator's ``seed`` and `i`, not on how many values
    /// were drawn before, so parallel work is reproducible whatever the thread count.
    public func stream(_ index: Int) -> RandomSource {
        var mixer = RandomSource(seed: seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(truncatingIfNeeded: index &+ 1)))
        return RandomSource(seed: mixer.next())
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `[low, high)`.
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// A standard normal deviate (Marsaglia's polar method; the second deviate is cached).
    public mutating func nextNormal() -> Double {
        if let z = cachedNormal {
            cachedNormal = nil
            return z
        }
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * Double.log(s) / s).squareRoot()
                cachedNormal = v * f
                return u * f
            }
        }
    }

    /// A normal deviate with the given mean and standard deviation.
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextNormal()
    }

    /// Fills `buffer` with standard normal deviates as `Float`.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        for i in buffer.indices { buffer[i] = Float(nextNormal()) }
    }
}

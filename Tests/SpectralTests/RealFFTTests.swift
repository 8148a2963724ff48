import Dispatch
import Foundation
import Testing
@testable import Spectral

@Suite struct RealFFTTests {
    static func series(_ n: Int, seed: Int) -> [Float] {
        (0 ..< n).map { (j: Int) -> Float in
            let a: Double = sin(Double(j * 7 + seed) * 0.37)
            let b: Double = 0.5 * cos(Double(j * j + seed) * 0.11)
            return Float(a + b)
        }
    }

    @Test(arguments: [1, 8, 200, 201])
    func forwardMatchesTheDefinitionAndInverts(_ n: Int) throws {
        let fft = try RealFFT(length: n)
        let x = Self.series(n, seed: n)
        let spectrum = try fft.forward(x)
        #expect(spectrum.binCount == n / 2 + 1)
        for k in 0 ..< spectrum.binCount {
            var re = 0.0, im = 0.0
            for j in 0 ..< n {
                let a = -2 * Double.pi * Double(j * k) / Double(n)
                re += Double(x[j]) * cos(a)
                im += Double(x[j]) * sin(a)
            }
            #expect(abs(Double(spectrum.real[k]) - re) < 1e-4 * Double(n))
            #expect(abs(Double(spectrum.imaginary[k]) - im) < 1e-4 * Double(n))
        }
        let back = try fft.inverse(spectrum)
        #expect(zip(back, x).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    /// A delay by m whole samples in the frequency domain is the cyclic shift x_{(j−m) mod n}.
    @Test(arguments: [(200, 3), (200, -17), (201, 50), (64, 1)])
    func wholeSampleShiftEqualsACyclicShiftInTime(_ n: Int, _ m: Int) throws {
        let fft = try RealFFT(length: n)
        let x = Self.series(n, seed: 1)
        let dt = 0.05
        let shifted = try fft.inverse(try fft.forward(x).timeShifted(by: Double(m) * dt, sampleSpacing: dt))
        for j in 0 ..< n {
            let source = ((j - m) % n + n) % n
            #expect(abs(shifted[j] - x[source]) < 2e-5, "j = \(j)")
        }
    }

    /// Fractional shifts are unitary (odd n: no Nyquist bin): shifting back restores the series,
    /// and a band-limited sinusoid moves exactly.
    @Test func fractionalShiftsInvertAndMoveBandLimitedSignals() throws {
        let n = 201, dt = 0.05
        let fft = try RealFFT(length: n)
        let x = Self.series(n, seed: 4)
        let there = try fft.forward(x).timeShifted(by: 0.0137, sampleSpacing: dt)
        let back = try fft.inverse(there.timeShifted(by: -0.0137, sampleSpacing: dt))
        #expect(zip(back, x).allSatisfy { abs($0 - $1) < 2e-5 })
        // A sinusoid with a whole number of periods in the window is band-limited.
        let f = 7 / (Double(n) * dt)
        let s = (0 ..< n).map { Float(sin(2 * .pi * f * Double($0) * dt)) }
        let delay = 0.0213
        let moved = try fft.inverse(try fft.forward(s).timeShifted(by: delay, sampleSpacing: dt))
        for j in 0 ..< n { #expect(abs(Double(moved[j]) - sin(2 * .pi * f * (Double(j) * dt - delay))) < 1e-4) }
    }

    @Test func plansAreCreatedAndUsedFromManyThreads() throws {
        let lengths = [100, 128, 200, 256]
        let x = Self.series(200, seed: 2)
        let shared = try RealFFT(length: 200)
        let reference = try shared.forward(x)
        let failures = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            guard let own = try? RealFFT(length: lengths[i % 4]) else { failures.add(); return }
            guard (try? own.forward([Float](repeating: 1, count: own.length))) != nil,
                (try? shared.forward(x)) == reference
            else { failures.add(); return }
        }
        #expect(failures.count == 0)
        #expect(throws: SpectralError.invalidLength(0)) { try RealFFT(length: 0) }
    }
}

final class FailureCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

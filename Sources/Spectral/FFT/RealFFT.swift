import CFFTW
import Foundation

/// Real-to-complex and complex-to-real discrete Fourier transforms of one length, backed by
/// FFTW (single precision, `fftw3f`). Owns its two FFTW plans and destroys them in `deinit`
/// (STYLE item 6).
///
/// Conventions: ``forward(_:)`` computes X_k = Σ_j x_j e^{−2πijk/n} for k = 0…n/2;
/// ``inverse(_:)`` is its inverse (scaled by 1/n), so `inverse(forward(x)) ≈ x`.
///
/// Plan creation in FFTW is not thread-safe; it is serialised by a process-wide lock.
/// Execution is thread-safe (each call uses its own buffers through FFTW's new-array interface),
/// so one `RealFFT` can be shared by many threads.
///
/// ```swift
/// let fft = try RealFFT(length: 200)
/// let spectrum = try fft.forward(series)    // 101 bins
/// let back = try fft.inverse(spectrum)      // ≈ series
/// ```
public final class RealFFT: @unchecked Sendable {
    /// The series length n.
    public let length: Int
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    /// Serialises FFTW's planner, which is not thread-safe.
    private static let plannerLock = NSLock()

    /// Plans the transforms for series of `length` samples.
    /// - Parameter length: n ≥ 1.
    /// - Throws: ``SpectralError/invalidLength(_:)`` or ``SpectralError/planningFailed(length:)``.
    public init(length: Int) throws {
        guard length >= 1, length <= Int(Int32.max) else { throw SpectralError.invalidLength(length) }
        self.length = length
        let bins = length / 2 + 1
        // Planning with FFTW_ESTIMATE does not touch the arrays' contents; scratch arrays only
        // fix the plan's (un)alignment, and FFTW_UNALIGNED lets execution use any arrays.
        let real = fftwf_alloc_real(length)!
        let complex = fftwf_alloc_complex(bins)!
        defer {
            fftwf_free(real)
            fftwf_free(complex)
        }
        let flags = UInt32(FFTW_ESTIMATE | FFTW_UNALIGNED)
        Self.plannerLock.lock()
        let f = fftwf_plan_dft_r2c_1d(Int32(length), real, complex, flags)
        let i = fftwf_plan_dft_c2r_1d(Int32(length), complex, real, flags | UInt32(FFTW_DESTROY_INPUT))
        Self.plannerLock.unlock()
        guard let f, let i else {
            Self.plannerLock.lock()
            if let f { fftwf_destroy_plan(f) }
            if let i { fftwf_destroy_plan(i) }
            Self.plannerLock.unlock()
            throw SpectralError.planningFailed(length: length)
        }
        forwardPlan = f
        inversePlan = i
    }

    deinit {
        Self.plannerLock.lock()
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
        Self.plannerLock.unlock()
    }

    /// The one-sided spectrum of a real series.
    /// - Parameter series: x, `[length]`.
    /// - Returns: X_k for k = 0…n/2.
    /// - Throws: ``SpectralError/shapeMismatch(_:)`` if `series` does not have ``length`` samples.
    public func forward(_ series: [Float]) throws -> ComplexSpectrum {
        guard series.count == length else {
            throw SpectralError.shapeMismatch("a series of \(series.count) samples for an FFT planned for \(length)")
        }
        let bins = length / 2 + 1
        var input = series
        var interleaved = [Float](repeating: 0, count: 2 * bins)
        input.withUnsafeMutableBufferPointer { inp in
            interleaved.withUnsafeMutableBufferPointer { out in
                out.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: bins) { c in
                    fftwf_execute_dft_r2c(forwardPlan, inp.baseAddress!, c)
                }
            }
        }
        return try ComplexSpectrum(
            real: (0 ..< bins).map { interleaved[2 * $0] },
            imaginary: (0 ..< bins).map { interleaved[2 * $0 + 1] },
            seriesLength: length)
    }

    /// The real series with the given one-sided spectrum (the inverse of ``forward(_:)``, scaled by 1/n).
    /// - Parameter spectrum: X, `[length/2 + 1]` bins.
    /// - Returns: x, `[length]`.
    /// - Throws: ``SpectralError/shapeMismatch(_:)`` if `spectrum` is not that of a series of
    ///   ``length`` samples or does not hold `length/2 + 1` bins.
    public func inverse(_ spectrum: ComplexSpectrum) throws -> [Float] {
        let bins = length / 2 + 1
        guard spectrum.seriesLength == length, spectrum.real.count == bins, spectrum.imaginary.count == bins else {
            throw SpectralError.shapeMismatch(
                "a spectrum of \(spectrum.real.count) bins (series length \(spectrum.seriesLength)) for an FFT planned for \(length) samples (\(bins) bins)")
        }
        var interleaved = [Float](repeating: 0, count: 2 * bins)
        for k in 0 ..< bins {
            interleaved[2 * k] = spectrum.real[k]
            interleaved[2 * k + 1] = spectrum.imaginary[k]
        }
        var output = [Float](repeating: 0, count: length)
        interleaved.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                inp.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: bins) { c in
                    fftwf_execute_dft_c2r(inversePlan, c, out.baseAddress!)
                }
            }
        }
        let scale = 1 / Float(length)
        for j in 0 ..< length { output[j] *= scale }
        return output
    }
}

/// Errors of the spectral module.
public enum SpectralError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A transform length that is not positive (or too large for FFTW's 32-bit interface).
    case invalidLength(Int)
    /// FFTW returned no plan.
    case planningFailed(length: Int)
    /// A frequency grid that cannot exist (the message names the problem).
    case invalidGrid(String)
    /// Arrays whose sizes do not fit together (the message names them).
    case shapeMismatch(String)
    /// A time shift or other parameter that is not a finite number.
    case nonFiniteValue(String)
    /// A window whose parameters cannot work (the message names the problem).
    case invalidWindow(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case let .invalidLength(n): return "FFT length must be between 1 and \(Int32.max), got \(n)"
        case let .planningFailed(n): return "FFTW could not plan a transform of length \(n)"
        case let .invalidGrid(message): return "invalid frequency grid: \(message)"
        case let .shapeMismatch(message): return "shape mismatch: \(message)"
        case let .nonFiniteValue(message): return "not a finite number: \(message)"
        case let .invalidWindow(message): return "invalid window: \(message)"
        }
    }
}

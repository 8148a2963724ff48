/// A one-sided complex spectrum of a real series: bins k = 0…n/2, stored as separate real and
/// imaginary parts (single precision, as FFTW's `fftw3f`).
public struct ComplexSpectrum: Equatable, Sendable {
    /// The real parts: `[n/2 + 1]`.
    public var real: [Float]
    /// The imaginary parts: `[n/2 + 1]`.
    public var imaginary: [Float]
    /// The length n of the real series this is the spectrum of.
    public let seriesLength: Int

    /// Creates a spectrum.
    /// - Parameters:
    ///   - real: `[n/2 + 1]`.
    ///   - imaginary: `[n/2 + 1]`.
    ///   - seriesLength: n ≥ 1.
    /// - Throws: ``SpectralError/shapeMismatch(_:)`` unless both parts hold n/2 + 1 values.
    public init(real: [Float], imaginary: [Float], seriesLength: Int) throws {
        guard seriesLength >= 1, real.count == seriesLength / 2 + 1, imaginary.count == real.count else {
            throw SpectralError.shapeMismatch(
                "a series of length \(seriesLength) has \(max(seriesLength, 0) / 2 + 1) bins, got \(real.count) real and \(imaginary.count) imaginary parts")
        }
        self.real = real
        self.imaginary = imaginary
        self.seriesLength = seriesLength
    }

    /// The number of bins, n/2 + 1.
    public var binCount: Int { real.count }

    /// The frequencies f_k = k/(n·Δt) of the bins.
    /// - Parameter sampleSpacing: Δt, the time between samples.
    public func frequencies(sampleSpacing: Double) -> [Double] {
        (0 ..< binCount).map { Double($0) / (Double(seriesLength) * sampleSpacing) }
    }
}

import Foundation
import Spectral
import TensorCore

extension NoiseSpectrum {
    /// Draws stationary Gaussian noise with this one-sided PSD in the frequency domain.
    ///
    /// Convention: for bin width Δf, the real and imaginary parts of ñ_k are independent normal
    /// deviates with mean 0 and variance S_k/(4Δf) each, so E|ñ_k|² = S_k/(2Δf) — the discrete
    /// form of ⟨ñ(f)ñ*(f′)⟩ = ½S_n(f)δ(f − f′). Then ⟨n, h⟩ has variance ⟨h, h⟩ for any fixed h,
    /// and the matched-filter SNR of pure noise is a standard normal deviate. Bins outside the
    /// band are zero. The same seed gives the same noise on every machine.
    ///
    /// - Parameters:
    ///   - type: The storage precision (Float for data).
    ///   - random: The random source (advanced by 2 deviates per band bin).
    /// - Returns: ñ, `[grid.binCount]`.
    public func sampleNoise<Scalar: BinaryFloatingPoint & Sendable>(
        as type: Scalar.Type = Scalar.self, using random: inout RandomSource
    ) -> FrequencySeries<Scalar> {
        var noise = FrequencySeries<Scalar>(grid: grid)
        let scale = 1 / (4 * grid.spacing)
        for k in grid.bandBins where values[k].isFinite {
            let sigma = (values[k] * scale).squareRoot()
            noise.real[k] = Scalar(sigma * random.nextNormal())
            noise.imaginary[k] = Scalar(sigma * random.nextNormal())
        }
        return noise
    }
}

import Foundation
import Spectral

extension NoiseSpectrum {
    /// The complex noise-weighted overlap 4Δf Σ_k ã_k b̃_k* / S_k over the band (the discrete
    /// form of 4∫ ã b̃*/S_n df); its real part is the inner product ⟨a, b⟩.
    /// - Parameters:
    ///   - a: A series on this grid.
    ///   - b: A series on this grid.
    /// - Returns: (real, imaginary) parts.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` if a series lives on another grid.
    public func overlap<S, T>(_ a: FrequencySeries<S>, _ b: FrequencySeries<T>) throws -> (
        real: Double, imaginary: Double
    ) {
        guard a.grid == grid, b.grid == grid else {
            throw GravitationalWaveError.shapeMismatch("series on \(a.grid) and \(b.grid), spectrum on \(grid)")
        }
        var re = 0.0
        var im = 0.0
        for k in grid.bandBins {
            let w = inverseValues[k]
            let ar = Double(a.real[k])
            let ai = Double(a.imaginary[k])
            let br = Double(b.real[k])
            let bi = Double(b.imaginary[k])
            re += (ar * br + ai * bi) * w
            im += (ai * br - ar * bi) * w
        }
        let scale = 4 * grid.spacing
        return (scale * re, scale * im)
    }

    /// The noise-weighted inner product ⟨a, b⟩ = 4Δf Re Σ_k ã_k b̃_k*/S_k.
    /// - Parameters:
    ///   - a: A series on this grid.
    ///   - b: A series on this grid.
    /// - Returns: ⟨a, b⟩.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``.
    public func innerProduct<S, T>(_ a: FrequencySeries<S>, _ b: FrequencySeries<T>) throws -> Double {
        try overlap(a, b).real
    }

    /// The optimal signal-to-noise ratio ρ = √⟨h, h⟩ = (4Δf Σ_k |h̃_k|²/S_k)^{1/2}.
    /// - Parameter signal: h̃, on this grid.
    /// - Returns: ρ.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``.
    public func optimalSNR<S>(of signal: FrequencySeries<S>) throws -> Double {
        try innerProduct(signal, signal).squareRoot()
    }

    /// The matched-filter SNR of data d against a template h at the template's own time and
    /// phase: ⟨d, h⟩/√⟨h, h⟩. With d = h + n it has mean √⟨h, h⟩ and unit variance.
    /// - Parameters:
    ///   - data: d̃, on this grid.
    ///   - template: h̃, on this grid, not zero in the band.
    /// - Returns: The SNR.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` for a template with zero norm.
    public func matchedFilterSNR<S, T>(data: FrequencySeries<S>, template: FrequencySeries<T>) throws -> Double {
        let norm = try innerProduct(template, template)
        guard norm > 0 else { throw GravitationalWaveError.invalidParameter("the template is zero in the band") }
        return try innerProduct(data, template) / norm.squareRoot()
    }

    /// The mismatch 1 − |⟨a, b⟩_ℂ|/√(⟨a, a⟩⟨b, b⟩) of two waveforms as given (not maximised
    /// over time or phase shifts), with ⟨a, b⟩_ℂ the complex ``overlap(_:_:)``.
    /// - Parameters:
    ///   - a: A series on this grid.
    ///   - b: A series on this grid.
    /// - Returns: The mismatch, 0 for proportional waveforms.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` if either has zero norm.
    public func mismatch<S, T>(_ a: FrequencySeries<S>, _ b: FrequencySeries<T>) throws -> Double {
        let aa = try innerProduct(a, a)
        let bb = try innerProduct(b, b)
        guard aa > 0, bb > 0 else { throw GravitationalWaveError.invalidParameter("a waveform is zero in the band") }
        let ab = try overlap(a, b)
        return 1 - (ab.real * ab.real + ab.imaginary * ab.imaginary).squareRoot() / (aa * bb).squareRoot()
    }
}

import Foundation
import Spectral

/// A one-sided noise power spectral density S_n(f) (strain²/Hz): an analytic design curve or a
/// table interpolated linearly in log f – log S.
///
/// One-sided means ⟨ñ(f) ñ*(f′)⟩ = ½ S_n(f) δ(f − f′) for f, f′ ≥ 0; the noise-weighted inner
/// product is ⟨a, b⟩ = 4 Re ∫ ã(f) b̃*(f)/S_n(f) df (see ``NoiseWeightedInnerProduct``).
///
/// ```swift
/// let psd = PowerSpectralDensity.advancedLIGODesign
/// let s = try psd.values(on: grid)                       // [grid.binCount], +∞ below f_min
/// let o3 = try PowerSpectralDensity(contentsOfASDFile: URL(fileURLWithPath: "aligo_O3.txt"))
/// ```
public struct PowerSpectralDensity: Sendable, CustomStringConvertible {
    enum Model: Sendable {
        case analytic(@Sendable (Double) -> Double)
        case table(range: ClosedRange<Double>, logFrequencies: [Double], logValues: [Double])
    }

    /// A short name (the curve's, or "table").
    public let name: String
    let model: Model

    init(name: String, analytic function: @escaping @Sendable (Double) -> Double) {
        self.name = name
        model = .analytic(function)
    }

    /// A tabulated PSD (or ASD), interpolated linearly in log f – log S between its points.
    /// - Parameters:
    ///   - frequencies: f_i (Hz), positive and strictly increasing, `[count ≥ 2]`.
    ///   - values: S_n(f_i) (strain²/Hz), or the ASD √S_n(f_i) (strain/√Hz) if `isAmplitude`,
    ///     positive, `[count]`.
    ///   - isAmplitude: Whether `values` are amplitude spectral densities (squared here).
    ///   - name: A short name.
    /// - Throws: ``GravitationalWaveError/tooFewPoints(_:)``, ``GravitationalWaveError/shapeMismatch(_:)``,
    ///   ``GravitationalWaveError/nonPositiveValue(line:value:)`` (line = 1-based point index),
    ///   ``GravitationalWaveError/unsortedFrequencies(line:frequency:previous:)``.
    public init(frequencies: [Double], values: [Double], isAmplitude: Bool = false, name: String = "table") throws {
        guard frequencies.count == values.count else {
            throw GravitationalWaveError.shapeMismatch("\(frequencies.count) frequencies but \(values.count) values")
        }
        guard frequencies.count >= 2 else { throw GravitationalWaveError.tooFewPoints(frequencies.count) }
        for i in frequencies.indices {
            for v in [frequencies[i], values[i]] where !(v.isFinite && v > 0) {
                throw GravitationalWaveError.nonPositiveValue(line: i + 1, value: v)
            }
            if i > 0 && frequencies[i] <= frequencies[i - 1] {
                throw GravitationalWaveError.unsortedFrequencies(
                    line: i + 1, frequency: frequencies[i], previous: frequencies[i - 1])
            }
        }
        self.name = name
        model = .table(
            range: frequencies.first!...frequencies.last!, logFrequencies: frequencies.map { log($0) },
            logValues: values.map { isAmplitude ? 2 * log($0) : log($0) })
    }

    /// The name.
    public var description: String { "PowerSpectralDensity(\(name))" }

    /// The frequency range a table covers (Hz); `nil` for analytic curves (defined for f > 0).
    public var tabulatedRange: ClosedRange<Double>? {
        if case .table(let range, _, _) = model { return range }
        return nil
    }

    /// S_n(f).
    /// - Parameter frequency: f > 0 (Hz), inside the table's range for a table.
    /// - Returns: S_n(f) (strain²/Hz).
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` for f ≤ 0 or not finite,
    ///   ``GravitationalWaveError/frequencyOutsideTable(frequency:lower:upper:)``.
    public func value(at frequency: Double) throws -> Double {
        guard frequency.isFinite, frequency > 0 else {
            throw GravitationalWaveError.invalidParameter(
                "a PSD is evaluated at positive frequencies, got \(frequency) Hz")
        }
        switch model {
        case .analytic(let function):
            return function(frequency)
        case .table(let range, let logF, let logS):
            guard range.contains(frequency) else {
                throw GravitationalWaveError.frequencyOutsideTable(
                    frequency: frequency, lower: range.lowerBound, upper: range.upperBound)
            }
            let x = min(max(log(frequency), logF.first!), logF.last!)
            // The last point with log f_i ≤ x (binary search).
            var low = 0
            var high = logF.count - 1
            while high - low > 1 {
                let mid = (low + high) / 2
                if logF[mid] <= x { low = mid } else { high = mid }
            }
            let w = (x - logF[low]) / (logF[high] - logF[low])
            return exp(logS[low] + w * (logS[high] - logS[low]))
        }
    }

    /// S_n at every bin of a grid, `[grid.binCount]`: +∞ below the band (so that inner products
    /// give those bins no weight), S_n(f_k) in it.
    /// - Parameter grid: The frequency grid.
    /// - Returns: The PSD per bin (strain²/Hz).
    /// - Throws: As ``value(at:)`` for a band frequency the PSD does not cover (including
    ///   f = 0 when the band starts at 0).
    public func values(on grid: FrequencyGrid) throws -> [Double] {
        var out = [Double](repeating: .infinity, count: grid.binCount)
        for k in grid.bandBins { out[k] = try value(at: grid.frequency(ofBin: k)) }
        return out
    }
}

import Foundation
import Inference
import Spectral

/// Time translations ℝⁿ acting on the frequency-domain data of n detectors, one shift per
/// detector: the group of GNPE for gravitational waves (Dax et al., ICLR 2022, §5), whose pose is
/// the arrival times t_I (``BinaryBlackHoleNetwork/arrivalTimes(of:)``).
///
/// Data layout: the `[channel][frequency][re, im]` layout of ``BinaryBlackHoleNetwork``, with the
/// bins of a grid's band: channel I's value at f_k = k·Δf is the complex number
/// (x[(I·n + j)·2], x[(I·n + j)·2 + 1]), j = k − ⌈f_min/Δf⌉, n the band's bin count.
///
/// The element g = (g₁, …, gₙ) delays channel I by g_I: x̃_I(f) ↦ x̃_I(f) e^{−2πif g_I}, which is
/// x_I(t) ↦ x_I(t − g_I) in the time domain, matching the action on the pose t_I ↦ t_I + g_I.
/// Unlike ``TimeTranslation`` on sampled series, this is exact for every real shift (no lattice,
/// no interpolation, nothing enters from outside a window): the phase factor is the
/// translation's exact action on band-limited data, and it is unitary, so whitened noise stays
/// white with unit variance. Composition adds coordinates (``composesByAddition``).
///
/// ```swift
/// let group = DetectorTimeTranslation(grid: network.grid, channels: 3)   // or network.timeTranslations
/// let moved = group.transformingData(x, by: [0.01, -0.002, 0.003])       // delay H1 by 10 ms, …
/// ```
public struct DetectorTimeTranslation: PoseGroup {
    /// The grid whose band bins the data hold.
    public let grid: FrequencyGrid
    /// The number of channels (detectors) n = the group's dimension.
    public let channels: Int

    /// Creates the group of per-detector time shifts of data on `grid`'s band.
    /// - Parameters:
    ///   - grid: The frequency grid (its band bins form each channel).
    ///   - channels: The number of detectors (checked against the data length when the model is declared).
    public init(grid: FrequencyGrid, channels: Int) {
        self.grid = grid
        self.channels = channels
    }

    /// One shift per detector.
    public var dimension: Int { channels }
    /// No shift in any detector.
    public var identity: [Double] { Array(repeating: 0, count: channels) }
    /// Shifts add, detector by detector.
    public func composing(_ g: [Double], _ h: [Double]) -> [Double] { zip(g, h).map { $0 + $1 } }
    /// The opposite shifts.
    public func inverse(of g: [Double]) -> [Double] { g.map { -$0 } }

    /// True: elements compose by adding coordinates, so GNPE's Jacobians are 1.
    public var composesByAddition: Bool { true }

    /// Delays channel I by g_I (see the type's documentation).
    /// - Parameters:
    ///   - x: Data, `[channels × bandBinCount × 2]`.
    ///   - g: Shifts in seconds, `[channels]`.
    /// - Returns: T(g)x, the same shape; NaN everywhere in a channel whose shift is not finite.
    public func transformingData(_ x: [Double], by g: [Double]) -> [Double] {
        var out = x
        let length = 2 * grid.bandBinCount
        guard x.count == channels * length, g.count == channels else {
            // A wrong shape is rejected when the model is declared (validate); never trap here.
            return Array(repeating: .nan, count: x.count)
        }
        out.withUnsafeMutableBufferPointer { buffer in
            for channel in 0..<channels {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(channel * length)..<((channel + 1) * length)])
                guard g[channel].isFinite else {
                    for i in slice.indices { slice[i] = .nan }
                    continue
                }
                Self.delay(slice, firstBin: grid.firstBandBin, spacing: grid.spacing, by: g[channel])
            }
        }
        return out
    }

    /// - Throws: ``ModelError/invalidGroup(_:)`` for fewer than one channel or data whose length
    ///   is not channels × 2 × the band's bin count.
    public func validate(outputLength: Int) throws {
        guard channels >= 1 else {
            throw ModelError.invalidGroup("DetectorTimeTranslation needs at least one channel, got \(channels)")
        }
        let expected = channels * 2 * grid.bandBinCount
        guard expected == outputLength else {
            throw ModelError.invalidGroup(
                "DetectorTimeTranslation: \(channels) channel(s) × \(grid.bandBinCount) bins × 2 (re, im) = \(expected) ≠ the simulator's output length \(outputLength)"
            )
        }
    }

    /// Multiplies interleaved complex values (re, im) of bins k = firstBin, firstBin + 1, … by
    /// e^{−2πi k Δf Δt}.
    ///
    /// The factors come from a rotation recurrence restarted from cos/sin of the exact phase
    /// every 64 bins (phase error below 1e−13 rad for phases up to 10⁴ rad).
    /// - Parameters:
    ///   - values: `[2 × bins]`, (re, im) per bin, in place.
    ///   - firstBin: The index k of the first bin.
    ///   - spacing: Δf (Hz).
    ///   - delay: Δt (s), finite.
    static func delay(_ values: UnsafeMutableBufferPointer<Double>, firstBin: Int, spacing: Double, by delay: Double) {
        let bins = values.count / 2
        let step = -2 * Double.pi * spacing * delay
        let stepCos = cos(step)
        let stepSin = sin(step)
        var start = 0
        while start < bins {
            let end = min(start + 64, bins)
            let anchor = Double(firstBin + start) * step
            var c = cos(anchor)
            var s = sin(anchor)
            for j in start..<end {
                let a = values[2 * j]
                let b = values[2 * j + 1]
                values[2 * j] = a * c - b * s
                values[2 * j + 1] = a * s + b * c
                let nc = c * stepCos - s * stepSin
                s = c * stepSin + s * stepCos
                c = nc
            }
            start = end
        }
    }
}

extension BinaryBlackHoleNetwork {
    /// The group of per-detector time shifts acting on this network's data
    /// (``DetectorTimeTranslation`` with one channel per detector).
    public var timeTranslations: DetectorTimeTranslation {
        DetectorTimeTranslation(grid: grid, channels: detectors.count)
    }

    /// The arrival times as a computed pose for an ``Equivariance``: components "t_H1", "t_L1",
    /// "t_V1" (one per detector, `t_` + its name), computed by ``arrivalTimes(of:)``; NaN for a θ
    /// of the wrong length or with a non-finite value (which the model then reports, naming θ).
    ///
    /// ```swift
    /// let model = try SimulationModel {
    ///     network
    ///     Equivariance(pose: network.arrivalTimePose, group: network.timeTranslations,
    ///                  kernel: .uniform(width: 0.002), exactPart: .commonTranslation(moving: "geocent_time"))
    /// }
    /// ```
    public var arrivalTimePose: ComputedPose {
        let network = self
        return ComputedPose(detectors.map { "t_\($0.name)" }) { theta in
            (try? network.arrivalTimes(of: theta)) ?? [Double](repeating: .nan, count: network.detectors.count)
        }
    }
}

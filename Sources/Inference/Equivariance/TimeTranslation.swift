import RealModule

/// Time translations ℝⁿ acting on n channels of series sampled on one uniform time grid: one
/// pose component (an arrival or onset time) per channel, e.g. one arrival time per detector —
/// parameters, or computed from θ (``ComputedPose``), where shifting every channel by the same
/// time may be declared exact (``Equivariance/ExactPart/commonTranslation(moving:)``).
///
/// Data layout: `channels` series of `grid.count` samples each, concatenated:
/// `[channel 0: t_0 … t_{N−1}, channel 1: …]`. The element Δ = (Δ₀, …, Δₙ₋₁) delays channel c by
/// Δ_c: (T(Δ)x)_c(t) = x_c(t − Δ_c), so a signal with onset t₀ moves to onset t₀ + Δ, matching the
/// action on the pose, t₀ ↦ t₀ + Δ.
///
/// **Shifts by fractions of a grid step.** x(t − Δ) is needed between grid points; by default it
/// is interpolated from the samples (``Interpolation/linear``, or Keys' cubic convolution
/// ``Interpolation/cubic``, R. Keys, IEEE TASSP 29 (1981)). A shift by a whole number of steps
/// moves samples exactly; a fractional shift is exact for signals that are linear (cubic) between
/// samples and otherwise errs by O(h²) (O(h³)); it also smooths white noise a little (linear:
/// variance × (1 − 2f(1 − f)) at fractional offset f). Hence T(−Δ)T(Δ)x = x exactly for
/// whole-step shifts and up to that interpolation error for fractional ones.
///
/// **What enters from outside the window.** Samples needed from before t_0 or after t_{N−1} are
/// unknown. ``Boundary/zero`` (the default) fills them with 0: right for a system at rest before
/// its onset (the damped oscillator is exactly 0 before t₀, so delaying it is exact) and for
/// zero-mean noise-free signals that have died out; the noise in the shifted-in region is then
/// missing, which the flow sees in training too. ``Boundary/nearest`` repeats the first or last
/// sample instead. Either way the equivariance is exact only up to the window's edges: for the
/// oscillator, advancing the data (Δ < 0) loses the tail that left the window and shifts zeros in
/// at the end.
///
/// **Whole-sample proxies.** With ``Interpolation/wholeSamples`` GNPE never shifts by a fraction:
/// its proxies are rounded to whole multiples of the step (``PoseGroup/proxy(near:)``), so
/// standardising moves samples exactly and the noise stays white with its variance; the fraction
/// stays in the relative pose t₀ − t̂₀ that the flow learns, and the law of t̂₀ given t₀ is the
/// kernel convolved with the rounding cell, still a function of t̂₀ − t₀ alone, as GNPE needs.
/// ``transformingData(_:by:)`` then rounds a shift to whole samples. It is exact but not the
/// default: on the damped oscillator it measured the same c2st as linear interpolation at 10⁴ and
/// 10⁵ simulations (0.696 vs 0.701, 0.624 vs 0.623) and worse at 10³ (0.856 vs 0.825, mean of
/// three training seeds).
public struct TimeTranslation: PoseGroup {
    /// How shifts by fractions of a grid step are handled.
    public enum Interpolation: Sendable {
        /// Linear interpolation between samples (the default).
        case linear
        /// Shifts are rounded to whole samples, and so are GNPE's proxies.
        case wholeSamples
        /// Keys' cubic convolution between samples.
        case cubic
    }
    /// What is shifted in from outside the window.
    public enum Boundary: Sendable { case zero, nearest }

    /// The sample times t_k (uniformly spaced, increasing).
    public let grid: [Double]
    /// The number of channels (= the number of pose components).
    public let channels: Int
    /// The interpolation between grid points.
    public let interpolation: Interpolation
    /// The fill for samples from outside the window.
    public let boundary: Boundary

    /// Creates the group of time shifts of `channels` series sampled on `grid`.
    /// - Parameters:
    ///   - grid: The sample times `[N]`, uniformly spaced (checked when the model is declared).
    ///   - channels: The number of channels, each with its own shift (default 1).
    ///   - interpolation: `.linear` (default), `.cubic` or `.wholeSamples`.
    ///   - boundary: `.zero` (default) or `.nearest`.
    public init(grid: [Double], channels: Int = 1, interpolation: Interpolation = .linear, boundary: Boundary = .zero) {
        self.grid = grid
        self.channels = channels
        self.interpolation = interpolation
        self.boundary = boundary
    }

    /// The grid step h.
    public var step: Double { grid.count > 1 ? (grid[grid.count - 1] - grid[0]) / Double(grid.count - 1) : 1 }

    /// One shift per channel.
    public var dimension: Int { channels }
    /// No shift in any channel.
    public var identity: [Double] { Array(repeating: 0, count: channels) }
    /// Shifts add, channel by channel.
    public func composing(_ g: [Double], _ h: [Double]) -> [Double] { zip(g, h).map { $0 + $1 } }
    /// The opposite shifts.
    public func inverse(of g: [Double]) -> [Double] { g.map { -$0 } }
    /// True: shifts compose by adding.
    public var composesByAddition: Bool { true }

    /// With ``Interpolation/wholeSamples``, `element` rounded to whole multiples of the grid
    /// step; otherwise `element` unchanged.
    public func proxy(near element: [Double]) -> [Double] {
        guard interpolation == .wholeSamples else { return element }
        let h = step
        return element.map { ($0 / h).rounded() * h }
    }

    /// Delays each channel's series by its shift (see the type's discussion for the interpolation).
    public func transformingData(_ x: [Double], by g: [Double]) -> [Double] {
        var out = Array(repeating: 0.0, count: x.count)
        let n = grid.count
        let h = step
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0 ..< channels {
                    shiftChannel(
                        UnsafeBufferPointer(rebasing: src[c * n ..< (c + 1) * n]),
                        into: UnsafeMutableBufferPointer(rebasing: dst[c * n ..< (c + 1) * n]),
                        bySamples: g[c] / h)
                }
            }
        }
        return out
    }

    /// out[k] = x(k − s) in sample units.
    @inline(__always)
    private func shiftChannel(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, bySamples s: Double) {
        let n = x.count
        @inline(__always) func value(_ j: Int) -> Double {
            if j >= 0 && j < n { return x[j] }
            switch boundary {
            case .zero: return 0
            case .nearest: return j < 0 ? x[0] : x[n - 1]
            }
        }
        // Round a shift within 1e-9 of a whole step to it, so whole-step shifts copy exactly.
        var shift = s
        let rounded = shift.rounded()
        if abs(shift - rounded) < 1e-9 { shift = rounded }
        if interpolation == .wholeSamples { shift = rounded }
        // A pose far outside the grid (or NaN, e.g. from a diverged flow) must not reach
        // `Int(_:)`: past n + 2 samples every output is a boundary value anyway.
        guard !shift.isNaN else {
            for k in 0 ..< n { out[k] = .nan }
            return
        }
        shift = min(max(shift, -Double(n + 2)), Double(n + 2))
        let whole = Int(shift.rounded(.down))
        let frac = shift - Double(whole)  // in [0, 1)
        // position k − s = (k − whole − 1) + (1 − frac) when frac > 0.
        if frac == 0 {
            for k in 0 ..< n { out[k] = value(k - whole) }
            return
        }
        let f = 1 - frac
        switch interpolation {
        case .linear:
            for k in 0 ..< n {
                let i = k - whole - 1
                out[k] = (1 - f) * value(i) + f * value(i + 1)
            }
        case .wholeSamples:
            // Internal invariant: `.wholeSamples` rounds the shift above, so frac == 0 there.
            preconditionFailure("whole-sample shifts have no fractional part")
        case .cubic:
            let f2 = f * f, f3 = f2 * f
            let wm = 0.5 * (-f3 + 2 * f2 - f)
            let w0 = 0.5 * (3 * f3 - 5 * f2 + 2)
            let w1 = 0.5 * (-3 * f3 + 4 * f2 + f)
            let w2 = 0.5 * (f3 - f2)
            for k in 0 ..< n {
                let i = k - whole - 1
                out[k] = wm * value(i - 1) + w0 * value(i) + w1 * value(i + 1) + w2 * value(i + 2)
            }
        }
    }

    /// - Throws: ``ModelError/invalidGroup(_:)`` if the grid has fewer than 2 points, is not uniform
    ///   and increasing, or `channels × grid.count ≠ outputLength`.
    public func validate(outputLength: Int) throws {
        guard channels >= 1 else { throw ModelError.invalidGroup("TimeTranslation needs at least one channel, got \(channels)") }
        guard grid.count >= 2 else { throw ModelError.invalidGroup("TimeTranslation needs a grid of at least 2 times, got \(grid.count)") }
        let h = step
        guard h > 0, h.isFinite else { throw ModelError.invalidGroup("TimeTranslation grid must be increasing and finite") }
        for k in 1 ..< grid.count where abs(grid[k] - grid[k - 1] - h) > 1e-6 * abs(h) {
            throw ModelError.invalidGroup("TimeTranslation grid is not uniform: t[\(k)] − t[\(k - 1)] = \(grid[k] - grid[k - 1]), expected \(h)")
        }
        guard channels * grid.count == outputLength else {
            throw ModelError.invalidGroup("TimeTranslation: \(channels) channel(s) × \(grid.count) times = \(channels * grid.count) ≠ the simulator's output length \(outputLength)")
        }
    }
}


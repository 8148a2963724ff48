import Spectral

/// The two polarisations h̃₊(f), h̃×(f) of a gravitational wave on a frequency grid
/// (strain·s; zero below the grid's band).
public struct Polarizations: Equatable, Sendable {
    /// h̃₊, `[grid.binCount]`.
    public var plus: FrequencySeries<Double>
    /// h̃×, `[grid.binCount]`.
    public var cross: FrequencySeries<Double>

    /// Creates the pair.
    /// - Parameters:
    ///   - plus: h̃₊.
    ///   - cross: h̃×, on the same grid.
    public init(plus: FrequencySeries<Double>, cross: FrequencySeries<Double>) {
        self.plus = plus
        self.cross = cross
    }
}

/// A frequency-domain waveform model of aligned-spin binaries.
///
/// Conventions (LALSimulation's `SimInspiralChooseFDWaveform`): h̃(f) = ∫ h(t) e^{−2πift} dt;
/// the signal coalesces at t = 0 (multiply by e^{−2πift_c}, e.g. with
/// ``FrequencySeries/timeShift(by:)``, to move it to t_c); φ_ref is the orbital phase at f_ref;
/// h̃₊ carries (1 + cos²ι)/2 and h̃× = −i cos ι · (the same h̃), ι the inclination.
public protocol FrequencyDomainWaveform: Sendable {
    /// The model's name, e.g. "TaylorF2".
    var name: String { get }

    /// The polarisations of a binary on a grid.
    /// - Parameters:
    ///   - binary: The source.
    ///   - grid: The frequency grid; the waveform is generated on its band (f_min > 0).
    /// - Returns: h̃₊ and h̃×, `[grid.binCount]` each.
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` for a grid or binary the model
    ///   does not cover.
    func polarizations(of binary: AlignedSpinBinary, on grid: FrequencyGrid) throws -> Polarizations

    /// Whether φ_ref enters h̃₊ and h̃× only through the common factor e^{2iφ_ref} (a model of the
    /// dominant (2, 2) mode alone, as TaylorF2 and IMRPhenomD): then the likelihood's phase
    /// dependence is analytic and ``PhaseMarginalizedNetwork`` can integrate it out exactly.
    var phaseEntersAsCommonFactor: Bool { get }
}

extension FrequencyDomainWaveform {
    /// `false`: a model with higher modes (or one that does not say) is not phase-marginalised.
    public var phaseEntersAsCommonFactor: Bool { false }
}

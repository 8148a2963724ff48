import Foundation
import Spectral

/// TaylorF2: the stationary-phase frequency-domain post-Newtonian inspiral of an aligned-spin
/// binary, with the 3.5PN phase and the Newtonian amplitude — LALSimulation's `TaylorF2` at its
/// default settings (all spin terms, no tides, no amplitude corrections).
///
/// With v = (πMf)^{1/3} (M the total mass in seconds), η the symmetric mass ratio and
/// Ψ(v) = 3/(128ηv⁵) Σ_{k=0}^{7} (φ_k + φ_k^{(l)} ln v) v^k (coefficients in
/// ``TaylorF2/Phasing``),
///
///     h̃(f) = −√(5π/24) √η (M_s · M_m / d_L) v^{−7/2} · e^{−i(Ψ(v) − 2φ_ref − Ψ(v_ref) − π/4)}
///
/// where M_s and M_m are the total mass in seconds and metres and v_ref = (πMf_ref)^{1/3}
/// (Ψ(v_ref) = 0 when f_ref = 0, the coalescence convention). The polarisations are
/// h̃₊ = (1 + cos²ι)/2 · h̃ and h̃× = −i cos ι · h̃. The waveform is generated on the whole band of
/// the grid, including above the innermost stable circular orbit if the grid goes there (as
/// LALSimulation does when given f_max).
///
/// References: Buonanno, Iyer, Ochsner, Pan, Sathyaprakash, PRD 80, 084043 (2009),
/// arXiv:0907.0700, Sec. III F and Eq. (3.18) (non-spinning phase); spin terms in ``Phasing``.
public struct TaylorF2: FrequencyDomainWaveform {
    /// "TaylorF2".
    public var name: String { "TaylorF2" }
    /// `true`: the (2, 2) mode only, so φ_ref is the common factor e^{2iφ_ref} of both polarisations.
    public var phaseEntersAsCommonFactor: Bool { true }

    /// Creates the model.
    public init() {}

    /// The polarisations of a binary on a grid (see the type's documentation).
    /// - Parameters:
    ///   - binary: The source.
    ///   - grid: The grid; its band must start above 0 Hz.
    /// - Returns: h̃₊, h̃× on every bin of the grid, zero below the band (strain·s).
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` if the grid's band starts at 0 Hz.
    public func polarizations(of binary: AlignedSpinBinary, on grid: FrequencyGrid) throws -> Polarizations {
        guard grid.minimumFrequency > 0 else {
            throw GravitationalWaveError.invalidParameter("TaylorF2 needs a band that starts above 0 Hz")
        }
        let phasing = Phasing(binary)
        let totalMassSeconds = binary.totalMass * PhysicalConstants.solarMassSeconds
        let totalMassMetres = binary.totalMass * PhysicalConstants.solarMassMetres
        let piM = Double.pi * totalMassSeconds
        let amplitude =
            -(5 * Double.pi / 24).squareRoot() * binary.symmetricMassRatio.squareRoot()
            * totalMassSeconds * totalMassMetres / (binary.distance * PhysicalConstants.megaparsec)
        let referencePhase =
            binary.referenceFrequency > 0
            ? phasing.phase(at: cbrt(piM * binary.referenceFrequency)) : 0
        let offset = 2 * binary.referencePhase + referencePhase + Double.pi / 4
        let cosIota = cos(binary.inclination)
        let plusFactor = 0.5 * (1 + cosIota * cosIota)

        var plus = FrequencySeries<Double>(grid: grid)
        var cross = FrequencySeries<Double>(grid: grid)
        plus.real.withUnsafeMutableBufferPointer { pr in
            plus.imaginary.withUnsafeMutableBufferPointer { pi in
                cross.real.withUnsafeMutableBufferPointer { cr in
                    cross.imaginary.withUnsafeMutableBufferPointer { ci in
                        let powers = BinPowers.of(grid)
                        let v1 = cbrt(piM * grid.spacing)
                        let logV1 = log(v1)
                        for k in grid.bandBins {
                            let index = k - grid.firstBandBin
                            let v = v1 * powers.cubeRoots[index]  // (πMf)^{1/3}
                            let logV = logV1 + powers.logarithms[index] / 3
                            let a = amplitude / (v * v * v * v.squareRoot())  // v^{-7/2}
                            // h̃ = a e^{−i(Ψ − offset)} = a (cos(Ψ − offset) − i sin(Ψ − offset)).
                            let phase = phasing.phase(at: v, logV: logV) - offset
                            // Written out in TaylorF2 and IMRPhenomD alike: a shared helper taking the
                            // amplitude and phase as a closure measured 25–30 % slower per waveform.
                            let re = a * cos(phase)
                            let im = -a * sin(phase)
                            pr[k] = plusFactor * re
                            pi[k] = plusFactor * im
                            cr[k] = cosIota * im  // −i cos ι (re + i im) = cos ι (im − i re)
                            ci[k] = -cosIota * re
                        }
                    }
                }
            }
        }
        return Polarizations(plus: plus, cross: cross)
    }
}

import Foundation

extension TaylorF2 {
    /// The stationary-phase PN phase Ψ(v) = 3/(128ηv⁵) Σ_k (φ_k + φ_k^{(l)} ln v) v^k of an
    /// aligned-spin binary, to 3.5PN in the non-spinning, spin-orbit and (to 3PN) spin-spin
    /// terms. Spins enter through χ_i and the mass fractions X_i = m_i/M (so η = X₁X₂); black
    /// holes have a unit spin-induced quadrupole (κ = 1).
    ///
    /// Sources, with ln v rather than ln(v/v_lso) in the 2.5PN and 3PN logarithms (the
    /// difference is a constant phase and time, absorbed by φ_ref and t_c), as LALSimulation:
    /// - non-spinning, 0–3.5PN: Buonanno et al., arXiv:0907.0700, Eq. (3.18);
    /// - spin-orbit at 1.5, 2.5, 3 and 3.5PN: Bohé, Marsat, Faye, Blanchet, CQG 30, 135009
    ///   (2013), arXiv:1303.7412, Eqs. (3.15)–(3.16) (and the 3.5PN tail-induced term);
    /// - spin-spin at 2PN (including the quadrupole–monopole and self-spin terms): Arun,
    ///   Buonanno, Faye, Ochsner, PRD 79, 104023 (2009), arXiv:0810.5336, Eq. (6.24), and
    ///   Mikóczi, Vasúth, Gergely, PRD 71, 124043 (2005), astro-ph/0504538;
    /// - spin-spin at 3PN: Bohé, Faye, Marsat, Porter, CQG 32, 195010 (2015), arXiv:1501.01529
    ///   (as collected in LIGO-T1800298).
    struct Phasing {
        /// 3/(128η).
        let newtonian: Double
        /// φ₂ … φ₇ (φ₀ = 1, φ₁ = 0).
        let c2, c3, c4, c5, c6, c7: Double
        /// φ₅^{(l)} and φ₆^{(l)}, the coefficients of ln v.
        let c5Log, c6Log: Double

        /// The coefficients of a binary.
        /// - Parameters:
        ///   - binary: The source.
        ///   - includesSpinSpin3PN: Whether φ₆ carries the 3PN spin-spin terms (TaylorF2: yes;
        ///     IMRPhenomD, calibrated before they were known, leaves them out).
        init(_ binary: AlignedSpinBinary, includesSpinSpin3PN: Bool = true) {
            self.init(
                eta: binary.symmetricMassRatio, mass1Fraction: binary.mass1 / binary.totalMass,
                mass2Fraction: binary.mass2 / binary.totalMass, spin1: binary.spin1, spin2: binary.spin2,
                includesSpinSpin3PN: includesSpinSpin3PN)
        }

        /// The coefficients from η, the mass fractions X_i = m_i/M and the spins χ_i.
        init(
            eta: Double, mass1Fraction x1: Double, mass2Fraction x2: Double, spin1 chi1: Double,
            spin2 chi2: Double, includesSpinSpin3PN: Bool
        ) {
            let pi = Double.pi
            let pi2 = Double.pi * Double.pi
            let quadrupole = 1.0  // κ_i = 1 for black holes

            // Spin-orbit terms, Σ_i f(X_i) χ_i.
            func spinOrbit(_ f: (Double) -> Double) -> Double { f(x1) * chi1 + f(x2) * chi2 }
            let so15 = spinOrbit { x in x * (25 + 38.0 / 3 * x) }
            let so25 = spinOrbit { x in
                -x * (13915.0 / 84 - 10.0 / 3 * x * (1 - x) + x * (12760.0 / 81 + 170.0 / 9 * x * (1 - x)))
            }
            let so30 = spinOrbit { x in pi * x * (1490.0 / 3 + 260 * x) }
            let so35 = spinOrbit { x in
                let e = x * (1 - x)
                return x
                    * (-170978035.0 / 48384 + 2876425.0 / 672 * e + 4735.0 / 144 * e * e
                        + x * (-7189233785.0 / 1_524_096 + 458555.0 / 3024 * e - 5345.0 / 72 * e * e))
            }
            // Spin-spin terms: for aligned spins χ_i·L̂ = χ_i and |χ_i|² = χ_i².
            let ss20 =
                (1235.0 / 24 - 3605.0 / 24) * eta * chi1 * chi2
                + [(x1, chi1), (x2, chi2)].reduce(0.0) { sum, body in
                    let (x, chi) = body
                    let alongL = (-75 * quadrupole + 5.0 / 48) * x * x
                    let magnitude = (25 * quadrupole - 35.0 / 48) * x * x
                    return sum + (alongL + magnitude) * chi * chi
                }
            let ss30 =
                (32675.0 / 112 + 5575.0 / 18 * eta) * eta * chi1 * chi2
                + [(x1, chi1), (x2, chi2)].reduce(0.0) { sum, body in
                    let (x, chi) = body
                    let quadrupoleTerm = (47035.0 / 84 + 2935.0 / 6 * x - 120 * x * x) * x * x * quadrupole
                    let selfSpin = (-410825.0 / 672 - 1085.0 / 12 * x + 1255.0 / 36 * x * x) * x * x
                    return sum + (quadrupoleTerm + selfSpin) * chi * chi
                }

            newtonian = 3 / (128 * eta)
            c2 = 3715.0 / 756 + 55.0 / 9 * eta
            c3 = -16 * pi + so15
            c4 = 15293365.0 / 508032 + 27145.0 / 504 * eta + 3085.0 / 72 * eta * eta + ss20
            let c5NonSpinning = pi * (38645.0 / 756 - 65.0 / 9 * eta)
            c5 = c5NonSpinning + so25
            c5Log = 3 * (c5NonSpinning + so25)
            c6Log = -6848.0 / 21
            c6 =
                11583231236531.0 / 4_694_215_680 - 640.0 / 3 * pi2 - 6848.0 / 21 * PhysicalConstants.eulerGamma
                + eta * (-15737765635.0 / 3_048_192 + 2255.0 / 12 * pi2)
                + 76055.0 / 1728 * eta * eta - 127825.0 / 1296 * eta * eta * eta
                + c6Log * log(4.0) + so30 + (includesSpinSpin3PN ? ss30 : 0)
            c7 = pi * (77096675.0 / 254016 + 378515.0 / 1512 * eta - 74045.0 / 756 * eta * eta) + so35
        }

        /// Ψ(v).
        func phase(at v: Double) -> Double { phase(at: v, logV: log(v)) }

        /// dΨ/dv.
        func phaseDerivative(at v: Double) -> Double {
            let logV = log(v)
            let v2 = v * v
            // d/dv of (φ_k + φ_k^{(l)} ln v) v^{k−5}, term by term, times v⁶.
            let series =
                -5 + v2
                * (-3 * c2 + v * (-2 * c3 + v * (-c4 + v * (c5Log + v * ((c6 + c6Log * logV + c6Log) + v * 2 * c7)))))
            return newtonian * series / (v2 * v2 * v2)
        }

        /// Ψ(v) given ln v.
        @inline(__always)
        func phase(at v: Double, logV: Double) -> Double {
            let v2 = v * v
            let series =
                1 + v2 * (c2 + v * (c3 + v * (c4 + v * ((c5 + c5Log * logV) + v * ((c6 + c6Log * logV) + v * c7)))))
            return newtonian * series / (v2 * v2 * v)
        }
    }
}

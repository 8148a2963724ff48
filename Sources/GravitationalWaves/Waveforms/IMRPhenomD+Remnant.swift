import Foundation

extension IMRPhenomD {
    /// The binary in the model's variables (m₁ ≥ m₂) and the remnant black hole IMRPhenomD
    /// predicts for it, with its ringdown frequencies in units of the total mass.
    struct Remnant: Sendable {
        /// η, the symmetric mass ratio (at most 1/4).
        let eta: Double
        /// δ = √(1 − 4η) = (m₁ − m₂)/M.
        let delta: Double
        /// χ₁, χ₂ with m₁ ≥ m₂.
        let chi1, chi2: Double
        /// χ_PN = χ_eff − 38η(χ₁ + χ₂)/113 (Khan et al. 2016, Eq. (2); Ajith 2011, Eq. (5.9)).
        let chiPN: Double
        /// The final spin a_f/M_f (Husa et al. 2016, arXiv:1508.07250, Eq. (3.6)).
        let finalSpin: Double
        /// The energy radiated, E_rad/M (Husa et al. 2016, Eqs. (3.7)–(3.8)).
        let radiatedEnergy: Double
        /// M f_RD: the ringdown frequency of the final hole (mass M(1 − E_rad)), times M.
        let ringdownFrequency: Double
        /// M f_damp: its damping frequency, times M.
        let dampingFrequency: Double

        /// The remnant of a binary.
        /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` when the final spin falls
        ///   outside the quasi-normal-mode table (|a_f| > 0.999).
        init(_ binary: AlignedSpinBinary) throws {
            let heavierFirst = binary.mass1 >= binary.mass2
            chi1 = heavierFirst ? binary.spin1 : binary.spin2
            chi2 = heavierFirst ? binary.spin2 : binary.spin1
            // Equal masses can round η above 1/4.
            eta = min(binary.symmetricMassRatio, 0.25)
            delta = (1 - 4 * eta).squareRoot()
            chiPN = 0.5 * ((chi1 + chi2) * (1 - 76 * eta / 113) + delta * (chi1 - chi2))
            let x1 = 0.5 * (1 + delta)
            let x2 = 0.5 * (1 - delta)
            let s = x1 * x1 * chi1 + x2 * x2 * chi2  // S/M², the total spin
            let eta2 = eta * eta
            finalSpin =
                eta
                * (3.4641016151377544 - 4.399247300629289 * eta + 9.397292189321194 * eta2
                    - 13.180949901606242 * eta2 * eta
                    + s
                    * ((1 / eta - 0.0850917821418767 - 5.837029316602263 * eta)
                        + (0.1014665242971878 - 2.0967746996832157 * eta) * s
                        + (-1.3546806617824356 + 4.108962025369336 * eta) * s * s
                        + (-0.8676969352555539 + 2.064046835273906 * eta) * s * s * s))
            let sHat = s / (x1 * x1 + x2 * x2)
            radiatedEnergy =
                eta
                * (0.055974469826360077 + 0.5809510763115132 * eta - 0.9606726679372312 * eta2
                    + 3.352411249771192 * eta2 * eta)
                * (1 + (-0.0030302335878845507 - 2.0066110851351073 * eta + 7.7050567802399215 * eta2) * sHat)
                / (1 + (-0.6714403054720589 - 1.4756929437702908 * eta + 7.304676214885011 * eta2) * sHat)
            guard KerrQuasinormalModes.spinRange.contains(finalSpin) else {
                throw GravitationalWaveError.invalidParameter(
                    "IMRPhenomD: the final spin \(finalSpin) of m1 = \(binary.mass1), m2 = \(binary.mass2), χ1 = \(binary.spin1), χ2 = \(binary.spin2) is outside the ringdown table (|a_f| ≤ 0.999)"
                )
            }
            ringdownFrequency = KerrQuasinormalModes.ringdown(finalSpin) / (1 - radiatedEnergy)
            dampingFrequency = KerrQuasinormalModes.damping(finalSpin) / (1 - radiatedEnergy)
        }
    }
}

import Foundation

extension IMRPhenomD {
    /// The phase φ(f) of IMRPhenomD, h̃ ∝ e^{−iφ} (Khan et al. 2016, Sec. IV; f is Mf throughout):
    ///
    /// - inspiral, f < 0.018: the TaylorF2 phase Ψ(v) (3.5PN, without the 3PN spin-spin terms
    ///   that postdate the calibration) − π/4, plus (σ₁f + ¾σ₂f^{4/3} + ⅗σ₃f^{5/3} + ½σ₄f²)/η
    ///   (Eqs. (27)–(28));
    /// - intermediate: (β₁f + β₂ ln f − β₃/(3f³))/η (Eq. (16));
    /// - merger-ringdown, f ≥ f_RD/2: (α₁f − α₂/f + ⁴⁄₃α₃f^{3/4} + α₄ arctan((f − α₅f_RD)/f_damp))/η
    ///   (Eq. (14));
    ///
    /// the later pieces shifted by C₁ + C₂f so that φ and dφ/df are continuous at the transitions
    /// (Sec. VIII).
    struct Phase: Sendable {
        /// The inspiral/intermediate transition, Mf = 0.018.
        static let inspiralEnd = 0.018

        let phasing: TaylorF2.Phasing
        let eta: Double
        let sigma1, sigma2, sigma3, sigma4: Double
        let beta1, beta2, beta3: Double
        let alpha1, alpha2, alpha3, alpha4, alpha5: Double
        let ringdownFrequency, dampingFrequency: Double
        /// The intermediate/merger-ringdown transition, f_RD/2.
        let mergerRingdownStart: Double
        /// C₁, C₂ of the intermediate and of the merger-ringdown piece.
        private(set) var intermediateOffset = 0.0, intermediateSlope = 0.0
        private(set) var mergerRingdownOffset = 0.0, mergerRingdownSlope = 0.0

        init(_ remnant: Remnant) {
            let eta = remnant.eta
            let chi = remnant.chiPN
            self.eta = eta
            phasing = TaylorF2.Phasing(
                eta: eta, mass1Fraction: 0.5 * (1 + remnant.delta), mass2Fraction: 0.5 * (1 - remnant.delta),
                spin1: remnant.chi1, spin2: remnant.chi2, includesSpinSpin3PN: false)
            sigma1 = Table.sigma1(eta: eta, chi: chi)
            sigma2 = Table.sigma2(eta: eta, chi: chi)
            sigma3 = Table.sigma3(eta: eta, chi: chi)
            sigma4 = Table.sigma4(eta: eta, chi: chi)
            beta1 = Table.beta1(eta: eta, chi: chi)
            beta2 = Table.beta2(eta: eta, chi: chi)
            beta3 = Table.beta3(eta: eta, chi: chi)
            alpha1 = Table.alpha1(eta: eta, chi: chi)
            alpha2 = Table.alpha2(eta: eta, chi: chi)
            alpha3 = Table.alpha3(eta: eta, chi: chi)
            alpha4 = Table.alpha4(eta: eta, chi: chi)
            alpha5 = Table.alpha5(eta: eta, chi: chi)
            ringdownFrequency = remnant.ringdownFrequency
            dampingFrequency = remnant.dampingFrequency
            mergerRingdownStart = 0.5 * remnant.ringdownFrequency
            // C¹ connections: first inspiral → intermediate, then (intermediate with its shift) →
            // merger-ringdown.
            let f1 = Self.inspiralEnd
            intermediateSlope = inspiralSlope(at: f1) - intermediateRawSlope(at: f1)
            intermediateOffset =
                inspiral(at: f1, v: cbrt(Double.pi * f1)) - intermediateRaw(at: f1) - intermediateSlope * f1
            let f2 = mergerRingdownStart
            let intermediateValue = intermediateRaw(at: f2) + intermediateOffset + intermediateSlope * f2
            mergerRingdownSlope = intermediateRawSlope(at: f2) + intermediateSlope - mergerRingdownRawSlope(at: f2)
            mergerRingdownOffset = intermediateValue - mergerRingdownRaw(at: f2) - mergerRingdownSlope * f2
        }

        /// The inspiral phase at f given v = (πf)^{1/3} (and optionally ln v).
        @inline(__always)
        func inspiral(at f: Double, v: Double, logV: Double? = nil) -> Double {
            let fThird = v * Amplitude.inversePiThird
            let pseudoPN =
                f * (sigma1 + fThird * (0.75 * sigma2 + fThird * (0.6 * sigma3 + 0.5 * sigma4 * fThird)))
            return phasing.phase(at: v, logV: logV ?? log(v)) - Double.pi / 4 + pseudoPN / eta
        }

        /// dφ/df of the inspiral.
        func inspiralSlope(at f: Double) -> Double {
            let v = cbrt(Double.pi * f)
            let fThird = v * Amplitude.inversePiThird
            let pseudoPN = sigma1 + fThird * (sigma2 + fThird * (sigma3 + sigma4 * fThird))
            return phasing.phaseDerivative(at: v) * Double.pi / (3 * v * v) + pseudoPN / eta
        }

        /// The intermediate ansatz without its C¹ shift.
        @inline(__always)
        func intermediateRaw(at f: Double, logF: Double? = nil) -> Double {
            (beta1 * f + beta2 * (logF ?? log(f)) - beta3 / (3 * f * f * f)) / eta
        }

        func intermediateRawSlope(at f: Double) -> Double {
            (beta1 + beta2 / f + beta3 / (f * f * f * f)) / eta
        }

        /// The merger-ringdown ansatz without its C¹ shift.
        @inline(__always)
        func mergerRingdownRaw(at f: Double) -> Double {
            let threeQuarters = (f * f.squareRoot()).squareRoot()  // f^{3/4}
            return
                (alpha1 * f - alpha2 / f + 4.0 / 3 * alpha3 * threeQuarters
                + alpha4 * atan((f - alpha5 * ringdownFrequency) / dampingFrequency)) / eta
        }

        /// d/df of ``mergerRingdownRaw(at:)``; at f_peak it is the time shift that puts the
        /// amplitude's peak at t = 0.
        func mergerRingdownRawSlope(at f: Double) -> Double {
            let u = (f - alpha5 * ringdownFrequency) / dampingFrequency
            return
                (alpha1 + alpha2 / (f * f) + alpha3 / f.squareRoot().squareRoot()
                + alpha4 / (dampingFrequency * (1 + u * u))) / eta
        }

        /// φ(f) given v = (πf)^{1/3} and ln v.
        @inline(__always)
        func callAsFunction(_ f: Double, v: Double, logV: Double) -> Double {
            if f < Self.inspiralEnd { return inspiral(at: f, v: v, logV: logV) }
            if f >= mergerRingdownStart {
                return mergerRingdownRaw(at: f) + mergerRingdownOffset + mergerRingdownSlope * f
            }
            // ln f = 3 ln v − ln π.
            return intermediateRaw(at: f, logF: 3 * logV - Self.logPi) + intermediateOffset + intermediateSlope * f
        }

        /// φ(f).
        func callAsFunction(_ f: Double) -> Double {
            let v = cbrt(Double.pi * f)
            return self(f, v: v, logV: log(v))
        }

        static let logPi = log(Double.pi)
    }
}

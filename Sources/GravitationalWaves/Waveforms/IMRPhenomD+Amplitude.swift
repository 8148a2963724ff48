import Foundation

extension IMRPhenomD {
    /// The amplitude of IMRPhenomD divided by its leading PN term, A(f)/A₀(f) with
    /// A₀ = √(2η/3) π^{−1/6} f^{−7/6} (Khan et al. 2016, Sec. V; f is Mf throughout):
    ///
    /// - inspiral, f < 0.014: the re-expanded 3PN amplitude Σᵢ Aᵢ(πf)^{i/3} (Appendix B) plus
    ///   ρ₁f^{7/3} + ρ₂f^{8/3} + ρ₃f³ (Eqs. (29)–(30));
    /// - merger-ringdown, f ≥ f_peak: the damped Lorentzian
    ///   γ₁ γ₃f_damp / ((f − f_RD)² + (γ₃f_damp)²) · e^{−γ₂(f − f_RD)/(γ₃f_damp)} (Eq. (19)), f_peak
    ///   its maximum (Eq. (20));
    /// - intermediate: the quartic through the inspiral's value and slope at 0.014, the fitted
    ///   value v₂ at the midpoint and the merger-ringdown's value and slope at f_peak (Eqs. (21)–(26)),
    ///   solved here in x = (f − 0.014)/(f_peak − 0.014).
    struct Amplitude: Sendable {
        /// The inspiral/intermediate transition, Mf = 0.014.
        static let inspiralEnd = 0.014

        /// A₂…A₆, the PN coefficients of (πf)^{i/3}.
        let a2, a3, a4, a5, a6: Double
        let rho1, rho2, rho3: Double
        let gamma1, gamma2, gamma3: Double
        let ringdownFrequency, dampingFrequency: Double
        /// f_peak, the intermediate/merger-ringdown transition.
        let peakFrequency: Double
        /// The intermediate quartic's coefficients in x, c₀…c₄.
        private(set) var intermediate: (Double, Double, Double, Double, Double)

        init(_ remnant: Remnant) {
            let eta = remnant.eta
            let eta2 = eta * eta
            let delta = remnant.delta
            let chiS = 0.5 * (remnant.chi1 + remnant.chi2)
            let chiA = 0.5 * (remnant.chi1 - remnant.chi2)
            let pi = Double.pi
            let pi2 = pi * pi
            a2 = -323.0 / 224 + 451.0 / 168 * eta
            a3 = 27.0 / 8 * delta * chiA + (27.0 / 8 - 11.0 / 6 * eta) * chiS
            a4 =
                -27312085.0 / 8_128_512 - 1975055.0 / 338688 * eta + 105271.0 / 24192 * eta2
                + (-81.0 / 32 + 8 * eta) * chiA * chiA - 81.0 / 16 * delta * chiA * chiS
                + (-81.0 / 32 + 17.0 / 8 * eta) * chiS * chiS
            a5 =
                -85 * pi / 64 + 85 * pi / 16 * eta + delta * (285197.0 / 16128 - 1579.0 / 4032 * eta) * chiA
                + (285197.0 / 16128 - 15317.0 / 672 * eta - 2227.0 / 1008 * eta2) * chiS
            a6 =
                -177520268561.0 / 8_583_708_672 + (545384828789.0 / 5_007_163_392 - 205 * pi2 / 48) * eta
                - 3248849057.0 / 178_827_264 * eta2 + 34473079.0 / 6_386_688 * eta2 * eta
                + (1614569.0 / 64512 - 1873643.0 / 16128 * eta + 2167.0 / 42 * eta2) * chiA * chiA
                + (31 * pi / 12 - 7 * pi / 3 * eta) * chiS
                + (1614569.0 / 64512 - 61391.0 / 1344 * eta + 57451.0 / 4032 * eta2) * chiS * chiS
                + delta * chiA * (31 * pi / 12 + (1614569.0 / 32256 - 165961.0 / 2688 * eta) * chiS)
            let chi = remnant.chiPN
            rho1 = Table.rho1(eta: eta, chi: chi)
            rho2 = Table.rho2(eta: eta, chi: chi)
            rho3 = Table.rho3(eta: eta, chi: chi)
            gamma1 = Table.gamma1(eta: eta, chi: chi)
            gamma2 = Table.gamma2(eta: eta, chi: chi)
            gamma3 = Table.gamma3(eta: eta, chi: chi)
            ringdownFrequency = remnant.ringdownFrequency
            dampingFrequency = remnant.dampingFrequency
            // Eq. (20); for γ₂ > 1 the square root would be imaginary and the model drops it.
            let width = dampingFrequency * gamma3
            peakFrequency =
                gamma2 > 1
                ? abs(ringdownFrequency - width / gamma2)
                : abs(ringdownFrequency + width * ((1 - gamma2 * gamma2).squareRoot() - 1) / gamma2)
            intermediate = (0, 0, 0, 0, 0)
            // The collocation conditions, in x = (f − f₁)/h with h = f_peak − f₁.
            let f1 = Self.inspiralEnd
            let h = peakFrequency - f1
            let v1 = inspiral(at: f1)
            let d1 = inspiralSlope(at: f1) * h
            let v2 = Table.v2(eta: eta, chi: chi)
            let v3 = mergerRingdown(at: peakFrequency)
            let d3 = mergerRingdownSlope(at: peakFrequency) * h
            // p(x) = Σ cⱼxʲ with p(0) = v1, p'(0) = d1, p(1/2) = v2, p(1) = v3, p'(1) = d3.
            let r1 = v2 - v1 - d1 / 2
            let r2 = v3 - v1 - d1
            let r3 = d3 - d1
            let c2 = 16 * r1 - 5 * r2 + r3
            let c3 = 4 * r2 - r3 - 2 * c2
            let c4 = r2 - c2 - c3
            intermediate = (v1, d1, c2, c3, c4)
        }

        /// The inspiral ansatz at f (v = (πf)^{1/3} computed here).
        func inspiral(at f: Double) -> Double { inspiral(at: f, v: cbrt(Double.pi * f)) }

        /// The inspiral ansatz at f given v = (πf)^{1/3}.
        @inline(__always)
        func inspiral(at f: Double, v: Double) -> Double {
            let fThird = v * Self.inversePiThird
            let pn = 1 + v * v * (a2 + v * (a3 + v * (a4 + v * (a5 + v * a6))))
            return pn + f * f * (rho1 * fThird + rho2 * fThird * fThird + rho3 * f)
        }

        /// d/df of the inspiral ansatz.
        func inspiralSlope(at f: Double) -> Double {
            let v = cbrt(Double.pi * f)
            let fThird = v * Self.inversePiThird
            // d/dv of the PN series, times dv/df = π/(3v²).
            let pn = v * (2 * a2 + v * (3 * a3 + v * (4 * a4 + v * (5 * a5 + v * 6 * a6))))
            let pnSlope = pn * Double.pi / (3 * v * v)
            return pnSlope + f * fThird * (7.0 / 3 * rho1 + 8.0 / 3 * rho2 * fThird + 3 * rho3 * fThird * fThird)
        }

        /// The merger-ringdown ansatz at f.
        @inline(__always)
        func mergerRingdown(at f: Double) -> Double {
            let width = gamma3 * dampingFrequency
            let offset = f - ringdownFrequency
            return gamma1 * width / (offset * offset + width * width) * exp(-gamma2 * offset / width)
        }

        /// d/df of the merger-ringdown ansatz.
        func mergerRingdownSlope(at f: Double) -> Double {
            let width = gamma3 * dampingFrequency
            let offset = f - ringdownFrequency
            return mergerRingdown(at: f) * (-2 * offset / (offset * offset + width * width) - gamma2 / width)
        }

        /// The intermediate quartic at f.
        @inline(__always)
        func intermediate(at f: Double) -> Double {
            let x = (f - Self.inspiralEnd) / (peakFrequency - Self.inspiralEnd)
            let (c0, c1, c2, c3, c4) = intermediate
            return c0 + x * (c1 + x * (c2 + x * (c3 + x * c4)))
        }

        /// A/A₀ at f, given v = (πf)^{1/3}.
        @inline(__always)
        func ratio(at f: Double, v: Double) -> Double {
            if f < Self.inspiralEnd { return inspiral(at: f, v: v) }
            if f >= peakFrequency { return mergerRingdown(at: f) }
            return intermediate(at: f)
        }

        /// π^{−1/3}.
        static let inversePiThird = 1 / cbrt(Double.pi)
    }
}

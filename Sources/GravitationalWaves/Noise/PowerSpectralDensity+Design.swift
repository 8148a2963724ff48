import ComplexModule
import Foundation

extension PowerSpectralDensity {
    /// Advanced LIGO at design sensitivity, zero-detuned signal recycling, high laser power
    /// (125 W): LALSimulation's analytic `XLALSimNoisePSDaLIGOZeroDetHighPower` (quantum noise
    /// plus a broadband thermal-noise fit; no seismic wall, so valid above about 9 Hz). See
    /// LIGO-T0900288 and ``advancedLIGOQuantumNoise(frequency:laserPower:signalRecyclingTransmittance:detuning:homodyneAngle:)``.
    public static let advancedLIGODesign = PowerSpectralDensity(name: "aLIGOZeroDetHighPower") { f in
        PowerSpectralDensity.advancedLIGOQuantumNoise(
            frequency: f, laserPower: 125, signalRecyclingTransmittance: 0.2,
            detuning: 0, homodyneAngle: 116 * Double.pi / 180)
            + PowerSpectralDensity.advancedLIGOThermalNoise(frequency: f)
    }

    /// Advanced Virgo at design sensitivity: the phenomenological fit of Manzotti & Dietz
    /// (arXiv:1202.4031, Eq. 6) that LALSimulation provides as `XLALSimNoisePSDAdvVirgo`:
    /// √S = 1.259·10⁻²⁴ [0.07 e^{−0.142 − 1.437x + 0.407x²} + 3.1 e^{−0.466 − 1.043x − 0.548x²}
    /// + 0.4 e^{−0.304 + 2.896x − 0.293x²} + 0.09 e^{1.466 + 3.722x − 0.984x²}], x = ln(f/300 Hz).
    public static let advancedVirgoDesign = PowerSpectralDensity(name: "AdvVirgo") { f in
        let x = log(f / 300)
        let x2 = x * x
        let asd =
            1.259e-24
            * (0.07 * exp(-0.142 - 1.437 * x + 0.407 * x2)
                + 3.1 * exp(-0.466 - 1.043 * x - 0.548 * x2)
                + 0.4 * exp(-0.304 + 2.896 * x - 0.293 * x2)
                + 0.09 * exp(1.466 + 3.722 * x - 0.984 * x2))
        return asd * asd
    }

    /// Advanced LIGO's broadband thermal noise as LALSimulation models it: suspension thermal
    /// noise S = 2kT/(L²MQπ³f₀³)·(f₀/f)⁵ (f₀ = 9 Hz, Q = 6·10¹⁰) plus mirror/coating thermal
    /// noise S = 2kT/(L²MQπ³f₀³)·(f₀/f) (f₀ = 10 kHz, Q = 6·10⁶); T = 290 K, M = 40 kg,
    /// L = 3995 m. A phenomenological fit, not a physical model.
    /// - Parameter frequency: f (Hz).
    /// - Returns: S (strain²/Hz).
    static func advancedLIGOThermalNoise(frequency f: Double) -> Double {
        let length = 3995.0
        let mass = 40.0
        let temperature = 290.0
        func level(_ f0: Double, _ quality: Double) -> Double {
            2 * PhysicalConstants.boltzmann * temperature / (length * length * mass * quality * pow(Double.pi * f0, 3))
        }
        return level(9, 6e10) * pow(9 / f, 5) + level(1e4, 6e6) * (1e4 / f)
    }

    /// The quantum (shot and radiation-pressure) noise of a signal-recycled Michelson with
    /// Fabry–Pérot arms, following Buonanno & Chen, PRD 64, 042006 (2001), Eqs. 5.8–5.13
    /// ("BC"), with the optical losses of the GWINC model as LALSimulation adapts it
    /// (`XLALSimNoisePSDQuantum`): mirror losses in the arms, beam-splitter loss as the
    /// signal-recycling loss, photodiode efficiency 0.9. Fixed aLIGO parameters: λ = 1064 nm,
    /// L = 3995 m, M = 40 kg, loss 37.5 ppm per mirror, beam-splitter loss 0.2 %, T_ITM = 1.4 %,
    /// T_PRM = 2.7 %.
    /// - Parameters:
    ///   - f: Frequency (Hz).
    ///   - laserPower: Input laser power I₀ (W).
    ///   - signalRecyclingTransmittance: Power transmittance of the signal-recycling mirror.
    ///   - detuning: Signal-recycling detuning phase (rad).
    ///   - homodyneAngle: Homodyne detection phase ζ (rad).
    /// - Returns: S (strain²/Hz).
    static func advancedLIGOQuantumNoise(
        frequency f: Double, laserPower: Double, signalRecyclingTransmittance: Double,
        detuning: Double, homodyneAngle zeta: Double
    ) -> Double {
        typealias C = Complex<Double>
        let c = PhysicalConstants.speedOfLight
        let hbar = PhysicalConstants.reducedPlanck
        let wavelength = 1.064e-6
        let length = 3995.0
        let mass = 40.0
        let mirrorLoss = 37.5e-6
        let beamSplitterLoss = 0.002
        let itmT = 0.014
        let prmT = 0.027
        let photodiodeEfficiency = 0.9

        let Omega = 2 * Double.pi * f  // signal angular frequency
        let omega0 = 2 * Double.pi * c / wavelength  // laser angular frequency
        let lossSR = beamSplitterLoss  // λ_SR
        let lossPD = 1 - photodiodeEfficiency  // λ_PD
        let tau = signalRecyclingTransmittance.squareRoot()  // SRM amplitude transmissivity
        let rho = (1 - tau * tau).squareRoot()  // SRM amplitude reflectivity
        let phi = (Double.pi - detuning) / 2  // SR detuning (BC after 2.14)
        let armLoss = 2 * mirrorLoss  // round-trip loss in an arm
        let gamma = itmT * c / (4 * length)  // arm-cavity half bandwidth
        let epsilon = armLoss / (2 * gamma * length / c)  // BC after 5.2
        let r1 = (1 - itmT).squareRoot()
        let armReflectivity =
            r1 - itmT * (1 - 2 * mirrorLoss).squareRoot() / (1 - r1 * (1 - 2 * mirrorLoss).squareRoot())
        let recyclingGain =
            prmT / pow(1 + (1 - prmT).squareRoot() * armReflectivity * (1 - beamSplitterLoss).squareRoot(), 2)
        let powerAtBS = recyclingGain * laserPower
        let powerSQL = mass * length * length * pow(gamma, 4) / (4 * omega0)  // BC 2.14
        let kappa = 2 * (powerAtBS / powerSQL) * pow(gamma, 4) / (Omega * Omega * (gamma * gamma + Omega * Omega))  // BC 2.13
        let beta = atan(Omega / gamma)  // BC after 2.11
        let hSQL = (8 * hbar / (mass * pow(Omega * length, 2))).squareRoot()  // BC 2.12

        func e(_ x: Double) -> C { C(cos(x), sin(x)) }
        func r(_ x: Double) -> C { C(x, 0) }
        let e2b = e(2 * beta)
        let e4b = e(4 * beta)
        let eb = e(beta)
        let emb = e(-beta)
        let em2b = e(-2 * beta)
        let sin2phi = sin(2 * phi)
        let cos2phi = cos(2 * phi)
        let sinphi = sin(phi)
        let cosphi = cos(phi)
        let cosb = cos(beta)
        let rho2 = rho * rho
        let pd = (1 - lossPD).squareRoot()

        // BC Eqs. 5.8–5.12 with losses: C (signal-recycling), D (signal), P (SR loss),
        // Q (photodiode loss), N (arm loss) coefficients.
        let c11 =
            r(pd)
            * (r((1 + rho2) * (cos2phi + kappa / 2 * sin2phi)) - r(2 * rho * cos(2 * beta))
                - r(epsilon / 4)
                * (r(-2 * rho) * (r(1) + e2b) * (r(1) + e2b) + r(4 * (1 + rho2) * cosb * cosb * cos2phi)
                    + (r(3) + e2b) * r(kappa * (1 + rho2) * sin2phi))
                + r(lossSR) * (e2b * r(rho) - r(0.5 * (1 + rho2) * (cos2phi + kappa / 2 * sin2phi))))
        let c22 = c11
        let c12 =
            r(pd * tau * tau)
            * (r(-(sin2phi + kappa * sinphi * sinphi))
                + r(epsilon / 2 * sinphi) * ((r(3) + e2b) * r(kappa * sinphi) + r(4 * cosb * cosb * cosphi))
                + r(lossSR / 2 * (sin2phi + kappa * sinphi * sinphi)))
        let c21 =
            r(pd * tau * tau)
            * (r(sin2phi - kappa * cosphi * cosphi)
                + r(epsilon / 2 * cosphi) * ((r(3) + e2b) * r(kappa * sinphi) - r(4 * cosb * cosb * sinphi))
                + r(lossSR / 2 * (-sin2phi + kappa * cosphi * cosphi)))
        let d1 =
            r(pd)
            * (-(r(1) + r(rho) * e2b) * r(sinphi)
                + r(epsilon / 4) * (r(3 + rho) + r(2 * rho) * e4b + e2b * r(1 + 5 * rho)) * r(sinphi)
                + r(lossSR / 2 * rho * sinphi) * e2b)
        let d2 =
            r(pd)
            * (-(r(-1) + r(rho) * e2b) * r(cosphi)
                + r(epsilon / 4) * (r(-3 + rho) + r(2 * rho) * e4b + e2b * r(-1 + 5 * rho)) * r(cosphi)
                + r(lossSR / 2 * rho * cosphi) * e2b)
        let srLoss = pd * lossSR.squareRoot() * tau
        let p11 = r(0.5 * srLoss) * (r(-2 * rho) * e2b + r(2 * cos2phi + kappa * sin2phi))
        let p22 = p11
        let p12 = r(-srLoss * sinphi * (2 * cosphi + kappa * sinphi))
        let p21 = r(srLoss * cosphi * (2 * sinphi - kappa * cosphi))
        let q11 =
            r(lossPD.squareRoot())
            * (em2b + r(rho2) * e2b - r(rho * (2 * cos2phi + kappa * sin2phi))
                + r(epsilon / 2 * rho)
                * (em2b * r(cos2phi)
                    + e2b * r(-2 * rho - 2 * rho * cos(2 * beta) + cos2phi + kappa * sin2phi)
                    + r(2 * cos2phi + 3 * kappa * sin2phi))
                - r(lossSR / 2 * rho) * (r(2 * rho) * e2b - r(2 * cos2phi + kappa * sin2phi)))
        let q22 = q11
        let q12 = C.zero
        let q21 = C.zero
        let armLossAmplitude = pd * (2 * epsilon).squareRoot() * tau
        let n11 =
            r(pd * (epsilon / 2).squareRoot() * tau)
            * (r(kappa) * (r(1) + r(rho) * e2b) * r(sinphi)
                + r(2 * cosb) * (emb * r(cosphi) - r(rho) * eb * r(cosphi + kappa * sinphi)))
        let n22 = r(-armLossAmplitude) * (-emb + r(rho) * eb) * r(cosb * cosphi)
        let n12 = r(-armLossAmplitude) * (emb + r(rho) * eb) * r(cosb * sinphi)
        let n21 =
            r(armLossAmplitude)
            * (r(-kappa * (1 + rho) * cosphi) + r(2 * cosb) * (emb + r(rho) * eb) * r(cosb * sinphi))

        // BC Eq. 5.13: the noise spectral density of the readout quadrature ζ.
        let s = sin(zeta)
        let co = cos(zeta)
        func quadrature(_ a: C, _ b: C) -> Double { (a * r(s) + b * r(co)).lengthSquared }
        let numerator =
            quadrature(c11, c21) + quadrature(c12, c22) + quadrature(p11, p21) + quadrature(p12, p22)
            + quadrature(q11, q21) + quadrature(q12, q22) + quadrature(n11, n21) + quadrature(n12, n22)
        return hSQL * hSQL / (2 * kappa * tau * tau * quadrature(d1, d2)) * numerator
    }
}

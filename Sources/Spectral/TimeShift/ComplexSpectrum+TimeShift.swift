import Foundation

extension ComplexSpectrum {
    /// The spectrum of the series delayed by Δt: each bin multiplied by the phase factor
    /// e^{−2πi f_k Δt}, f_k = k/(n·sampleSpacing).
    ///
    /// This is the frequency-domain time translation used for gravitational-wave data in DINGO
    /// (Dax et al., PRL 127 (2021)). In the time domain it is a *cyclic* shift of the sampled
    /// series (what leaves at the end re-enters at the start), band-limited (sinc) interpolation for
    /// fractional steps; a whole number m of steps gives exactly x_{(j−m) mod n}. For an even n the
    /// Nyquist bin of a real series must stay real, so it receives the real part cos(π·m) of its
    /// factor only; fractional shifts therefore lose the Nyquist component's quadrature part.
    ///
    /// - Parameters:
    ///   - delay: Δt, in the same unit as `sampleSpacing` (positive delays the series).
    ///   - sampleSpacing: The time between samples.
    /// - Returns: The shifted spectrum.
    public func timeShifted(by delay: Double, sampleSpacing: Double) -> ComplexSpectrum {
        var out = self
        let n = Double(seriesLength)
        for k in 0 ..< binCount {
            let phase = -2 * Double.pi * Double(k) / n * (delay / sampleSpacing)
            let c = cos(phase), s = sin(phase)
            let re = Double(real[k]), im = Double(imaginary[k])
            if seriesLength % 2 == 0 && k == binCount - 1 {
                out.real[k] = Float(re * c)
                out.imaginary[k] = 0
            } else {
                out.real[k] = Float(re * c - im * s)
                out.imaginary[k] = Float(re * s + im * c)
            }
        }
        return out
    }
}

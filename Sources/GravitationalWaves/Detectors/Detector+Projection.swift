import Foundation
import Spectral

extension Detector {
    /// The strain a wave induces in this detector, in the frequency domain:
    ///
    ///     h̃_I(f) = [F₊ h̃₊(f) + F× h̃×(f)] · e^{−2πif(t_c − t_ref + Δt_I)}
    ///
    /// with F₊, F× the antenna patterns at GMST(t_c) (``antennaPattern(rightAscension:declination:polarization:greenwichMeanSiderealTime:)``),
    /// Δt_I the arrival delay from the geocentre (``timeDelayFromGeocenter(rightAscension:declination:greenwichMeanSiderealTime:)``),
    /// t_c the geocentric coalescence time and t_ref the time that the polarisations' t = 0
    /// stands for (e.g. the reference time of the data segment). The antenna patterns are held
    /// fixed over the signal (no Earth rotation during it), as is usual for stellar-mass
    /// binaries.
    ///
    /// - Parameters:
    ///   - polarizations: h̃₊, h̃× coalescing at t = 0 (as ``FrequencyDomainWaveform`` returns them).
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - polarization: ψ (rad).
    ///   - geocentricTime: t_c, the coalescence time at the geocentre.
    ///   - referenceTime: t_ref.
    /// - Returns: h̃_I on the polarisations' grid.
    /// - Throws: ``GravitationalWaveError/timeBeforeLeapSecondTable(gpsSeconds:)``,
    ///   ``GravitationalWaveError/shapeMismatch(_:)`` if h̃₊ and h̃× live on different grids.
    public func projectedStrain(
        _ polarizations: Polarizations, rightAscension: Double, declination: Double,
        polarization: Double, geocentricTime: GPSTime,
        referenceTime: GPSTime
    ) throws -> FrequencySeries<Double> {
        let plus = polarizations.plus
        let cross = polarizations.cross
        guard plus.grid == cross.grid else {
            throw GravitationalWaveError.shapeMismatch("h+ on \(plus.grid), hx on \(cross.grid)")
        }
        let gmst = try geocentricTime.greenwichMeanSiderealTime()
        let (fPlus, fCross) = antennaPattern(
            rightAscension: rightAscension, declination: declination,
            polarization: polarization, greenwichMeanSiderealTime: gmst)
        let delay = timeDelayFromGeocenter(
            rightAscension: rightAscension, declination: declination,
            greenwichMeanSiderealTime: gmst)
        // Whole seconds and nanoseconds apart, then one rounding to Double.
        let offset =
            (Double(geocentricTime.seconds) - Double(referenceTime.seconds))
            + Double(geocentricTime.nanoseconds - referenceTime.nanoseconds) * 1e-9
        var strain = plus
        for k in 0..<strain.binCount {
            strain.real[k] = fPlus * plus.real[k] + fCross * cross.real[k]
            strain.imaginary[k] = fPlus * plus.imaginary[k] + fCross * cross.imaginary[k]
        }
        do {
            try strain.timeShift(by: offset + delay)
        } catch {
            throw GravitationalWaveError.invalidParameter("time shift \(offset + delay) s is not finite")
        }
        return strain
    }
}

import Foundation

extension Detector {
    /// The antenna patterns F₊ and F× for a source at (α, δ) with polarisation angle ψ, at
    /// Greenwich mean sidereal time GMST: the strain is h = F₊h₊ + F×h×.
    ///
    /// With the Greenwich hour angle H = GMST − α, the wave's polarisation axes in Earth-fixed
    /// coordinates are (Anderson, Brady, Creighton, Flanagan 2001, PRD 63 042003, Eqs. B4–B5)
    ///
    ///     X = (−cos ψ sin H − sin ψ cos H sin δ,  −cos ψ cos H + sin ψ sin H sin δ,  sin ψ cos δ)
    ///     Y = ( sin ψ sin H − cos ψ cos H sin δ,   sin ψ cos H + cos ψ sin H sin δ,  cos ψ cos δ)
    ///
    /// and F₊ = XᵀDX − YᵀDY, F× = XᵀDY + YᵀDX (their Eq. B7), the conventions of LAL's
    /// `XLALComputeDetAMResponse`.
    ///
    /// - Parameters:
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - polarization: ψ (rad).
    ///   - greenwichMeanSiderealTime: GMST (rad), e.g. from ``GPSTime/greenwichMeanSiderealTime()``.
    /// - Returns: (F₊, F×).
    public func antennaPattern(
        rightAscension: Double, declination: Double, polarization: Double,
        greenwichMeanSiderealTime: Double
    ) -> (plus: Double, cross: Double) {
        let hourAngle = greenwichMeanSiderealTime - rightAscension
        let cosH = cos(hourAngle)
        let sinH = sin(hourAngle)
        let cosDec = cos(declination)
        let sinDec = sin(declination)
        let cosPsi = cos(polarization)
        let sinPsi = sin(polarization)
        let x = [
            -cosPsi * sinH - sinPsi * cosH * sinDec,
            -cosPsi * cosH + sinPsi * sinH * sinDec,
            sinPsi * cosDec,
        ]
        let y = [
            sinPsi * sinH - cosPsi * cosH * sinDec,
            sinPsi * cosH + cosPsi * sinH * sinDec,
            cosPsi * cosDec,
        ]
        var plus = 0.0
        var cross = 0.0
        for i in 0..<3 {
            let dx = responseTensor[3 * i] * x[0] + responseTensor[3 * i + 1] * x[1] + responseTensor[3 * i + 2] * x[2]
            let dy = responseTensor[3 * i] * y[0] + responseTensor[3 * i + 1] * y[1] + responseTensor[3 * i + 2] * y[2]
            plus += x[i] * dx - y[i] * dy
            cross += x[i] * dy + y[i] * dx
        }
        return (plus, cross)
    }

    /// The antenna patterns at a GPS time (GMST computed from it).
    /// - Parameters:
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - polarization: ψ (rad).
    ///   - time: The GPS time.
    /// - Returns: (F₊, F×).
    /// - Throws: ``GravitationalWaveError/timeBeforeLeapSecondTable(gpsSeconds:)``.
    public func antennaPattern(
        rightAscension: Double, declination: Double, polarization: Double,
        at time: GPSTime
    ) throws -> (plus: Double, cross: Double) {
        antennaPattern(
            rightAscension: rightAscension, declination: declination, polarization: polarization,
            greenwichMeanSiderealTime: try time.greenwichMeanSiderealTime())
    }

    /// The arrival time of a plane wave from (α, δ) at this detector minus its arrival time at
    /// the geocentre (s): Δt = −n̂·r/c, with n̂ the unit vector towards the source in
    /// Earth-fixed coordinates at that time and r the detector's vertex. Positive when the wave
    /// reaches the detector after the geocentre (as `XLALTimeDelayFromEarthCenter`).
    ///
    /// - Parameters:
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - greenwichMeanSiderealTime: GMST (rad).
    /// - Returns: Δt (s), |Δt| ≤ 21.3 ms.
    public func timeDelayFromGeocenter(
        rightAscension: Double, declination: Double,
        greenwichMeanSiderealTime: Double
    ) -> Double {
        let source = Self.sourceDirection(
            rightAscension: rightAscension, declination: declination,
            greenwichMeanSiderealTime: greenwichMeanSiderealTime)
        let projection = source[0] * location[0] + source[1] * location[1] + source[2] * location[2]
        return -projection / PhysicalConstants.speedOfLight
    }

    /// The arrival-time delay from the geocentre at a GPS time (see
    /// ``timeDelayFromGeocenter(rightAscension:declination:greenwichMeanSiderealTime:)``).
    /// - Parameters:
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - time: The GPS time at the geocentre.
    /// - Returns: Δt (s).
    /// - Throws: ``GravitationalWaveError/timeBeforeLeapSecondTable(gpsSeconds:)``.
    public func timeDelayFromGeocenter(rightAscension: Double, declination: Double, at time: GPSTime) throws -> Double {
        timeDelayFromGeocenter(
            rightAscension: rightAscension, declination: declination,
            greenwichMeanSiderealTime: try time.greenwichMeanSiderealTime())
    }

    /// The unit vector towards a source at (α, δ) in Earth-fixed coordinates at sidereal time
    /// GMST: (cos δ cos(α − GMST), cos δ sin(α − GMST), sin δ).
    static func sourceDirection(
        rightAscension: Double, declination: Double, greenwichMeanSiderealTime: Double
    ) -> [Double] {
        let longitude = rightAscension - greenwichMeanSiderealTime
        let cosDec = cos(declination)
        return [cosDec * cos(longitude), cosDec * sin(longitude), sin(declination)]
    }
}

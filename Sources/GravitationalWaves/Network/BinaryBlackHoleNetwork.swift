import Foundation
import Inference
import Spectral

/// A network of gravitational-wave detectors observing binary black holes with aligned spins:
/// the 11-parameter inference problem of DINGO (Dax et al., PRL 127, 241103 (2021); GNPE: Dax et
/// al., ICLR 2022, §5), as a simulator, a prior, an exact likelihood and a group of per-detector
/// time shifts.
///
/// **Parameters** θ, in order (``parameterNames``): chirp_mass, mass_ratio, chi_1, chi_2,
/// luminosity_distance, phase, theta_jn, psi, ra, dec, geocent_time (seconds from the reference
/// time t_ref). With ``Configuration/skyFrame`` = ``SkyFrame/detectorBaseline`` the sky is
/// zenith and azimuth about the first two detectors' baseline instead of ra and dec
/// (``BaselineFrame``); ``equatorialSamples(_:)`` converts samples back.
///
/// **Simulation.** The waveform model gives h̃₊, h̃× coalescing at t = 0; detector I sees
///
///     h̃_I(f) = [F₊,I h̃₊(f) + F×,I h̃×(f)] · e^{−2πif t_I},   t_I = geocent_time + Δ_I(ra, dec),
///
/// with the antenna patterns F and the geocentre delay Δ_I evaluated at the sidereal time of
/// the **fixed** reference time t_ref, not of t_ref + geocent_time. DINGO does the same: then a
/// common shift c of every detector's data is exactly geocent_time ↦ geocent_time + c, so the
/// overall time translation is an exact symmetry of the model (the Earth turns 0.007° in 0.1 s,
/// far below what the data resolve).
///
/// **Data layout and whitening.** Only the band's bins f_k = k·Δf, k = ⌈f_min/Δf⌉ … ⌊f_max/Δf⌋
/// are kept (``frequencies``, ``bandBinCount`` of them). Each is whitened by
///
///     w̃_k = x̃_k · √(4Δf / S_I(f_k))
///
/// (``NoiseSpectrum/whitened(_:)``'s convention; DINGO whitens the same way), which makes
/// stationary Gaussian noise of PSD S_I a standard normal deviate in every real and every
/// imaginary part, and a signal's optimal SNR the norm of its whitened values (ρ_I² = Σ_k |w̃_k|²).
/// A data vector is `[detector][frequency][re, im]`, flattened:
/// x[(I·n + k)·2 + 0] = Re w̃_I(f_k), x[(I·n + k)·2 + 1] = Im w̃_I(f_k), with n = ``bandBinCount``;
/// ``outputLength`` = 2·n·(number of detectors). The noise model is then
/// `NoiseModel.gaussian(sigma: 1)`, and the likelihood is Gaussian with unit variance
/// (`BinaryBlackHoleNetwork+Likelihood.swift`).
///
/// ```swift
/// let network = try BinaryBlackHoleNetwork(.reduced)
/// let model = try network.simulationModel()              // NPE-ready: prior, simulator, noise
/// let theta = [30, 0.8, 0.2, -0.1, 400, 1.3, 0.5, 0.7, 1.9, -0.4, 0.01]
/// let s = try network.signal(theta)                      // [outputLength], noise-free, whitened
/// let t = try network.arrivalTimes(of: theta)            // [3], t_I (s from t_ref): the GNPE pose
/// ```
public struct BinaryBlackHoleNetwork: Sendable {
    /// The configuration the network was built from.
    public let configuration: Configuration
    /// The detectors, in channel order.
    public let detectors: [Detector]
    /// The frequency grid: Δf = 1/T, bins from 0 to f_max, band from f_min.
    public let grid: FrequencyGrid
    /// Each detector's noise PSD sampled on ``grid``, in channel order.
    public let noiseSpectra: [NoiseSpectrum]
    /// The reference time t_ref.
    public let referenceTime: GPSTime
    /// The Greenwich mean sidereal time of t_ref (rad), at which antenna patterns and delays
    /// are evaluated.
    public let referenceSiderealTime: Double
    /// The waveform model.
    public let waveform: any FrequencyDomainWaveform
    /// The prior ranges.
    public let priorRanges: PriorRanges
    /// The sky coordinates of θ's entries 8 and 9.
    public var skyFrame: SkyFrame { configuration.skyFrame }
    /// The frame of the first two detectors' baseline when ``skyFrame`` is
    /// ``SkyFrame/detectorBaseline``; nil otherwise.
    public let baselineFrame: BaselineFrame?
    /// √(4Δf/S_I(f_k)) per detector and band bin, `[detector][bandBinCount]`.
    let whiteningFactors: [[Double]]

    /// Builds a network and checks its configuration.
    /// - Parameter configuration: The detectors, band, duration, PSDs, reference time, waveform
    ///   and prior ranges (e.g. ``Configuration/reduced``).
    /// - Throws: ``GravitationalWaveError/invalidConfiguration(_:)`` for no detectors, two with
    ///   the same name, a duration that is not positive and finite, f_min ≤ 0 or f_min ≥ f_max,
    ///   a band without a bin, a PSD count different from the detector count, a PSD that does not
    ///   cover the band (naming the detector and the frequency), invalid prior ranges, a reference
    ///   time before the leap-second table, or the detector-baseline sky frame with fewer than two
    ///   detectors or two at one site.
    public init(_ configuration: Configuration) throws {
        func fail(_ message: String) -> GravitationalWaveError { .invalidConfiguration(message) }
        guard !configuration.detectors.isEmpty else { throw fail("the network needs at least one detector") }
        let names = configuration.detectors.map(\.name)
        if let repeated = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) }) {
            throw fail("detector \(repeated.element) appears twice")
        }
        let duration = configuration.duration
        guard duration.isFinite, duration > 0 else {
            throw fail("the duration must be a positive number of seconds, got \(duration)")
        }
        let fMin = configuration.minimumFrequency
        let fMax = configuration.maximumFrequency
        guard fMin.isFinite, fMax.isFinite, fMin > 0 else {
            throw fail("the minimum frequency must be positive and finite, got \(fMin) Hz (maximum \(fMax) Hz)")
        }
        guard fMin < fMax else {
            throw fail("the minimum frequency \(fMin) Hz must be below the maximum frequency \(fMax) Hz")
        }
        let grid: FrequencyGrid
        do {
            grid = try FrequencyGrid(minimumFrequency: fMin, maximumFrequency: fMax, spacing: 1 / duration)
        } catch {
            throw fail("\(error)")
        }
        let psds =
            configuration.powerSpectralDensities ?? configuration.detectors.map(PowerSpectralDensity.design(for:))
        guard psds.count == configuration.detectors.count else {
            throw fail(
                "\(psds.count) PSDs for \(configuration.detectors.count) detectors (\(names.joined(separator: ", ")))")
        }
        var spectra: [NoiseSpectrum] = []
        var factors: [[Double]] = []
        for (detector, psd) in zip(configuration.detectors, psds) {
            let spectrum: NoiseSpectrum
            do {
                spectrum = try NoiseSpectrum(psd: psd, grid: grid)
            } catch {
                throw fail(
                    "the PSD of \(detector.name) (\(psd.name)) does not cover the band \(fMin)–\(fMax) Hz: \(error)")
            }
            let bandFactors = grid.bandBins.map { (4 * grid.spacing / spectrum.values[$0]).squareRoot() }
            if let bad = bandFactors.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                let k = grid.firstBandBin + bad
                throw fail(
                    "the PSD of \(detector.name) is \(spectrum.values[k]) at \(grid.frequency(ofBin: k)) Hz; it must be positive and finite in the band"
                )
            }
            spectra.append(spectrum)
            factors.append(bandFactors)
        }
        try configuration.priorRanges.validate()
        let gmst: Double
        do {
            gmst = try configuration.referenceTime.greenwichMeanSiderealTime()
        } catch {
            throw fail("reference time: \(error)")
        }
        var baselineFrame: BaselineFrame?
        if configuration.skyFrame == .detectorBaseline {
            guard configuration.detectors.count >= 2 else {
                throw fail("the detector-baseline sky frame needs two detectors, the network has \(names.joined(separator: ", "))")
            }
            baselineFrame = try BaselineFrame(from: configuration.detectors[0], to: configuration.detectors[1])
        }
        self.configuration = configuration
        self.baselineFrame = baselineFrame
        detectors = configuration.detectors
        self.grid = grid
        noiseSpectra = spectra
        referenceTime = configuration.referenceTime
        referenceSiderealTime = gmst
        waveform = configuration.waveform
        priorRanges = configuration.priorRanges
        whiteningFactors = factors
    }

    /// The number of frequency bins per detector in the data, n (the band's bins).
    public var bandBinCount: Int { grid.bandBinCount }

    /// The frequencies f_k of the data's bins, `[bandBinCount]` (Hz).
    public var frequencies: [Double] { grid.bandBins.map { grid.frequency(ofBin: $0) } }

    /// The length of a data vector: 2 · ``bandBinCount`` · number of detectors.
    public var outputLength: Int { 2 * bandBinCount * detectors.count }

    /// The number of parameters, 11.
    public var parameterCount: Int { 11 }

    /// The position in a data vector of detector `detector`'s band bin `bin`, real part (the
    /// imaginary part follows it).
    /// - Parameters:
    ///   - detector: The channel, 0 ..< detectors.count.
    ///   - bin: The band bin, 0 ..< ``bandBinCount`` (frequency ``frequencies``[bin]).
    /// - Returns: (detector · n + bin) · 2.
    public func dataIndex(detector: Int, bin: Int) -> Int { (detector * bandBinCount + bin) * 2 }
}

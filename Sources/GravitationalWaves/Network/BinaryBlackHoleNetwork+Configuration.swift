import Foundation
import Spectral

extension BinaryBlackHoleNetwork {
    /// What a ``BinaryBlackHoleNetwork`` is made of: the detectors and their noise, the frequency
    /// band and segment duration, the reference GPS time, the waveform model and the prior ranges.
    ///
    /// ```swift
    /// var configuration = BinaryBlackHoleNetwork.Configuration.reduced
    /// configuration.maximumFrequency = 256                      // a wider band
    /// configuration.priorRanges.luminosityDistance = 200...2000
    /// let network = try BinaryBlackHoleNetwork(configuration)
    /// ```
    public struct Configuration: Sendable {
        /// The detectors, in the order of the data's channels (default H1, L1, V1).
        public var detectors: [Detector]
        /// f_min, the lower edge of the band (Hz).
        public var minimumFrequency: Double
        /// f_max, the upper edge of the band (Hz); the last bin is ⌊f_max·T⌋/T.
        public var maximumFrequency: Double
        /// T, the duration of the data segment (s); the bin spacing is Δf = 1/T.
        public var duration: Double
        /// One PSD per detector, in ``detectors`` order; `nil` (default) for the design curves
        /// (``PowerSpectralDensity/design(for:)``: Advanced LIGO for H1 and L1, Advanced Virgo
        /// for V1).
        public var powerSpectralDensities: [PowerSpectralDensity]?
        /// The reference GPS time t_ref: `geocent_time` is measured from it, the data's
        /// frequency-domain phase refers to it, and the antenna patterns and arrival delays are
        /// evaluated at its sidereal time.
        public var referenceTime: GPSTime
        /// The waveform model (default ``IMRPhenomD``).
        public var waveform: any FrequencyDomainWaveform
        /// The ranges of the priors (see ``BinaryBlackHoleNetwork/PriorRanges``).
        public var priorRanges: PriorRanges
        /// The sky coordinates of θ (default ``SkyFrame/equatorial``: ra, dec;
        /// ``SkyFrame/detectorBaseline``: zenith and azimuth about the first two detectors'
        /// baseline, where one arrival-time difference fixes one coordinate).
        public var skyFrame: SkyFrame

        /// Creates a configuration.
        /// - Parameters:
        ///   - detectors: The detectors (default H1, L1, V1).
        ///   - minimumFrequency: f_min (Hz).
        ///   - maximumFrequency: f_max (Hz).
        ///   - duration: T (s).
        ///   - powerSpectralDensities: One PSD per detector, or `nil` for the design curves.
        ///   - referenceTime: t_ref (default GW150914's GPS second, 1126259462.4).
        ///   - waveform: The waveform model (default ``IMRPhenomD``).
        ///   - priorRanges: The prior ranges (default ``BinaryBlackHoleNetwork/PriorRanges/reduced``).
        ///   - skyFrame: The sky coordinates of θ (default ``SkyFrame/equatorial``).
        public init(
            detectors: [Detector] = Detector.builtIn, minimumFrequency: Double, maximumFrequency: Double,
            duration: Double, powerSpectralDensities: [PowerSpectralDensity]? = nil,
            referenceTime: GPSTime = GPSTime(seconds: 1_126_259_462, nanoseconds: 400_000_000),
            waveform: any FrequencyDomainWaveform = IMRPhenomD(), priorRanges: PriorRanges = .reduced,
            skyFrame: SkyFrame = .equatorial
        ) {
            self.detectors = detectors
            self.minimumFrequency = minimumFrequency
            self.maximumFrequency = maximumFrequency
            self.duration = duration
            self.powerSpectralDensities = powerSpectralDensities
            self.referenceTime = referenceTime
            self.waveform = waveform
            self.priorRanges = priorRanges
            self.skyFrame = skyFrame
        }

        /// A configuration that this project's 2-core machine can train a network for within an
        /// hour, still a real three-detector problem with all 11 parameters: H1, L1, V1 at design
        /// sensitivity, T = 2 s, 20–128 Hz (Δf = 0.5 Hz, 217 bins per detector, so a simulation is
        /// 3 × 217 × 2 = 1302 values: 5208 bytes as Float32, 5.2 GB for 10⁶), IMRPhenomD, and
        /// ``BinaryBlackHoleNetwork/PriorRanges/reduced``.
        ///
        /// Why these numbers: with 𝓜 ≥ 20 M☉ the signal spends at most 1.5 s above 20 Hz, so
        /// it fits the 2 s segment with the ±0.1 s time prior and the ≤ 21 ms detector delays;
        /// heavier systems merge at 60–180 Hz, so a band to 128 Hz keeps most of their SNR and
        /// halves the data against 256 Hz. The SNR distribution over the prior is printed by
        /// `gw-simulation-benchmark`.
        public static var reduced: Configuration {
            Configuration(minimumFrequency: 20, maximumFrequency: 128, duration: 2)
        }
    }
}

extension PowerSpectralDensity {
    /// The design-sensitivity curve for a detector: ``advancedVirgoDesign`` for Virgo ("V1"),
    /// ``advancedLIGODesign`` for every other detector.
    /// - Parameter detector: The detector.
    /// - Returns: Its design PSD.
    public static func design(for detector: Detector) -> PowerSpectralDensity {
        detector.name == "V1" ? .advancedVirgoDesign : .advancedLIGODesign
    }
}

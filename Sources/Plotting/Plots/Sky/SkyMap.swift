/// A sky map: right-ascension and declination samples on a Mollweide projection, with the
/// credible regions (50 % and 90 % by default) of each sample set drawn as contours of its
/// smoothed density, a graticule, and an optional true position.
///
/// The map follows the astronomical convention: the sky is seen from inside the sphere, so
/// **right ascension increases to the left**, from 0 h at the right edge through 12 h at the
/// centre to 24 h at the left edge; declination increases upwards. The projection is equal-area
/// (``Mollweide``), so the regions' sizes on the map compare as their solid angles do.
///
/// The density is a histogram on an equal-area grid (bins in α and in sin δ; see `SkyDensity`),
/// smoothed by a Gaussian of fixed angular width that wraps at α = 0/2π and continues across the
/// poles; a credible
/// region of mass m is the set of cells above the density level that encloses m of the samples
/// (the highest-density region), traced by marching squares in (α, sin δ) and then projected.
/// Its area is ``credibleAreas`` — the figure quoted for a gravitational-wave localisation
/// ("90 % area 420 deg²"). Like ``CornerPlot`` the map never draws one element per sample, so its
/// size and render time hardly grow with the number of samples.
///
/// ```swift
/// let sky = try SkyMap(
///     sets: [.init("NPE", rightAscension: npeRA, declination: npeDec),
///            .init("GNPE", rightAscension: gnpeRA, declination: gnpeDec)],
///     truth: .init(rightAscension: 1.95, declination: -1.27), title: "Sky position")
/// sky.credibleAreas     // [[50 % area, 90 % area] of NPE, … of GNPE] in deg²
/// ```
public struct SkyMap: Plot {
    /// One set of sky positions drawn in one colour.
    public struct SampleSet: Sendable {
        /// The legend name.
        public var name: String
        /// Right ascensions α in radians, in [0, 2π], `[count]`.
        public var rightAscension: [Double]
        /// Declinations δ in radians, in [−π/2, π/2], `[count]`.
        public var declination: [Double]
        /// The colour; `nil` for the theme's next palette colour.
        public var color: Color?

        /// Creates a sample set.
        /// - Parameters:
        ///   - name: The legend name.
        ///   - rightAscension: α in radians, in [0, 2π], `[count]`.
        ///   - declination: δ in radians, in [−π/2, π/2], `[count]`.
        ///   - color: A colour, or `nil` for the theme's palette.
        public init(_ name: String, rightAscension: [Double], declination: [Double], color: Color? = nil) {
            self.name = name
            self.rightAscension = rightAscension
            self.declination = declination
            self.color = color
        }
    }

    /// A position on the sky.
    public struct Position: Equatable, Sendable {
        /// Right ascension α in radians, in [0, 2π].
        public var rightAscension: Double
        /// Declination δ in radians, in [−π/2, π/2].
        public var declination: Double

        /// Creates a position.
        /// - Parameters:
        ///   - rightAscension: α in radians, in [0, 2π].
        ///   - declination: δ in radians, in [−π/2, π/2].
        public init(rightAscension: Double, declination: Double) {
            self.rightAscension = rightAscension
            self.declination = declination
        }
    }

    /// The sample sets, drawn in order (later sets on top).
    public let sets: [SampleSet]
    /// The true position, marked with a circle, or `nil`.
    public let truth: Position?
    /// The plot title, or `nil`.
    public let title: String?
    /// Probability masses of the credible regions, in increasing order, each in (0, 1).
    public let credibleLevels: [Double]
    /// Grid rows in sin δ (the grid has twice as many columns in α).
    public let resolution: Int
    /// The Gaussian smoothing of the density, in grid columns at the equator (π/``resolution``
    /// radians each, 2° by default); the kernel has the same angular width everywhere.
    public let smoothing: Double
    /// Colours and fonts.
    public let theme: Theme
    /// The drawing width in pixels.
    public let width: Double
    /// The number of finite (α, δ) pairs in each set, `[sets]`.
    public let finiteCounts: [Int]
    /// The smoothed densities, `[sets]`.
    let densities: [SkyDensity]
    /// Each set's density levels for ``credibleLevels``, `[sets, levels]` (+∞ without samples).
    let thresholds: [[Double]]

    /// Creates a sky map of one or more sets of sky positions.
    /// - Parameters:
    ///   - sets: The sample sets; each holds α and δ in radians, `[count]` each.
    ///   - truth: The true position, or `nil`.
    ///   - title: A title, or `nil`.
    ///   - credibleLevels: Masses of the credible regions (default 50 % and 90 %).
    ///   - resolution: Grid rows in sin δ, 8–720 (default 90: 180 × 90 cells of 2.5 deg²).
    ///   - smoothing: Gaussian smoothing in grid columns at the equator, 0–10 (default 1: 2°).
    ///   - theme: ``Theme/light`` or ``Theme/dark``, or your own.
    ///   - width: The drawing width in pixels, 360–20,000 (default 760).
    /// - Throws: ``PlottingError`` when there are no sets or a set is empty, α and δ differ in
    ///   length, a finite α lies outside [0, 2π] or a finite δ outside [−π/2, π/2] (named by
    ///   set and index: degrees passed for radians are the usual cause), the truth is not a
    ///   finite position on the sky, or an option is out of range. NaN and ±∞ samples are
    ///   skipped; a set without finite samples is drawn as "no finite samples".
    /// - Complexity: O(count) per set for the binning, O(resolution² × smoothing) for the density.
    public init(
        sets: [SampleSet], truth: Position? = nil, title: String? = nil, credibleLevels: [Double] = [0.5, 0.9],
        resolution: Int = 90, smoothing: Double = 1, theme: Theme = .default, width: Double = 760
    ) throws {
        guard !sets.isEmpty else { throw PlottingError.emptyData("a sky map needs at least one sample set") }
        let twoPi = 2 * Double.pi
        for set in sets {
            guard !set.rightAscension.isEmpty || !set.declination.isEmpty else {
                throw PlottingError.emptyData("sample set '\(set.name)' has no samples")
            }
            guard set.rightAscension.count == set.declination.count else {
                throw PlottingError.shapeMismatch(
                    "sample set '\(set.name)' has \(set.rightAscension.count) right ascensions but \(set.declination.count) declinations"
                )
            }
            if let i = set.rightAscension.firstIndex(where: { $0.isFinite && !($0 >= 0 && $0 <= twoPi) }) {
                throw PlottingError.invalidOption(
                    "right ascension \(set.rightAscension[i]) (sample \(i) of set '\(set.name)') lies outside [0, 2π]: right ascensions are in radians; wrap periodic samples onto [0, 2π) first (JointPrior.wrappingPeriodicParameters)"
                )
            }
            if let i = set.declination.firstIndex(where: { $0.isFinite && !(abs($0) <= Double.pi / 2) }) {
                throw PlottingError.invalidOption(
                    "declination \(set.declination[i]) (sample \(i) of set '\(set.name)') lies outside [−π/2, π/2]: declinations are in radians"
                )
            }
        }
        if let truth {
            guard truth.rightAscension >= 0, truth.rightAscension <= twoPi, abs(truth.declination) <= Double.pi / 2
            else {
                throw PlottingError.invalidOption(
                    "the truth (α \(truth.rightAscension), δ \(truth.declination)) is not a sky position in radians: α must lie in [0, 2π], δ in [−π/2, π/2]"
                )
            }
        }
        for level in credibleLevels where !(level > 0 && level < 1) {
            throw PlottingError.invalidOption("credible levels must lie strictly between 0 and 1, got \(level)")
        }
        guard (8...720).contains(resolution) else {
            throw PlottingError.invalidOption("the resolution must be 8–720 rows, got \(resolution)")
        }
        guard smoothing >= 0 && smoothing <= 10 else {
            throw PlottingError.invalidOption("smoothing must be 0–10 cells, got \(smoothing)")
        }
        guard width >= 360 && width <= 20_000 else {
            throw PlottingError.invalidOption("a sky map needs a width of 360–20000 pixels, got \(width)")
        }
        self.sets = sets
        self.truth = truth
        self.title = title
        self.credibleLevels = credibleLevels.sorted()
        self.resolution = resolution
        self.smoothing = smoothing
        self.theme = theme
        self.width = width
        densities = sets.map {
            SkyDensity(
                rightAscension: $0.rightAscension, declination: $0.declination, rows: resolution,
                smoothing: smoothing)
        }
        finiteCounts = densities.map(\.count)
        let levels = self.credibleLevels
        thresholds = densities.map { $0.count > 0 ? $0.thresholds(enclosing: levels) : levels.map { _ in .infinity } }
    }

    /// Creates a sky map of one set of sky positions.
    /// - Parameters:
    ///   - rightAscension: α in radians, in [0, 2π], `[count]`.
    ///   - declination: δ in radians, in [−π/2, π/2], `[count]`.
    ///   - truth: The true position, or `nil`.
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    /// - Throws: ``PlottingError`` as ``init(sets:truth:title:credibleLevels:resolution:smoothing:theme:width:)``.
    public init(
        rightAscension: [Double], declination: [Double], truth: Position? = nil, title: String? = nil,
        theme: Theme = .default
    ) throws {
        try self.init(
            sets: [SampleSet("samples", rightAscension: rightAscension, declination: declination)], truth: truth,
            title: title, theme: theme)
    }

    /// The area of each set's credible regions in square degrees, `[sets, credibleLevels]`
    /// (in the order of ``credibleLevels``; 0 for a set without finite samples).
    ///
    /// The area counts the equal-area grid cells inside the region, so it is resolved to a
    /// cell (4π/(2 × resolution²) sr, 2.5 deg² by default) and includes the smoothing's
    /// widening (about one cell around each region).
    public var credibleAreas: [[Double]] {
        zip(densities, thresholds).map { density, levels in levels.map { density.area(atOrAbove: $0) } }
    }

    /// The colour of set `index`.
    /// - Parameter index: The set index.
    /// - Returns: The set's own colour or the theme's palette colour.
    public func color(ofSet index: Int) -> Color {
        sets[index].color ?? theme.color(at: index)
    }
}

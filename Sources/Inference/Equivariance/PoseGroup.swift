/// A Lie group G of pose transformations, acting on data and on parameters (Dax et al., "Group
/// equivariant neural posterior estimation", ICLR 2022, arXiv 2111.13139, §3).
///
/// Group elements are written in *coordinates*: a vector of ``dimension`` numbers, the same
/// coordinates as the pose g(θ) (e.g. a time shift in seconds, an angle in radians), whether the
/// pose is made of parameters or computed from them (``ComputedPose``; the group then acts on the
/// data only, and ``transformingParameters(_:poseIndices:by:)`` is not used).
/// A conforming type supplies composition, inverse, the action on data T(g)x, and (optionally) the
/// action on the full parameter vector; the requirement of an equivariance is
/// p(T(g)x | g·θ) |det T(g)| = p(x | θ) for all g.
///
/// Built in: ``TimeTranslation`` (ℝⁿ shifting n channels of sampled series), ``ValueTranslation``
/// (ℝⁿ adding a constant to n blocks of data), ``PlaneRotation`` (SO(2)). Write another by
/// conforming:
///
/// ```swift
/// struct Scaling: PoseGroup {        // (ℝ>0, ×) acting on data by multiplication
///     var dimension: Int { 1 }
///     var identity: [Double] { [1] }
///     func composing(_ g: [Double], _ h: [Double]) -> [Double] { [g[0] * h[0]] }
///     func inverse(of g: [Double]) -> [Double] { [1 / g[0]] }
///     func transformingData(_ x: [Double], by g: [Double]) -> [Double] { x.map { $0 * g[0] } }
/// }
/// ```
public protocol PoseGroup: Sendable {
    /// The number of coordinates of an element (= the number of pose parameters or computed pose components).
    var dimension: Int { get }

    /// The identity element e.
    var identity: [Double] { get }

    /// The product g·h (apply h first, then g).
    /// - Parameters:
    ///   - g: `[dimension]`.
    ///   - h: `[dimension]`.
    /// - Returns: `[dimension]`.
    func composing(_ g: [Double], _ h: [Double]) -> [Double]

    /// The inverse g⁻¹.
    func inverse(of g: [Double]) -> [Double]

    /// The action on data, T(g)x.
    /// - Parameters:
    ///   - x: A data vector `[outputLength]`.
    ///   - g: `[dimension]`.
    /// - Returns: T(g)x, `[outputLength]`.
    func transformingData(_ x: [Double], by g: [Double]) -> [Double]

    /// The action on the pose parameters, g·g(θ). Defaults to ``composing(_:_:)``.
    func transformingPose(_ pose: [Double], by g: [Double]) -> [Double]

    /// The action on the other (non-pose) parameters, if the group moves them (e.g. a rotation
    /// that also rotates a direction parameter). Defaults to leaving them unchanged.
    /// - Parameters:
    ///   - theta: The full parameter vector, pose included: `[parameterCount]`.
    ///   - poseIndices: Where the pose sits in θ.
    ///   - g: `[dimension]`.
    /// - Returns: θ with its non-pose entries transformed (the pose is handled by ``transformingPose(_:by:)``).
    func transformingOtherParameters(_ theta: [Double], poseIndices: [Int], by g: [Double]) -> [Double]

    /// Whether ``transformingOtherParameters(_:poseIndices:by:)`` changes anything (default
    /// false). Return true when you implement it: GNPE then models every parameter unbounded,
    /// since a moved parameter may leave its prior's interval.
    var movesOtherParameters: Bool { get }

    /// Whether elements compose by adding their coordinates, g·h = g + h (default false; true
    /// for ``TimeTranslation`` and ``ValueTranslation``). Return true for such a group (e.g.
    /// per-detector time shifts): GNPE then takes the Jacobians of its changes of variables as
    /// exactly 1 instead of estimating them by finite differences, and accepts the group for an
    /// exact common translation (``Equivariance/ExactPart/commonTranslation(moving:)``) without
    /// probing it.
    var composesByAddition: Bool { get }

    /// Checks the group's own declaration (e.g. a non-empty time grid).
    /// - Parameter outputLength: The simulator's output length, to check data compatibility.
    /// - Throws: ``ModelError/invalidGroup(_:)``.
    func validate(outputLength: Int) throws

    /// The proxy GNPE uses for a blurred pose g·ε. Defaults to g·ε itself.
    ///
    /// A group whose action on data is exact only for a lattice of elements (whole-sample time
    /// shifts of sampled series) returns the nearest lattice element, so that standardising the
    /// data by the proxy never interpolates. GNPE stays exact: for a translation lattice the
    /// probability of a proxy ĝ given θ is still a function of ĝ − g(θ) alone (the kernel κ
    /// convolved with the rounding cell), which is all the Gibbs sampler needs.
    /// - Parameter element: g·ε, `[dimension]`.
    /// - Returns: The proxy, `[dimension]`.
    func proxy(near element: [Double]) -> [Double]
}

extension PoseGroup {
    /// Default: g·pose, the group's own composition.
    public func transformingPose(_ pose: [Double], by g: [Double]) -> [Double] { composing(g, pose) }

    /// Default: θ unchanged (the group moves only the pose).
    public func transformingOtherParameters(_ theta: [Double], poseIndices: [Int], by g: [Double]) -> [Double] { theta }

    /// Default: `false`.
    public var movesOtherParameters: Bool { false }

    /// Default: `false` (declare `true` only for a group whose composition is element-wise addition).
    public var composesByAddition: Bool { false }

    /// Default: any output length is accepted.
    public func validate(outputLength: Int) throws {}

    /// Default: the element itself (every element acts exactly).
    public func proxy(near element: [Double]) -> [Double] { element }

    /// The action on a full parameter vector: the pose becomes g·g(θ), other entries as
    /// ``transformingOtherParameters(_:poseIndices:by:)`` says.
    /// - Parameters:
    ///   - theta: `[parameterCount]`.
    ///   - poseIndices: `[dimension]` positions of the pose in θ.
    ///   - g: `[dimension]`.
    public func transformingParameters(_ theta: [Double], poseIndices: [Int], by g: [Double]) -> [Double] {
        var result = transformingOtherParameters(theta, poseIndices: poseIndices, by: g)
        let pose = transformingPose(poseIndices.map { theta[$0] }, by: g)
        for (k, i) in poseIndices.enumerated() { result[i] = pose[k] }
        return result
    }

    /// Standardises data by the pose proxy ĝ: T(ĝ⁻¹)x (the GNPE flow's input).
    public func standardising(_ x: [Double], proxy: [Double]) -> [Double] {
        transformingData(x, by: inverse(of: proxy))
    }
}

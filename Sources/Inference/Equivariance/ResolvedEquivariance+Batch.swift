import Dispatch
import TensorCore

extension ResolvedEquivariance {
    /// Pose proxies ĝ_i = g(θ_i)·ε_i for a batch, ε_i ~ κ drawn afresh (row i from stream i of a
    /// generator seeded by one draw of `rng`, so the result does not depend on the thread count).
    /// - Parameters:
    ///   - theta: `[batch, parameterCount]`.
    ///   - rng: The random source (advanced by one draw).
    /// - Returns: `[batch, group.dimension]`.
    /// - Throws: ``ModelError/wrongParameterCount(expected:found:)`` if θ is too narrow to hold the
    ///   pose parameters.
    public func proxies(for theta: SampleMatrix, using rng: inout RandomSource) throws -> SampleMatrix {
        if !hasComputedPose, let last = poseIndices.max(), theta.columns <= last {
            throw ModelError.wrongParameterCount(expected: last + 1, found: theta.columns)
        }
        let base = RandomSource(seed: rng.next())
        let d = group.dimension
        var out = SampleMatrix(rows: theta.rows, columns: d)
        for i in 0 ..< theta.rows {
            var local = base.stream(i)
            out.replaceRow(i, with: proxy(forPose: pose(of: theta.row(i)), using: &local))
        }
        return out
    }

    /// Pose proxies ĝ_i = g_i·ε_i for a batch of poses, drawn as ``proxies(for:using:)`` draws them
    /// (the same streams, so `proxies(forPoses: poses(of: θ))` equals `proxies(for: θ)`).
    /// - Parameters:
    ///   - poses: g(θ_i), `[batch, group.dimension]`.
    ///   - rng: The random source (advanced by one draw).
    /// - Returns: `[batch, group.dimension]`.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` if the poses are not
    ///   `group.dimension` wide.
    public func proxies(forPoses poses: SampleMatrix, using rng: inout RandomSource) throws -> SampleMatrix {
        guard poses.columns == group.dimension else {
            throw DataFormatError.shapeMismatch(expected: "poses of \(group.dimension) values", found: "\(poses.columns) columns")
        }
        return drawProxies(forPoses: poses, using: &rng)
    }

    /// ``proxies(forPoses:using:)`` for poses the library made (of the right width).
    func drawProxies(forPoses poses: SampleMatrix, using rng: inout RandomSource) -> SampleMatrix {
        let base = RandomSource(seed: rng.next())
        var out = SampleMatrix(rows: poses.rows, columns: group.dimension)
        for i in 0 ..< poses.rows {
            var local = base.stream(i)
            out.replaceRow(i, with: proxy(forPose: poses.row(i), using: &local))
        }
        return out
    }

    /// The poses g(θ_i) of a batch, checked (``checkedPose(of:)``).
    /// - Parameter theta: `[batch, parameterCount]`.
    /// - Returns: `[batch, group.dimension]`.
    /// - Throws: ``ModelError/computedPoseLength(pose:found:theta:)`` or
    ///   ``ModelError/nonFinitePose(name:value:theta:)`` for the first row whose computed pose is
    ///   not `group.dimension` finite values.
    public func poses(of theta: SampleMatrix) throws -> SampleMatrix {
        guard hasComputedPose else { return theta.selecting(columns: poseIndices) }
        var out = SampleMatrix(rows: theta.rows, columns: group.dimension)
        for i in 0 ..< theta.rows { out.replaceRow(i, with: try checkedPose(of: theta.row(i))) }
        return out
    }

    /// Standardised data T(ĝ_i⁻¹)x_i for a batch, on all cores.
    /// - Parameters:
    ///   - data: `[batch, outputLength]`.
    ///   - proxies: `[batch, group.dimension]`.
    /// - Returns: `[batch, outputLength]`.
    public func standardising(_ data: SampleMatrix, proxies: SampleMatrix) -> SampleMatrix {
        precondition(data.rows == proxies.rows, "standardising: \(data.rows) data rows but \(proxies.rows) proxies")
        return Self.mapRows(data.rows, columns: data.columns) { i in standardising(data.row(i), proxy: proxies.row(i)) }
    }

    /// Parameters relative to the proxies (pose ĝ_i⁻¹·g(θ_i)) for a batch.
    /// - Parameters:
    ///   - theta: `[batch, parameterCount]`.
    ///   - proxies: `[batch, group.dimension]`.
    /// - Returns: `[batch, parameterCount]`.
    public func relativeParameters(_ theta: SampleMatrix, proxies: SampleMatrix) -> SampleMatrix {
        Self.mapRows(theta.rows, columns: theta.columns) { i in relativeParameters(theta.row(i), proxy: proxies.row(i)) }
    }

    /// The inverse of ``relativeParameters(_:proxies:)`` for a batch.
    public func absoluteParameters(_ relative: SampleMatrix, proxies: SampleMatrix) -> SampleMatrix {
        Self.mapRows(relative.rows, columns: relative.columns) { i in absoluteParameters(relative.row(i), proxy: proxies.row(i)) }
    }

    /// Builds a matrix row by row on all cores (fixed chunks of 64 rows).
    static func mapRows(_ rows: Int, columns: Int, _ body: (Int) -> [Double]) -> SampleMatrix {
        var storage = [Double](repeating: 0, count: rows * columns)
        let chunk = 64
        storage.withUnsafeMutableBufferPointer { buffer in
            let p = buffer
            DispatchQueue.concurrentPerform(iterations: (rows + chunk - 1) / chunk) { c in
                for i in c * chunk ..< min(rows, (c + 1) * chunk) {
                    let r = body(i)
                    for j in 0 ..< columns { p[i * columns + j] = r[j] }
                }
            }
        }
        return try! SampleMatrix(rows: rows, columns: columns, storage: storage)  // count is rows × columns by construction
    }
}

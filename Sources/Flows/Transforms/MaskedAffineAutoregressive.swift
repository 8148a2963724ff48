import RealModule
import TensorCore

/// One step of a masked autoregressive flow (MAF; Papamakarios et al., NeurIPS 2017):
/// `z_i = x_i · exp(a_i) + t_i` with `a_i = 3 tanh(u_i / 3)`, where a conditional ``MADE``
/// outputs `(t_i, u_i)` from `x_<i` and the context.
///
/// The log-scale is soft-clipped to ±3 per step (as zuko's monotonic affine transform clips its
/// log-scale): an unbounded `exp` can overflow early in training, and ±3 per step over 5 steps
/// still allows contraction or expansion by e¹⁵.
public struct MaskedAffineAutoregressive: FlowTransform {
    /// The conditioner.
    public let made: MADE

    /// Creates a MAF step.
    /// - Parameters:
    ///   - features: TrainableParameter dimension.
    ///   - contextFeatures: Embedded context dimension.
    ///   - hiddenFeatures: MADE width (sbi: 50).
    ///   - hiddenLayerCount: MADE depth (2).
    ///   - activation: MADE nonlinearity (sbi: tanh).
    ///   - name: TrainableParameter name prefix.
    ///   - rng: The random source for the initial weights.
    public init(features: Int, contextFeatures: Int, hiddenFeatures: Int, hiddenLayerCount: Int,
                activation: Activation, name: String, using rng: inout RandomSource) {
        made = MADE(features: features, contextFeatures: contextFeatures, hiddenFeatures: hiddenFeatures,
                    hiddenLayerCount: hiddenLayerCount, parametersPerFeature: 2, activation: activation,
                    name: name + ".made", using: &rng)
    }

    /// The largest absolute log-scale per step.
    public static let logScaleBound: Float = 3

    /// The MADE's parameters.
    public var parameters: [TrainableParameter] { made.parameters }

    /// z_i = x_i·exp(a_i) + t_i in one MADE pass; log-determinant Σ a_i.
    public func forward(_ x: Variable, context: Variable?, on tape: Tape) -> (output: Variable, logDeterminant: Variable?) {
        let params = made(x, context: context, on: tape)
        let (z, logDet) = tape.affineAutoregressive(x, parameters: params)
        return (z, logDet)
    }

    /// x from z one dimension at a time (d MADE passes).
    public func inverse(_ z: Tensor, context: Tensor?) -> Tensor {
        let n = z.rows, d = z.columns
        let plan = MADE.InferencePlan(made, context: context)
        var x = [Float](repeating: 0, count: n * d)
        let bound = Self.logScaleBound
        z.scalars.withUnsafeBufferPointer { zs in
            plan.invert(rows: n, x: &x) { i, ps, shared, xs in
                for r in 0..<n {
                    let q = shared ? 0 : 2 * r
                    let a = bound * FastMath.tanh(ps[q + 1] / bound)
                    xs[r * d + i] = (zs[r * d + i] - ps[q]) * FastMath.exp(-a)
                }
            }
        }
        return Tensor(shape: [n, d], scalars: x)
    }
}

extension Tape {
    /// The elementwise affine map of a MAF step, fused with its log-determinant.
    ///
    /// - Parameters:
    ///   - x: `[batch, d]`.
    ///   - parameters: `[batch, 2d]`, per feature `(shift, unconstrained scale)`.
    /// - Returns: `z = x · exp(a) + t` (`[batch, d]`) and `Σ_i a_i` (`[batch]`), with
    ///   `a = 3 tanh(u / 3)`.
    public func affineAutoregressive(_ x: Variable, parameters: Variable) -> (Variable, Variable) {
        let xv = value(x), pv = value(parameters)
        let n = xv.rows, d = xv.columns
        precondition(pv.columns == 2 * d, "affineAutoregressive: parameters \(pv.shape) for features \(xv.shape)")
        var z = [Float](repeating: 0, count: n * d)
        var logDet = [Float](repeating: 0, count: n)
        var scale = [Float](repeating: 0, count: n * d)
        var slope = [Float](repeating: 0, count: n * d)
        let bound = MaskedAffineAutoregressive.logScaleBound
        xv.scalars.withUnsafeBufferPointer { xs in
            pv.scalars.withUnsafeBufferPointer { ps in
                for r in 0..<n {
                    var l: Float = 0
                    for i in 0..<d {
                        let th = Float.tanh(ps[r * 2 * d + 2 * i + 1] / bound)
                        let a = bound * th
                        let s = Float.exp(a)
                        scale[r * d + i] = s
                        slope[r * d + i] = 1 - th * th
                        z[r * d + i] = xs[r * d + i] * s + ps[r * 2 * d + 2 * i]
                        l += a
                    }
                    logDet[r] = l
                }
            }
        }
        let outs = record([Tensor(shape: [n, d], scalars: z), Tensor(shape: [n], scalars: logDet)],
                          inputs: [x, parameters]) { tape, gs in
            let gz = gs[0], gl = gs[1]
            if tape.needsGradient(x) {
                var dx = [Float](repeating: 0, count: n * d)
                if let gz { for k in 0..<n * d { dx[k] = gz[k] * scale[k] } }
                tape.accumulate(x, dx)
            }
            if tape.needsGradient(parameters) {
                var dp = [Float](repeating: 0, count: n * 2 * d)
                for r in 0..<n {
                    for i in 0..<d {
                        let k = r * d + i
                        var ga: Float = 0
                        if let gz {
                            dp[r * 2 * d + 2 * i] = gz[k]
                            ga += gz[k] * xv.scalars[k] * scale[k]
                        }
                        if let gl { ga += gl[r] }
                        dp[r * 2 * d + 2 * i + 1] = ga * slope[k]
                    }
                }
                tape.accumulate(parameters, dp)
            }
        }
        return (outs[0], outs[1])
    }
}

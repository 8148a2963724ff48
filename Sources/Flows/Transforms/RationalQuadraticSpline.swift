import RealModule
import TensorCore

/// Monotonic rational-quadratic splines with linear tails (Durkan et al., "Neural Spline Flows",
/// NeurIPS 2019; Gregory & Delbourgo 1982), evaluated per element from unconstrained
/// parameters.
///
/// Per feature the parameters are `K` bin widths, `K` bin heights (both through a softmax with a
/// minimum of 10⁻³ per bin) and `K − 1` interior derivatives (softplus + 10⁻³); the boundary
/// derivatives are 1 so the spline joins the identity outside `[−B, B]`, as nflows'
/// `unconstrained_rational_quadratic_spline`.
public struct RationalQuadraticSpline: Sendable, Equatable {
    /// Bins `K`.
    public var binCount: Int
    /// Half-width `B` of the spline's interval.
    public var bound: Float
    /// The minimum bin width and height fraction.
    public var minimumBinSize: Float = 1e-3
    /// The minimum derivative at interior knots.
    public var minimumDerivative: Float = 1e-3
    /// Multiplies the unconstrained widths and heights before the softmax (nflows uses
    /// `1/√hidden` so that an untrained MADE gives nearly uniform bins).
    public var sizeScale: Float = 1

    /// Creates a spline family.
    public init(binCount: Int, bound: Float) {
        self.binCount = binCount
        self.bound = bound
    }

    /// Unconstrained parameters per feature: `3K − 1`.
    public var parametersPerFeature: Int { 3 * binCount - 1 }

    /// Knot positions from unconstrained sizes: `knots[0] = −B`, `knots[K] = B`; `fractions`
    /// receives the softmax output.
    @inline(__always)
    func knots(_ raw: UnsafePointer<Float>, _ knots: UnsafeMutablePointer<Float>, _ fractions: UnsafeMutablePointer<Float>) {
        let k = binCount
        let c = sizeScale
        var m = raw[0] * c
        for j in 1..<k where raw[j] * c > m { m = raw[j] * c }
        var total: Float = 0
        for j in 0..<k { let e = FastMath.exp(raw[j] * c - m); fractions[j] = e; total += e }
        let inv = 1 / total
        let scale = 1 - minimumBinSize * Float(k)
        var cum: Float = 0
        knots[0] = -bound
        for j in 0..<k {
            fractions[j] *= inv
            cum += minimumBinSize + scale * fractions[j]
            knots[j + 1] = -bound + 2 * bound * cum
        }
        knots[k] = bound
    }

    @inline(__always)
    func derivative(_ raw: UnsafePointer<Float>, _ j: Int) -> Float {
        if j == 0 || j == binCount { return 1 }
        let u = raw[j - 1]
        return minimumDerivative + (u > 20 ? u : Float.log(onePlus: Float.exp(u)))
    }

    /// The bin of `x` among `knots[0...K]`.
    @inline(__always)
    func bin(_ x: Float, _ knots: UnsafePointer<Float>) -> Int {
        var b = 0
        while b < binCount - 1 && x >= knots[b + 1] { b += 1 }
        return b
    }
}

extension Tape {
    /// Applies a rational-quadratic spline to every element of `x`, fused with the sum of
    /// log-derivatives per row.
    ///
    /// - Parameters:
    ///   - x: `[batch, d]`.
    ///   - parameters: `[batch, d · (3K − 1)]`, feature-major: per feature `K` widths, `K`
    ///     heights, `K − 1` derivatives (unconstrained).
    ///   - spline: The spline family.
    /// - Returns: `z` (`[batch, d]`) and `Σ_i log ∂z_i/∂x_i` (`[batch]`).
    public func rationalQuadraticSpline(_ x: Variable, parameters: Variable, spline: RationalQuadraticSpline)
        -> (Variable, Variable)
    {
        let xv = value(x), pv = value(parameters)
        let n = xv.rows, d = xv.columns, k = spline.binCount, p = spline.parametersPerFeature
        precondition(pv.columns == d * p, "rationalQuadraticSpline: parameters \(pv.shape) for features \(xv.shape)")
        var z = [Float](repeating: 0, count: n * d)
        var logDet = [Float](repeating: 0, count: n)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * (k + 1)) { scratch in
            let cw = scratch.baseAddress!, ch = cw + (k + 1), fw = ch + (k + 1), fh = fw + (k + 1)
            xv.scalars.withUnsafeBufferPointer { xs in
                pv.scalars.withUnsafeBufferPointer { ps in
                    for r in 0..<n {
                        var l: Float = 0
                        for i in 0..<d {
                            let xi = xs[r * d + i]
                            if xi < -spline.bound || xi > spline.bound { z[r * d + i] = xi; continue }
                            let raw = ps.baseAddress! + (r * d + i) * p
                            spline.knots(raw, cw, fw)
                            spline.knots(raw + k, ch, fh)
                            let b = spline.bin(xi, cw)
                            let dL = spline.derivative(raw + 2 * k, b), dR = spline.derivative(raw + 2 * k, b + 1)
                            let w = cw[b + 1] - cw[b], h = ch[b + 1] - ch[b], s = h / w
                            let xi0 = (xi - cw[b]) / w, t = xi0 * (1 - xi0)
                            let num = h * (s * xi0 * xi0 + dL * t)
                            let den = s + (dL + dR - 2 * s) * t
                            z[r * d + i] = ch[b] + num / den
                            let dnum = s * s * (dR * xi0 * xi0 + 2 * s * t + dL * (1 - xi0) * (1 - xi0))
                            l += Float.log(dnum) - 2 * Float.log(den)
                        }
                        logDet[r] = l
                    }
                }
            }
        }
        let outs = record([Tensor(shape: [n, d], scalars: z), Tensor(shape: [n], scalars: logDet)],
                          inputs: [x, parameters]) { tape, gs in
            let wantX = tape.needsGradient(x), wantP = tape.needsGradient(parameters)
            var dx = [Float](repeating: 0, count: wantX ? n * d : 0)
            var dp = [Float](repeating: 0, count: wantP ? n * d * p : 0)
            let gz = gs[0], gl = gs[1]
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 7 * (k + 1)) { scratch in
                let cw = scratch.baseAddress!, ch = cw + (k + 1), fw = ch + (k + 1), fh = fw + (k + 1)
                let gcw = fh + (k + 1), gch = gcw + (k + 1), gf = gch + (k + 1)
                dp.withUnsafeMutableBufferPointer { dpb in
                let dpBase = dpb.baseAddress
                xv.scalars.withUnsafeBufferPointer { xs in
                    pv.scalars.withUnsafeBufferPointer { ps in
                        for r in 0..<n {
                            let gLr = gl?[r] ?? 0
                            for i in 0..<d {
                                let e = r * d + i
                                let gy = gz?[e] ?? 0
                                let xi = xs[e]
                                if xi < -spline.bound || xi > spline.bound {
                                    if wantX { dx[e] = gy }
                                    continue
                                }
                                let raw = ps.baseAddress! + e * p
                                spline.knots(raw, cw, fw)
                                spline.knots(raw + k, ch, fh)
                                let b = spline.bin(xi, cw)
                                let dL = spline.derivative(raw + 2 * k, b), dR = spline.derivative(raw + 2 * k, b + 1)
                                let w = cw[b + 1] - cw[b], h = ch[b + 1] - ch[b], s = h / w
                                let xi0 = (xi - cw[b]) / w, t = xi0 * (1 - xi0)
                                let num = h * (s * xi0 * xi0 + dL * t)
                                let den = s + (dL + dR - 2 * s) * t
                                let pp = dR * xi0 * xi0 + 2 * s * t + dL * (1 - xi0) * (1 - xi0)
                                let dnum = s * s * pp
                                // Adjoints of the straight-line program above.
                                let gNum = gy / den
                                let gDen = -gy * num / (den * den) - 2 * gLr / den
                                let gDnum = gLr / dnum
                                var gS = gDnum * (2 * s * pp + s * s * 2 * t)
                                var gDR = gDnum * s * s * xi0 * xi0
                                var gDL = gDnum * s * s * (1 - xi0) * (1 - xi0)
                                var gXi = gDnum * s * s * (2 * dR * xi0 - 2 * dL * (1 - xi0))
                                var gT = gDnum * s * s * 2 * s
                                gS += gDen * (1 - 2 * t)
                                gDL += gDen * t
                                gDR += gDen * t
                                gT += gDen * (dL + dR - 2 * s)
                                var gH = gNum * (s * xi0 * xi0 + dL * t)
                                gS += gNum * h * xi0 * xi0
                                gXi += gNum * h * 2 * s * xi0
                                gDL += gNum * h * t
                                gT += gNum * h * dL
                                gXi += gT * (1 - 2 * xi0)
                                if wantX { dx[e] = gXi / w }
                                guard wantP else { continue }
                                var gW = -gXi * xi0 / w
                                let gCwL0 = -gXi / w
                                gH += gS / w
                                gW += -gS * s / w
                                // Knot adjoints (only bins b and b+1 are touched).
                                for j in 0...k { gcw[j] = 0; gch[j] = 0 }
                                gcw[b] = gCwL0 - gW
                                gcw[b + 1] = gW
                                gch[b] = gy - gH
                                gch[b + 1] = gH
                                let out = dpBase! + e * p
                                // knots[j] = −B + 2B Σ_{m<j} (minSize + scale · softmax_m), j = 1..K−1, so
                                // g_fraction_m = scale · Σ_{m<j<K} g_knot_j, then back through the softmax.
                                let scale = 2 * spline.bound * (1 - spline.minimumBinSize * Float(k))
                                for half in 0..<2 {
                                    let gk = half == 0 ? gcw : gch, f = half == 0 ? fw : fh, o = out + half * k
                                    var suffix: Float = 0, dot: Float = 0
                                    for m in stride(from: k - 1, through: 0, by: -1) {
                                        if m + 1 < k { suffix += gk[m + 1] }
                                        gf[m] = scale * suffix
                                        dot += gf[m] * f[m]
                                    }
                                    for m in 0..<k { o[m] = f[m] * (gf[m] - dot) * spline.sizeScale }
                                }
                                let draw = out + 2 * k
                                if b >= 1 { draw[b - 1] = gDL / (1 + Float.exp(-raw[2 * k + b - 1])) }
                                if b + 1 <= k - 1 { draw[b] = gDR / (1 + Float.exp(-raw[2 * k + b])) }
                            }
                        }
                    }
                }
                }
            }
            if wantX { tape.accumulate(x, dx) }
            if wantP { tape.accumulate(parameters, dp) }
        }
        return (outs[0], outs[1])
    }
}

extension RationalQuadraticSpline {
    /// Inverts the spline for one element (sampling).
    /// - Parameters:
    ///   - y: The output value.
    ///   - raw: Its `3K − 1` unconstrained parameters.
    ///   - scratch: At least `4(K + 1)` floats.
    /// - Returns: `x` with `spline(x) = y`.
    @inline(__always)
    func inverse(_ y: Float, _ raw: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>) -> Float {
        if y < -bound || y > bound { return y }
        let k = binCount
        let cw = scratch, ch = cw + (k + 1), fw = ch + (k + 1), fh = fw + (k + 1)
        knots(raw, cw, fw)
        knots(raw + k, ch, fh)
        let b = bin(y, ch)
        let dL = derivative(raw + 2 * k, b), dR = derivative(raw + 2 * k, b + 1)
        let w = cw[b + 1] - cw[b], h = ch[b + 1] - ch[b], s = h / w
        let dy = y - ch[b]
        let sum = dL + dR - 2 * s
        let a = dy * sum + h * (s - dL)
        let bb = h * dL - dy * sum
        let c = -s * dy
        let disc = max(bb * bb - 4 * a * c, 0)
        let root = (2 * c) / (-bb - disc.squareRoot())
        return root * w + cw[b]
    }
}

/// One step of an autoregressive neural spline flow (Durkan et al., NeurIPS 2019): each feature
/// passes through a ``RationalQuadraticSpline`` whose parameters a conditional ``MADE`` computes
/// from the preceding features and the context.
public struct RationalQuadraticAutoregressive: FlowTransform {
    /// The conditioner.
    public let made: MADE
    /// The spline family.
    public let spline: RationalQuadraticSpline

    /// Creates an NSF step.
    /// - Parameters:
    ///   - features: TrainableParameter dimension.
    ///   - contextFeatures: Embedded context dimension.
    ///   - hiddenFeatures: MADE width (sbi: 50).
    ///   - hiddenLayerCount: MADE depth (2).
    ///   - activation: MADE nonlinearity (ReLU).
    ///   - binCount: Spline bins (sbi: 10).
    ///   - bound: Spline interval half-width (sbi: 3).
    ///   - name: TrainableParameter name prefix.
    ///   - rng: The random source for the initial weights.
    public init(features: Int, contextFeatures: Int, hiddenFeatures: Int, hiddenLayerCount: Int,
                activation: Activation, binCount: Int, bound: Float, name: String, using rng: inout RandomSource) {
        var spline = RationalQuadraticSpline(binCount: binCount, bound: bound)
        spline.sizeScale = 1 / Float(hiddenFeatures).squareRoot()
        self.spline = spline
        made = MADE(features: features, contextFeatures: contextFeatures, hiddenFeatures: hiddenFeatures,
                    hiddenLayerCount: hiddenLayerCount, parametersPerFeature: spline.parametersPerFeature,
                    activation: activation, name: name + ".made", using: &rng)
    }

    /// The MADE's parameters.
    public var parameters: [TrainableParameter] { made.parameters }

    /// Each x_i through its monotone spline, whose knots a MADE pass gives from x_<i and the context; with the log-determinant.
    public func forward(_ x: Variable, context: Variable?, on tape: Tape) -> (output: Variable, logDeterminant: Variable?) {
        let params = made(x, context: context, on: tape)
        let (z, ld) = tape.rationalQuadraticSpline(x, parameters: params, spline: spline)
        return (z, ld)
    }

    /// x from z one dimension at a time, inverting each spline in closed form (d MADE passes).
    public func inverse(_ z: Tensor, context: Tensor?) -> Tensor {
        let n = z.rows, d = z.columns, p = spline.parametersPerFeature
        let plan = MADE.InferencePlan(made, context: context)
        var x = [Float](repeating: 0, count: n * d)
        let spline = spline
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * (spline.binCount + 1)) { scratch in
            z.scalars.withUnsafeBufferPointer { zs in
                plan.invert(rows: n, x: &x) { i, ps, shared, xs in
                    for r in 0..<n {
                        xs[r * d + i] = spline.inverse(zs[r * d + i], ps + (shared ? 0 : r * p), scratch.baseAddress!)
                    }
                }
            }
        }
        return Tensor(shape: [n, d], scalars: x)
    }
}

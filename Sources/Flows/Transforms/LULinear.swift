import RealModule
import TensorCore

/// A learned invertible linear map `z = x · Wᵀ + b` with `W = L · U` in LU form: `L` unit lower
/// triangular, `U` upper triangular with a positive diagonal (softplus + 10⁻³), so
/// `log|det W| = Σ log Uᵢᵢ` costs O(d) (Kingma & Dhariwal, "Glow", NeurIPS 2018; nflows'
/// `LULinear`). Starts at the identity.
public struct LULinear: FlowTransform {
    /// Entries below the diagonal of `L`, stored `[d, d]` (other entries unused).
    public let lower: TrainableParameter
    /// Entries above the diagonal of `U`, stored `[d, d]` (other entries unused).
    public let upper: TrainableParameter
    /// Unconstrained diagonal of `U`, `[d]`.
    public let diagonal: TrainableParameter
    /// The bias, `[d]`.
    public let bias: TrainableParameter
    let features: Int
    static let minimumDiagonal: Float = 1e-3

    /// Creates an identity-initialised LU layer.
    /// - Parameters:
    ///   - features: `d`.
    ///   - name: TrainableParameter name prefix.
    public init(features: Int, name: String) {
        self.features = features
        lower = TrainableParameter(name: name + ".lower", value: Tensor(zeros: [features, features]))
        upper = TrainableParameter(name: name + ".upper", value: Tensor(zeros: [features, features]))
        let u0 = Float.log(Float.exp(1 - Self.minimumDiagonal) - 1)
        diagonal = TrainableParameter(name: name + ".diagonal", value: Tensor(repeating: u0, shape: [features]))
        bias = TrainableParameter(name: name + ".bias", value: Tensor(zeros: [features]))
    }

    /// Lower, upper, diagonal, bias.
    public var parameters: [TrainableParameter] { [lower, upper, diagonal, bias] }

    /// `(L, U)` as dense `[d, d]` arrays from raw values.
    static func factors(_ lo: [Float], _ up: [Float], _ diag: [Float], _ d: Int) -> ([Float], [Float], [Float]) {
        var l = [Float](repeating: 0, count: d * d), u = l
        var dv = [Float](repeating: 0, count: d)
        for i in 0..<d {
            l[i * d + i] = 1
            for j in 0..<i { l[i * d + j] = lo[i * d + j] }
            let v = diag[i]
            dv[i] = (v > 20 ? v : Float.log(onePlus: Float.exp(v))) + minimumDiagonal
            u[i * d + i] = dv[i]
            for j in (i + 1)..<max(d, i + 1) { u[i * d + j] = up[i * d + j] }
        }
        return (l, u, dv)
    }

    /// z = x·Wᵀ + b with W = LU; log |det W| = Σ log Uᵢᵢ for every row.
    public func forward(_ x: Variable, context: Variable?, on tape: Tape) -> (output: Variable, logDeterminant: Variable?) {
        let d = features
        let xv = tape.value(x), n = xv.rows
        let vars = [x, tape.parameter(lower), tape.parameter(upper), tape.parameter(diagonal), tape.parameter(bias)]
        let (l, u, dv) = Self.factors(lower.value.scalars, upper.value.scalars, diagonal.value.scalars, d)
        let w = Tensor(shape: [d, d], scalars: l).matmul(Tensor(shape: [d, d], scalars: u))
        let z = xv.matmul(w.transposed()) + bias.value
        let ld = dv.reduce(0) { $0 + Float.log($1) }
        let rawDiag = diagonal.value.scalars
        let outs = tape.record([z, Tensor(repeating: ld, shape: [n])], inputs: vars) { tape, gs in
            let gz = Tensor(shape: [n, d], scalars: gs[0] ?? [Float](repeating: 0, count: n * d))
            let glSum = gs[1]?.reduce(0, +) ?? 0
            tape.accumulate(vars[0], gz.matmul(w).scalars)
            let gw = gz.transposed().matmul(xv)  // [d, d]
            let gl = gw.matmul(Tensor(shape: [d, d], scalars: u).transposed())
            let gu = Tensor(shape: [d, d], scalars: l).transposed().matmul(gw)
            var gLower = [Float](repeating: 0, count: d * d), gUpper = gLower
            var gDiag = [Float](repeating: 0, count: d)
            for i in 0..<d {
                for j in 0..<d where j < i { gLower[i * d + j] = gl[i, j] }
                for j in 0..<d where j > i { gUpper[i * d + j] = gu[i, j] }
                let gdv = gu[i, i] + glSum / dv[i]
                gDiag[i] = gdv / (1 + Float.exp(-rawDiag[i]))
            }
            tape.accumulate(vars[1], gLower)
            tape.accumulate(vars[2], gUpper)
            tape.accumulate(vars[3], gDiag)
            tape.accumulate(vars[4], gz.meanAlongBatch().scalars.map { $0 * Float(n) })
        }
        return (outs[0], outs[1])
    }

    /// x = (z − b)·W⁻ᵀ, by two triangular solves.
    public func inverse(_ z: Tensor, context: Tensor?) -> Tensor {
        let d = features, n = z.rows
        let (l, u, _) = Self.factors(lower.value.scalars, upper.value.scalars, diagonal.value.scalars, d)
        var x = [Float](repeating: 0, count: n * d)
        var y = [Float](repeating: 0, count: d)
        for r in 0..<n {
            // L y = z − b (forward substitution), then U x = y (back substitution).
            for i in 0..<d {
                var s = z.scalars[r * d + i] - bias.value.scalars[i]
                for j in 0..<i { s -= l[i * d + j] * y[j] }
                y[i] = s
            }
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = y[i]
                for j in (i + 1)..<max(d, i + 1) { s -= u[i * d + j] * x[r * d + j] }
                x[r * d + i] = s / u[i * d + i]
            }
        }
        return Tensor(shape: [n, d], scalars: x)
    }
}

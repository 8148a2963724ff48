import Foundation

/// A natural cubic spline through tabulated points (zero second derivative at both ends), as
/// GSL's `gsl_interp_cspline`, which IMRPhenomD's definition uses for its ringdown table.
///
/// Written by hand: the interpolation is a dozen lines and the project has no numerical
/// package that provides it.
struct NaturalCubicSpline: Sendable {
    /// The nodes, strictly increasing, `[n]`.
    let nodes: [Double]
    /// The values at the nodes, `[n]`.
    let values: [Double]
    /// The second derivatives at the nodes, `[n]` (zero at both ends).
    let secondDerivatives: [Double]

    /// Fits the spline.
    /// - Parameters:
    ///   - nodes: Strictly increasing abscissae, `[n]`, n ≥ 3.
    ///   - values: Ordinates, `[n]`.
    init(nodes: [Double], values: [Double]) {
        self.nodes = nodes
        self.values = values
        let n = nodes.count
        // Tridiagonal system for the inner second derivatives (Thomas algorithm).
        var diagonal = [Double](repeating: 0, count: n)
        var right = [Double](repeating: 0, count: n)
        var upper = [Double](repeating: 0, count: n)
        for i in 1..<(n - 1) {
            let hLeft = nodes[i] - nodes[i - 1]
            let hRight = nodes[i + 1] - nodes[i]
            diagonal[i] = 2 * (hLeft + hRight)
            upper[i] = hRight
            right[i] = 6 * ((values[i + 1] - values[i]) / hRight - (values[i] - values[i - 1]) / hLeft)
        }
        // Forward elimination (the sub-diagonal of row i is h_{i−1} = upper[i − 1]).
        for i in 2..<(n - 1) {
            let factor = (nodes[i] - nodes[i - 1]) / diagonal[i - 1]
            diagonal[i] -= factor * upper[i - 1]
            right[i] -= factor * right[i - 1]
        }
        var second = [Double](repeating: 0, count: n)
        for i in stride(from: n - 2, through: 1, by: -1) {
            second[i] = (right[i] - upper[i] * second[i + 1]) / diagonal[i]
        }
        secondDerivatives = second
    }

    /// The spline's range of definition.
    var domain: ClosedRange<Double> { nodes[0]...nodes[nodes.count - 1] }

    /// The spline at x (x inside ``domain``; callers check).
    func callAsFunction(_ x: Double) -> Double {
        // Binary search for the interval [x_i, x_{i+1}] that holds x.
        var low = 0
        var high = nodes.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if nodes[middle] > x { high = middle } else { low = middle }
        }
        let h = nodes[high] - nodes[low]
        let t = x - nodes[low]
        let slope =
            (values[high] - values[low]) / h - h * (2 * secondDerivatives[low] + secondDerivatives[high]) / 6
        let curvature = secondDerivatives[low] / 2
        let jerk = (secondDerivatives[high] - secondDerivatives[low]) / (6 * h)
        return values[low] + t * (slope + t * (curvature + t * jerk))
    }
}

/// A smoothed density of sky positions on an equal-area grid: `columns` bins in right ascension
/// over [0, 2π) and `rows` bins in sin(declination) over [−1, 1], so that every cell covers the
/// same solid angle (4π / cells). Internal building block of ``SkyMap``.
///
/// HEALPix (Górski et al., ApJ 622, 759, 2005), the field's usual pixelisation, has no Swift
/// package; this grid keeps its one property the credible areas need (equal-area cells) and is
/// written here because nothing else provides it. Cells grow elongated towards the poles, where
/// densities narrower than a cell are resolved less well than by HEALPix.
struct SkyDensity {
    /// Bins in right ascension (even: the grid wraps across the poles by half a turn).
    let columns: Int
    /// Bins in sin(declination).
    let rows: Int
    /// Smoothed counts, `[rows, columns]` row-major, row 0 at sin δ = −1, column 0 at α = 0.
    var values: [Double]
    /// Samples binned (finite ones).
    let count: Int

    /// The whole sky in square degrees, 4π (180/π)².
    static let fullSky = 4 * Double.pi * (180 / Double.pi) * (180 / Double.pi)

    /// Bins finite `(α, δ)` pairs (non-finite ones are skipped) and smooths the counts with a
    /// Gaussian `smoothing` column widths wide (at the equator; the same angle everywhere) that
    /// wraps in right ascension and continues across each pole (row −1 is row 0 half a turn away).
    /// - Parameters:
    ///   - rightAscension: α in [0, 2π], `[count]`.
    ///   - declination: δ in [−π/2, π/2], `[count]`.
    ///   - rows: Bins in sin δ; the grid has `2 × rows` bins in α.
    ///   - smoothing: The kernel's standard deviation in column widths at the equator, π/rows
    ///     radians (0: none).
    init(rightAscension: [Double], declination: [Double], rows: Int, smoothing: Double) {
        self.rows = rows
        columns = 2 * rows
        var grid = [Double](repeating: 0, count: rows * columns)
        var binned = 0
        let columnScale = Double(columns) / (2 * Double.pi)
        let rowScale = Double(rows) / 2
        for (alpha, delta) in zip(rightAscension, declination) where alpha.isFinite && delta.isFinite {
            let a = alpha - 2 * Double.pi * (alpha / (2 * Double.pi)).rounded(.down)
            let c = min(max(Int(a * columnScale), 0), columns - 1)
            let r = min(max(Int((sin(delta) + 1) * rowScale), 0), rows - 1)
            grid[r * columns + c] += 1
            binned += 1
        }
        count = binned
        values = grid
        if smoothing > 0 { values = Self.smoothed(grid, rows: rows, columns: columns, sigma: smoothing) }
    }

    /// `grid` convolved with a Gaussian of fixed angular width σ = `sigma` × π/`rows` (`sigma`
    /// column widths at the equator), periodic in α and continued across the poles.
    ///
    /// Cells of an equal-area grid are square at the equator but narrow and tall near the poles,
    /// so a kernel of fixed width in cells would smear a polar region by many degrees in δ. Here
    /// each row is smoothed along α by σ / cos δ columns, and spread along δ by weights computed
    /// from the rows' actual declinations (normalised per source row, so the total is kept), so
    /// the kernel keeps its angular width.
    private static func smoothed(_ grid: [Double], rows: Int, columns: Int, sigma: Double) -> [Double] {
        let angularSigma = sigma * Double.pi / Double(rows)
        func declination(ofRow r: Int) -> Double { asin((Double(r) + 0.5) * 2 / Double(rows) - 1) }
        var alongRows = [Double](repeating: 0, count: grid.count)
        for r in 0..<rows {
            let cosine = max(cos(declination(ofRow: r)), 1e-6)
            let columnSigma = sigma / cosine
            let radius = min(max(1, Int((3 * columnSigma).rounded(.up))), columns / 2)
            var kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (columnSigma * columnSigma)) }
            let norm = kernel.reduce(0, +)
            kernel = kernel.map { $0 / norm }
            for c in 0..<columns {
                var sum = 0.0
                for (k, weight) in kernel.enumerated() {
                    let cc = ((c + k - radius) % columns + columns) % columns
                    sum += weight * grid[r * columns + cc]
                }
                alongRows[r * columns + c] = sum
            }
        }
        // Rows are at least 2/rows apart in δ (at the equator): this many cover 3σ everywhere.
        let radius = min(max(1, Int((3 * angularSigma * Double(rows) / 2).rounded(.up))), rows)
        /// The declination of row `j`, continued past the poles (row −1 lies beyond the south
        /// pole, at −π − δ₀).
        func continuedDeclination(_ j: Int) -> Double {
            if j < 0 { return -Double.pi - declination(ofRow: -1 - j) }
            if j >= rows { return Double.pi - declination(ofRow: 2 * rows - 1 - j) }
            return declination(ofRow: j)
        }
        // Each row spreads its mass over its neighbours (weights normalised per source row, so the
        // total is kept exactly); rows past a pole land on the other side of it.
        var result = [Double](repeating: 0, count: grid.count)
        for j in 0..<rows {
            let delta = declination(ofRow: j)
            var targets: [Int] = []
            var weights: [Double] = []
            for t in (j - radius)...(j + radius) {
                let distance = (continuedDeclination(t) - delta) / angularSigma
                targets.append(t)
                weights.append(exp(-0.5 * distance * distance))
            }
            let norm = weights.reduce(0, +)
            for (t, weight) in zip(targets, weights) {
                let share = weight / norm
                for c in 0..<columns {
                    let (rr, cc) = cell(row: t, column: c, rows: rows, columns: columns)
                    result[rr * columns + cc] += share * alongRows[j * columns + c]
                }
            }
        }
        return result
    }

    /// The grid cell at `row` and `column` when rows past a pole continue on the other side of
    /// it: row −1 is row 0 half a turn away in α, row `rows` is row `rows − 1` half a turn away.
    static func cell(row: Int, column: Int, rows: Int, columns: Int) -> (row: Int, column: Int) {
        var r = row
        var c = ((column % columns) + columns) % columns
        // Radius ≤ rows, so one reflection suffices.
        if r < 0 {
            r = -1 - r
            c = (c + columns / 2) % columns
        } else if r >= rows {
            r = 2 * rows - 1 - r
            c = (c + columns / 2) % columns
        }
        return (min(max(r, 0), rows - 1), c)
    }

    /// The solid angle of one cell in square degrees.
    var cellArea: Double { Self.fullSky / Double(rows * columns) }

    /// The density levels enclosing each mass (see ``Histogram2D/thresholds(enclosing:)``).
    func thresholds(enclosing masses: [Double]) -> [Double] {
        Histogram2D.thresholds(of: values, enclosing: masses)
    }

    /// The area in square degrees of the cells with values ≥ `threshold` (0 for a threshold of
    /// +∞, that is, without samples).
    func area(atOrAbove threshold: Double) -> Double {
        guard threshold.isFinite else { return 0 }
        return Double(values.reduce(0) { $0 + ($1 >= threshold && $1 > 0 ? 1 : 0) }) * cellArea
    }

    /// The closed contours at `level`, as `(α, sin δ)` rings: marching squares on the grid
    /// extended by one wrapped column on each side and one row across each pole, so that
    /// contours meet the seam at α = 0/2π and the poles with the right interpolation. Points are
    /// clamped to α ∈ [0, 2π] and sin δ ∈ [−1, 1]: a region across the seam becomes two rings
    /// that close along the map's edge.
    func rings(level: Double) -> [[(rightAscension: Double, sinDeclination: Double)]] {
        let w = columns + 2
        let h = rows + 2
        var extended = [Double](repeating: 0, count: w * h)
        for j in 0..<h {
            for i in 0..<w {
                let (r, c) = Self.cell(row: j - 1, column: i - 1, rows: rows, columns: columns)
                extended[j * w + i] = values[r * columns + c]
            }
        }
        let columnWidth = 2 * Double.pi / Double(columns)
        let rowHeight = 2 / Double(rows)
        return ContourTracer.rings(values: extended, columns: w, rows: h, level: level).map { ring in
            ring.map { point in
                let alpha = (point.x - 1 + 0.5) * columnWidth
                let s = (point.y - 1 + 0.5) * rowHeight - 1
                return (min(max(alpha, 0), 2 * Double.pi), min(max(s, -1), 1))
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

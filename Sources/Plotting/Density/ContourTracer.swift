/// Closed iso-lines of a gridded function by marching squares.
///
/// The grid is treated as zero outside its bounds, so every contour of a positive level is a
/// closed ring, and the region `{value ≥ level}` is exactly what the rings enclose under the
/// even–odd rule. Saddle cells are resolved by the value at the cell centre (the mean of its
/// corners). Lorensen and Cline, "Marching cubes", SIGGRAPH 1987, in two dimensions.
public enum ContourTracer {
    /// The rings where the grid crosses `level`.
    /// - Parameters:
    ///   - values: Grid values, `[rows, columns]` row-major; value `(row, column)` sits at grid
    ///     coordinates `x = column`, `y = row`.
    ///   - columns: Grid width.
    ///   - rows: Grid height.
    ///   - level: The contour level (must be positive for the rings to close at the border).
    /// - Returns: Closed rings in grid coordinates, each `[points]` (x, y); the first point is not
    ///   repeated at the end. Points on the border may lie up to one cell outside the grid.
    public static func rings(values: [Double], columns: Int, rows: Int, level: Double) -> [[(x: Double, y: Double)]] {
        guard columns > 0, rows > 0, values.count == columns * rows, level.isFinite else { return [] }
        // Pad with a border of zeros.
        let w = columns + 2
        let h = rows + 2
        var grid = [Double](repeating: 0, count: w * h)
        for r in 0..<rows {
            for c in 0..<columns { grid[(r + 1) * w + c + 1] = values[r * columns + c] }
        }
        @inline(__always) func value(_ i: Int, _ j: Int) -> Double { grid[j * w + i] }
        // Edge ids: horizontal edge (i,j)–(i+1,j) is 2(j·w+i); vertical edge (i,j)–(i,j+1) is 2(j·w+i)+1.
        @inline(__always) func horizontal(_ i: Int, _ j: Int) -> Int { 2 * (j * w + i) }
        @inline(__always) func vertical(_ i: Int, _ j: Int) -> Int { 2 * (j * w + i) + 1 }

        var segments: [(Int, Int)] = []
        for j in 0..<(h - 1) {
            for i in 0..<(w - 1) {
                let a = value(i, j)
                let b = value(i + 1, j)
                let c = value(i + 1, j + 1)
                let d = value(i, j + 1)
                var index = 0
                if a >= level { index |= 1 }
                if b >= level { index |= 2 }
                if c >= level { index |= 4 }
                if d >= level { index |= 8 }
                if index == 0 || index == 15 { continue }
                let bottom = horizontal(i, j)
                let top = horizontal(i, j + 1)
                let left = vertical(i, j)
                let right = vertical(i + 1, j)
                let centreInside = (a + b + c + d) / 4 >= level
                switch index {
                case 1, 14: segments.append((left, bottom))
                case 2, 13: segments.append((bottom, right))
                case 3, 12: segments.append((left, right))
                case 4, 11: segments.append((right, top))
                case 6, 9: segments.append((bottom, top))
                case 7, 8: segments.append((left, top))
                case 5:
                    if centreInside {
                        segments.append((bottom, right))
                        segments.append((left, top))
                    } else {
                        segments.append((left, bottom))
                        segments.append((right, top))
                    }
                case 10:
                    if centreInside {
                        segments.append((left, bottom))
                        segments.append((right, top))
                    } else {
                        segments.append((bottom, right))
                        segments.append((left, top))
                    }
                default: break
                }
            }
        }
        guard !segments.isEmpty else { return [] }

        // Each crossed edge is shared by exactly two segments (one per neighbouring cell).
        var byEdge: [Int: (Int, Int)] = [:]
        byEdge.reserveCapacity(segments.count * 2)
        for (index, segment) in segments.enumerated() {
            for edge in [segment.0, segment.1] {
                if let existing = byEdge[edge] {
                    byEdge[edge] = (existing.0, index)
                } else {
                    byEdge[edge] = (index, -1)
                }
            }
        }

        func crossing(_ edge: Int) -> (x: Double, y: Double) {
            let cell = edge / 2
            let i = cell % w
            let j = cell / w
            let v0 = value(i, j)
            if edge % 2 == 0 {
                let v1 = value(i + 1, j)
                let t = v1 != v0 ? (level - v0) / (v1 - v0) : 0.5
                return (Double(i) + t - 1, Double(j) - 1)
            } else {
                let v1 = value(i, j + 1)
                let t = v1 != v0 ? (level - v0) / (v1 - v0) : 0.5
                return (Double(i) - 1, Double(j) + t - 1)
            }
        }

        var used = [Bool](repeating: false, count: segments.count)
        var result: [[(x: Double, y: Double)]] = []
        for start in 0..<segments.count where !used[start] {
            used[start] = true
            let firstEdge = segments[start].0
            var ring = [crossing(firstEdge)]
            var edge = segments[start].1
            var current = start
            while edge != firstEdge {
                ring.append(crossing(edge))
                guard let pair = byEdge[edge] else { break }
                let next = pair.0 == current ? pair.1 : pair.0
                guard next >= 0, !used[next] else { break }
                used[next] = true
                current = next
                edge = segments[next].0 == edge ? segments[next].1 : segments[next].0
            }
            if ring.count >= 3 { result.append(ring) }
        }
        return result
    }
}

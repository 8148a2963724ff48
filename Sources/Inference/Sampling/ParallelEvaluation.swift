import Dispatch
import Foundation

/// Evaluates `body(i)` for i in 0..<count on all cores, in chunks of fixed size (the split never
/// depends on the core count), and returns the results in index order.
func parallelValues(count: Int, chunkSize: Int = 128, _ body: (Int) -> Double) -> [Double] {
    var out = [Double](repeating: 0, count: count)
    let chunks = (count + chunkSize - 1) / chunkSize
    out.withUnsafeMutableBufferPointer { buffer in
        let p = buffer
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in c * chunkSize ..< min(count, (c + 1) * chunkSize) { p[i] = body(i) }
        }
    }
    return out
}

/// Errors thrown by the bodies of a parallel evaluation, one slot per index; ``first`` is the
/// error of the lowest index, so that the error reported does not depend on the thread count.
final class ErrorSlots: @unchecked Sendable {
    private var slots: [(any Error)?]
    private let lock = NSLock()

    /// Slots for `count` indices.
    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Records the error of index `i` (thread-safe).
    func record(_ error: any Error, at i: Int) {
        lock.lock()
        slots[i] = error
        lock.unlock()
    }

    /// The error of the lowest index, or `nil`.
    var first: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return slots.lazy.compactMap { $0 }.first
    }
}

/// log Σ exp(v), stable; −∞ for an empty or all −∞ input.
func logSumExp(_ v: [Double]) -> Double {
    guard let m = v.max(), m > -.infinity else { return -.infinity }
    var s = 0.0
    for x in v { s += _exp(x - m) }
    return m + _log(s)
}

@inline(__always) func _exp(_ x: Double) -> Double { x == -.infinity ? 0 : Double.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Double.log(x) }

import RealModule

/// The lower Cholesky factor L of a symmetric positive-definite matrix (LLᵀ = A), adding
/// diagonal jitter if needed.
func choleskyFactor(_ a: [[Double]]) -> [[Double]] {
    let n = a.count
    var jitter = 0.0
    let scale = (0 ..< n).map { a[$0][$0] }.max() ?? 1
    for _ in 0 ..< 12 {
        var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        var ok = true
        outer: for i in 0 ..< n {
            for j in 0 ... i {
                var s = a[i][j] + (i == j ? jitter : 0)
                for k in 0 ..< j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0, s.isFinite else { ok = false; break outer }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        if ok { return l }
        jitter = jitter == 0 ? 1e-10 * max(scale, 1e-300) : jitter * 10
    }
    var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
    for i in 0 ..< n { l[i][i] = max(a[i][i], 1e-12).squareRoot() }
    return l
}

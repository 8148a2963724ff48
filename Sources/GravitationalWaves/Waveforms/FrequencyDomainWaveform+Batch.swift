import Dispatch
import Foundation
import Spectral

extension FrequencyDomainWaveform {
    /// The polarisations of many binaries on one grid, computed on all cores.
    ///
    /// The result does not depend on the number of threads (each waveform is computed alone).
    /// - Parameters:
    ///   - binaries: The sources, `[batch]`.
    ///   - grid: The frequency grid.
    /// - Returns: One ``Polarizations`` per binary, in order, `[batch]`.
    /// - Throws: The first error (in batch order) that a single waveform throws.
    public func polarizations(of binaries: [AlignedSpinBinary], on grid: FrequencyGrid) throws -> [Polarizations] {
        let results = BatchResults<Polarizations>(count: binaries.count)
        DispatchQueue.concurrentPerform(iterations: binaries.count) { i in
            results.set(i, Result { try polarizations(of: binaries[i], on: grid) })
        }
        // concurrentPerform has set every index exactly once.
        return try results.values.map { result in
            guard let result else {
                throw GravitationalWaveError.shapeMismatch("a waveform of the batch was not computed")
            }
            return try result.get()
        }
    }
}

/// Per-index results written from several threads (each index once).
final class BatchResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<Value, Error>?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, Error>) {
        lock.lock()
        values[index] = result
        lock.unlock()
    }
}

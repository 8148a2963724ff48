import Foundation
import TensorCore

/// The memory a simulation run needs and the memory the process may still use, checked before
/// anything is allocated so that an impossible request is refused with the figures instead of
/// ending the worker (the kernel's out-of-memory killer gives no message).
///
/// The estimate is this run's own; the reading of available memory is ``MemoryBudget``'s.
enum SimulationMemory {
    /// The estimated peak bytes of simulating `count` new simulations into a store that holds
    /// `existing`: θ of the whole run drawn up front, the kept θ and x of the run (and a copy of
    /// them when some were dropped), and the store's arrays grown once when the run is appended
    /// (the old and the grown array exist together for a moment) — θ as 64-bit numbers, x as
    /// 32-bit ones (the store keeps x as Float32).
    /// - Parameters:
    ///   - count: New simulations.
    ///   - existing: Simulations already stored.
    ///   - parameterCount: θ's length.
    ///   - outputLength: x's length.
    /// - Returns: Bytes (a `Double`, so that absurd requests do not overflow).
    static func requiredBytes(count: Int, existing: Int, parameterCount: Int, outputLength: Int) -> Double {
        let n = Double(count)
        let old = Double(existing)
        let p = Double(parameterCount)
        let m = Double(outputLength)
        let perSimulation = 8 * p + 4 * m  // θ as Float64, x as Float32
        let draws = 8 * n * p  // θ for the whole run
        let run = n * perSimulation  // kept θ and x of the run
        // The kept rows copied (or moved into an empty store), and the store grown: old + (old + n).
        let appended = (2 * old + n) * perSimulation
        return draws + run + appended
    }

    /// The bytes this process can still allocate, as TensorCore's ``MemoryBudget`` reads them (the
    /// smaller of `MemAvailable` and the room under the memory cgroup's limit), with where the
    /// figure comes from; `nil` where neither can be read.
    static func available() -> (bytes: Double, source: String)? {
        let budget = MemoryBudget.current()
        guard budget.availableBytes != Int.max else { return nil }
        return (Double(budget.availableBytes), "MemAvailable in /proc/meminfo and the memory cgroup's limit")
    }

    /// Throws if `bytes` exceed what is available.
    /// - Parameters:
    ///   - bytes: The estimate.
    ///   - purpose: What needs it, for the message.
    /// - Throws: ``SimulationError/insufficientMemory(_:)``.
    static func check(_ bytes: Double, purpose: @autoclosure () -> String) throws {
        // Beyond what an address space can hold (and where sizes would overflow `Int`), refuse
        // even when the available memory cannot be read.
        if !(bytes < 1e18) {
            throw SimulationError.insufficientMemory(
                MemoryShortfall(
                    purpose: purpose(), requiredBytes: bytes, availableBytes: available()?.bytes ?? 0,
                    source: available()?.source ?? "no process can address that much"))
        }
        guard let (available, source) = available(), bytes > available else { return }
        throw SimulationError.insufficientMemory(
            MemoryShortfall(purpose: purpose(), requiredBytes: bytes, availableBytes: available, source: source))
    }
}

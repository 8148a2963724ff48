import Foundation

/// Why a simulation run (`appendSimulations(count:seed:)`) stopped. Each message names θ with
/// its parameter names, what went wrong, and how many simulations were kept: simulations made
/// before the failure stay in the estimator.
public enum SimulationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The simulator returned the wrong number of values (a bug in the simulator, not noise).
    /// - `simulation`: the 1-based index of the simulation in the run; `kept`: simulations kept
    ///   in the estimator from this run before the failure.
    case wrongOutputLength(expected: Int, found: Int, theta: NamedParameters, simulation: Int, count: Int, kept: Int)
    /// Every simulation tried so far threw (the run stopped early instead of trying them all).
    case everySimulationThrew(attempts: Int, theta: NamedParameters, error: String, kept: Int)
    /// The request does not fit in memory; nothing was allocated.
    case insufficientMemory(MemoryShortfall)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .wrongOutputLength(let expected, let found, let theta, let simulation, let count, let kept):
            return
                "the simulator returned \(found) value\(found == 1 ? "" : "s"), expected \(expected) (Simulator(outputLength: \(expected))), "
                + "at θ = \(theta) (simulation \(Count.grouped(simulation)) of \(Count.grouped(count))); the run stopped; "
                + "kept \(Count.grouped(kept)) simulation\(kept == 1 ? "" : "s") made before the failure"
        case .everySimulationThrew(let attempts, let theta, let error, let kept):
            return
                "the simulator threw for each of the first \(Count.grouped(attempts)) simulations, so the run stopped; "
                + "first at θ = \(theta): \(error)"
                + (kept > 0 ? "; kept \(Count.grouped(kept)) simulations made before" : "")
        case .insufficientMemory(let shortfall):
            return shortfall.description
        }
    }
}

/// A parameter vector with its names, printed as `(omega0 = 2.314, beta = 0.102)`.
public struct NamedParameters: Equatable, Sendable, CustomStringConvertible {
    /// The parameter names, in θ order.
    public var names: [String]
    /// θ, `[parameterCount]`.
    public var values: [Double]

    /// Pairs names and values.
    /// - Parameters:
    ///   - names: The parameter names.
    ///   - values: θ.
    public init(names: [String], values: [Double]) {
        self.names = names
        self.values = values
    }

    /// `(name = value, …)` with values to 6 significant digits.
    public var description: String {
        let parts = values.enumerated().map { k, v in
            let name = k < names.count ? names[k] : "θ[\(k)]"
            return "\(name) = \(Count.short(v))"
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

/// A memory request that cannot be met.
public struct MemoryShortfall: Equatable, Sendable, CustomStringConvertible {
    /// What needed the memory, e.g. "100,000,000 simulations of 3 parameters and 200 values".
    public var purpose: String
    /// The estimated bytes needed.
    public var requiredBytes: Double
    /// The bytes available (the smaller of MemAvailable and the cgroup's remaining limit).
    public var availableBytes: Double
    /// Where the available figure comes from.
    public var source: String

    /// A one-line description naming both figures.
    public var description: String {
        "\(purpose) need about \(Count.bytes(requiredBytes)) (θ and x as 64-bit numbers, with temporaries), "
            + "but only \(Count.bytes(availableBytes)) are available (\(source)); nothing was allocated. "
            + "Simulate fewer at a time, or in parts written to files (SimulationBatch.write)"
    }
}

/// Number formatting for messages.
enum Count {
    /// `40321` → `"40,321"`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// A value to 6 significant digits, trailing zeros removed (`2.314`, `1e-07`, `nan`).
    static func short(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        var text = String(format: "%.6g", v)
        if text == "-0" { text = "0" }
        return text
    }

    /// Bytes as `163 GB`, `1.2 MB`.
    static func bytes(_ b: Double) -> String {
        guard b.isFinite, b >= 0 else { return "\(b) bytes" }
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB"]
        var v = b
        var u = 0
        while v >= 1000, u < units.count - 1 {
            v /= 1000
            u += 1
        }
        return u == 0 ? "\(Int(v)) bytes" : String(format: v < 10 ? "%.1f" : "%.0f", v) + " " + units[u]
    }
}

extension NPE {
    /// Stored data x as kept, Float32, row-major `[simulationCount * observationLength]` — the
    /// store itself, without the `Double` copy ``data`` makes (for large sets: 10⁶ simulations of
    /// 1,300 values are 5.2 GB here, 10.4 GB more as ``data``).
    public var float32Data: [Float] { simulations.dataValues }
}

extension GNPEEstimator {
    /// Stored data x as kept, Float32, row-major `[simulationCount * observationLength]` — the
    /// store itself, without the `Double` copy ``data`` makes.
    public var float32Data: [Float] { simulations.dataValues }
}

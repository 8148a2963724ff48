import Dispatch
import Flows
import TensorCore

/// A flow's loss and gradients on one batch, computed on several threads: the batch is cut into
/// contiguous parts, each part's mean loss and gradients are computed on its own copy of the flow
/// (a *replica*, synchronised with the flow before every step), and the parts' gradients are
/// averaged into the flow's, weighted by their row counts — data parallelism on one machine, as
/// PyTorch's `DistributedDataParallel`, without a second process.
///
/// The averaged gradient is the full batch's (the loss is a mean over rows), up to the order of
/// the floating-point sums, for every layer whose rows do not interact. Batch normalisation is the
/// exception, as in `DistributedDataParallel` without `SyncBatchNorm`: each part normalises with
/// its own statistics, and the running statistics are averaged over the parts after the step.
/// Part 0 runs on the flow itself with the step's random source; part k > 0 on replica k with
/// `random.stream(k)`, so a run is reproducible for a given part count.
///
/// The library has no parallel autodiff (the tape is one thread's), and the flows are small enough
/// that a whole replica per thread costs a few megabytes, so this is the simplest correct way to
/// use every core for training.
final class DataParallelGradients {
    /// The flow whose gradients are computed.
    let flow: ConditionalFlow
    /// One replica per part after the first.
    private let replicas: [ConditionalFlow]
    /// The smallest number of rows a part gets (a smaller batch uses fewer parts).
    static let minimumRowsPerPart = 16

    /// The number of parts a full batch is cut into.
    var partCount: Int { replicas.count + 1 }

    /// Prepares `parts` parts (replicas are built from the flow's current state, z-scoring
    /// included); `nil` when `parts` ≤ 1 or the flow's custom embedding cannot be replicated.
    /// - Parameters:
    ///   - flow: The flow to train.
    ///   - parts: The number of parts (threads).
    init?(flow: ConditionalFlow, parts: Int) {
        guard parts > 1, let state = try? flow.state(), state.customEmbedding == nil else { return nil }
        var replicas: [ConditionalFlow] = []
        for _ in 1..<parts {
            guard let replica = try? ConditionalFlow(state: state) else { return nil }
            replicas.append(replica)
        }
        self.flow = flow
        self.replicas = replicas
    }

    /// The part boundaries of `rows` rows in at most `partCount` parts of at least
    /// ``minimumRowsPerPart`` rows (one part for a small batch).
    func boundaries(rows: Int) -> [Int] {
        let parts = max(1, min(partCount, rows / Self.minimumRowsPerPart))
        return (0...parts).map { $0 * rows / parts }
    }

    /// Whether every part gets the whole `context`: an unconditional flow's, or one observation
    /// shared by all rows (`[C]` or `[1, C]`); otherwise each part gets its rows of it.
    private func sharesContext(_ context: Tensor, rows: Int) -> Bool {
        flow.observationFeatures == 0 || context.rank < 2 || (context.rows == 1 && rows > 1)
    }

    /// Copies the flow's weights and running statistics into the replicas.
    private func synchronize(_ count: Int) {
        let source = flow.parameters + flow.buffers
        for replica in replicas.prefix(count) {
            for (target, value) in zip(replica.parameters + replica.buffers, source) { target.value = value.value }
        }
    }

    /// Computes the mean loss of a batch and *sets* the flow's gradients to its gradient (the
    /// flow's gradients must be zero on entry, as before ``ConditionalFlow/lossAndGradients(of:given:random:)``).
    /// - Parameters:
    ///   - theta: `[batch, parameterFeatures]`.
    ///   - context: `[batch, observationFeatures...]`, or one observation for every row, or the
    ///     context of an unconditional flow (`observationFeatures == 0`), which every part shares.
    ///   - random: The step's random source (training mode).
    /// - Returns: The batch's loss, the row-weighted mean of the parts' losses.
    /// - Throws: The error of the lowest part that failed (``FlowError/shapeMismatch(_:)``).
    func lossAndGradients(of theta: Tensor, given context: Tensor, random: RandomSource) throws -> Float {
        let rows = theta.rows
        let bounds = boundaries(rows: rows)
        let parts = bounds.count - 1
        let perRow = !sharesContext(context, rows: rows)
        // One part, or rows that do not match (the flow itself names the mismatch).
        guard parts > 1, !perRow || context.rows == rows else {
            return try flow.lossAndGradients(of: theta, given: context, random: random)
        }
        synchronize(parts - 1)
        let flows = [flow] + replicas.prefix(parts - 1)
        for replica in flows.dropFirst() { replica.parameters.zeroGradients() }
        let losses = try Self.valuesOfParts(bounds) { k, range in
            try flows[k].lossAndGradients(
                of: theta.slicingRows(range), given: perRow ? context.slicingRows(range) : context,
                random: k == 0 ? random : random.stream(k))
        }
        let weights = (0..<parts).map { Float(bounds[$0 + 1] - bounds[$0]) / Float(rows) }
        reduceGradients(of: flows, weights: weights)
        averageBuffers(of: flows)
        return zip(losses, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// `body(k, range)` for every part k (rows `bounds[k]..<bounds[k + 1]`) at once, its values
    /// in part order.
    /// - Throws: The error of the lowest part that failed.
    private static func valuesOfParts(_ bounds: [Int], _ body: (Int, Range<Int>) throws -> Float) throws -> [Float] {
        let parts = bounds.count - 1
        var values = [Float](repeating: 0, count: parts)
        let errors = ErrorSlots(count: parts)
        values.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: parts) { k in
                do { out[k] = try body(k, bounds[k]..<bounds[k + 1]) } catch { errors.record(error, at: k) }
            }
        }
        if let error = errors.first { throw error }
        return values
    }

    /// Sets the flow's gradients to Σₖ wₖ gₖ over the parts' gradients, in part order.
    private func reduceGradients(of flows: [ConditionalFlow], weights: [Float]) {
        let perFlow = flows.map(\.parameters)
        DispatchQueue.concurrentPerform(iterations: perFlow[0].count) { j in
            let target = perFlow[0][j]
            target.gradient.scalars.withUnsafeMutableBufferPointer { g in
                for i in 0..<g.count { g[i] *= weights[0] }
                for k in 1..<perFlow.count {
                    perFlow[k][j].gradient.scalars.withUnsafeBufferPointer { h in
                        for i in 0..<g.count { g[i] += weights[k] * h[i] }
                    }
                }
            }
        }
    }

    /// Sets the flow's running statistics to their mean over the parts (each part started from
    /// the flow's and moved them by its own batch statistics).
    private func averageBuffers(of flows: [ConditionalFlow]) {
        let perFlow = flows.map(\.buffers)
        guard !perFlow[0].isEmpty else { return }
        let scale = 1 / Float(flows.count)
        for j in perFlow[0].indices {
            perFlow[0][j].value.scalars.withUnsafeMutableBufferPointer { b in
                for k in 1..<perFlow.count {
                    perFlow[k][j].value.scalars.withUnsafeBufferPointer { h in
                        for i in 0..<b.count { b[i] += h[i] }
                    }
                }
                for i in 0..<b.count { b[i] *= scale }
            }
        }
    }

    /// The mean loss −mean log q(θ|x) of a batch in evaluation mode, its parts evaluated on the
    /// flow and its replicas at once (the validation loss).
    /// - Parameters:
    ///   - theta: `[rows, parameterFeatures]`.
    ///   - context: `[rows, observationFeatures...]` (or an unconditional flow's whole context).
    /// - Returns: The row-weighted mean of the parts' losses.
    /// - Throws: As ``ConditionalFlow/loss(of:given:)``.
    func loss(of theta: Tensor, given context: Tensor) throws -> Float {
        let rows = theta.rows
        let perRow = !sharesContext(context, rows: rows)
        guard boundaries(rows: rows).count > 2, !perRow || context.rows == rows else {
            return try flow.loss(of: theta, given: context)
        }
        synchronize(replicas.count)
        let flows = [flow] + replicas
        var sum = 0.0
        // Chunks of ConditionalFlow's size, each cut into parts: the activations in memory at
        // once stay those of one chunk, as in ConditionalFlow.loss.
        for chunkStart in stride(from: 0, to: rows, by: Self.chunkRows) {
            let chunk = chunkStart..<min(rows, chunkStart + Self.chunkRows)
            let bounds = boundaries(rows: chunk.count).map { chunkStart + $0 }
            let losses = try Self.valuesOfParts(bounds) { k, range in
                try flows[k].loss(of: theta.slicingRows(range), given: perRow ? context.slicingRows(range) : context)
            }
            for k in losses.indices { sum += Double(losses[k]) * Double(bounds[k + 1] - bounds[k]) }
            try Interruption.checkpoint("validation loss, row \(chunk.upperBound) of \(rows)")
        }
        return Float(sum / Double(rows))
    }

    /// Rows evaluated at once by ``loss(of:given:)`` (``ConditionalFlow``'s chunk size).
    static let chunkRows = 32_768
}

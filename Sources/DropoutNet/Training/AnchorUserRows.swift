import Numerics

/// The batch rows whose user embedding the step's losses read, when that is only the softmax
/// anchors (the clicked rows): the user tower then runs on those rows alone.
///
/// Why: a batch holds every training row, and on impression data most rows are shown-not-clicked
/// (57% of sample-data's, of a generated world's). The softmax losses (DESIGN §4.4) read a row's
/// user embedding only when the row is an anchor; a shown-not-clicked row's item is still rolled
/// in as another anchor's negative, so the item tower keeps every row. Running the user tower on
/// the anchors skips work whose result would be multiplied by zero — a quarter of a step on such
/// data. EasyRec runs the user tower on every row and masks afterwards; what differs is the user
/// tower's batch-norm statistics, taken over the rows that train it, and a sparse content row
/// that only shown-not-clicked rows reach that step, which the optimizer no longer steps by its
/// momentum alone (as a lazy optimizer treats rows outside the batch). With pairwise, sigmoid or
/// MSE in the mix (they read every row's own score), or a batch of anchors only, the step runs
/// every row as before, bit for bit.
///
/// Owns its buffers (sized for the largest batch), so a step allocates nothing.
final class AnchorUserRows {
    private let ids: UnsafeMutablePointer<Int32>
    private let rowOfAnchor: UnsafeMutablePointer<Int32>
    /// The tower's P anchor outputs spread to their batch rows (others zero): what the loss reads.
    private let spread: Matrix
    /// The loss's gradient at the anchors' rows, gathered for the tower's backward pass.
    private let gathered: Matrix
    private let capacity: Int
    /// Anchors of the current step.
    private(set) var count = 0
    private var batch = 0

    init(maxBatch: Int, embeddingDim: Int) {
        capacity = maxBatch
        ids = .allocate(capacity: max(maxBatch, 1))
        rowOfAnchor = .allocate(capacity: max(maxBatch, 1))
        spread = Matrix(rows: maxBatch, cols: embeddingDim)
        gathered = Matrix(rows: maxBatch, cols: embeddingDim)
    }

    deinit {
        ids.deallocate()
        rowOfAnchor.deallocate()
    }

    /// Collects the anchors (label > 0, as `InBatchNegatives` counts them) of a batch.
    /// - Returns: whether running the user tower on them alone saves work: at least one row is
    ///   not an anchor and at least one is.
    func collect(labels: UnsafeBufferPointer<Float>, userIDs: UnsafeBufferPointer<Int32>) -> Bool {
        precondition(labels.count == userIDs.count && labels.count <= capacity, "AnchorUserRows: batch of \(labels.count)")
        batch = labels.count
        var p = 0
        for r in 0..<batch where labels[r] > 0 {
            ids[p] = userIDs[r]
            rowOfAnchor[p] = Int32(r)
            p += 1
        }
        count = p
        return p > 0 && p < batch
    }

    /// The anchors' user ids, in batch order.
    var anchorIDs: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: ids, count: count) }

    /// B×D: row `r` of an anchor holds its row of `anchorOutputs` (P×D), every other row zero.
    func spreadToBatch(_ anchorOutputs: Matrix) -> Matrix {
        precondition(anchorOutputs.rows == count && anchorOutputs.cols == spread.cols, "AnchorUserRows: outputs shape")
        let out = spread.rows(0..<batch)
        out.data.update(repeating: 0, count: batch * out.cols)
        for p in 0..<count { out.row(Int(rowOfAnchor[p])).update(from: anchorOutputs.row(p), count: out.cols) }
        return out
    }

    /// P×D: the anchors' rows of `batchGradient` (its first B rows).
    func gatherAnchors(_ batchGradient: Matrix) -> Matrix {
        precondition(batchGradient.rows >= batch && batchGradient.cols == gathered.cols, "AnchorUserRows: gradient shape")
        let out = gathered.rows(0..<count)
        for p in 0..<count { out.row(p).update(from: batchGradient.row(Int(rowOfAnchor[p])), count: out.cols) }
        return out
    }
}

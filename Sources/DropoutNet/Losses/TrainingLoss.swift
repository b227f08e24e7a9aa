import NeuralNet
import Numerics

/// The weighted mix of losses of one training step, with its gradients (DESIGN §4.2–§4.6).
///
/// Created once for the largest batch (and M) the run expects; live settings may change M, N,
/// the shift mode, γ, margin, t, the weights, logQ and the mask between steps — buffers grow
/// only when a step needs more than any before it, so steady-state steps allocate nothing.
///
/// Every loss is a function of the scores: the rows' own scores s_i = u_i·v_i (pairwise,
/// hard pairwise, sigmoid, MSE, and the softmax positives) and the rolled negatives' scores
/// (the softmax losses). Each loss adds its weighted dLoss/dscore; one backward pass then turns
/// them into dLoss/dU and dLoss/dV.
///
/// Rows carry sample weights (the data's `weight` column): every loss is a weighted mean of its
/// terms — the softmax losses weigh each anchor by its row's weight, sigmoid and MSE each row,
/// the pairwise losses each pair by the product of its rows' weights. A row of weight 0 adds no
/// term of its own (its item can still be rolled in as another anchor's negative, as a
/// shown-not-clicked row's is). With every weight 1 the values and gradients are bit-for-bit
/// the unweighted ones.
public final class TrainingLoss {
    public let negatives: InBatchNegatives
    public let pairwise: PairwiseLoss
    /// log p(item) for the logQ correction; required when `LossParameters.logQ` is on and a
    /// softmax loss is in the mix.
    public var samplingPrior: ItemSamplingPrior?
    /// Known positives for the false-negative mask; without it the mask covers only rolled
    /// negatives that are the anchor's own item id.
    public var positives: PositiveLookup?

    private var capacity = 0
    private var ownScores: UnsafeMutablePointer<Float>
    private var ownGradient: UnsafeMutablePointer<Float>
    private var anchorLosses: UnsafeMutablePointer<Float>
    /// The step's sample weights divided by their largest (so products of two stay ≤ 1 and a
    /// weighted mean is unchanged), and the anchors' share of them.
    private var rowWeights: UnsafeMutablePointer<Float>
    private var anchorWeights: UnsafeMutablePointer<Float>

    public init(maxBatchSize: Int, maxNegatives: Int = 4, samplingPrior: ItemSamplingPrior? = nil,
                positives: PositiveLookup? = nil) {
        negatives = InBatchNegatives(maxBatchSize: maxBatchSize, maxNegatives: maxNegatives)
        pairwise = PairwiseLoss(maxBatchSize: maxBatchSize)
        self.samplingPrior = samplingPrior
        self.positives = positives
        ownScores = .allocate(capacity: 1); ownGradient = .allocate(capacity: 1); anchorLosses = .allocate(capacity: 1)
        rowWeights = .allocate(capacity: 1); anchorWeights = .allocate(capacity: 1)
        reserve(maxBatchSize)
    }

    deinit {
        ownScores.deallocate(); ownGradient.deallocate(); anchorLosses.deallocate()
        rowWeights.deallocate(); anchorWeights.deallocate()
    }

    private func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        ownScores.deallocate(); ownScores = .allocate(capacity: rows)
        ownGradient.deallocate(); ownGradient = .allocate(capacity: rows)
        anchorLosses.deallocate(); anchorLosses = .allocate(capacity: rows)
        rowWeights.deallocate(); rowWeights = .allocate(capacity: rows)
        anchorWeights.deallocate(); anchorWeights = .allocate(capacity: rows)
        capacity = rows
    }

    /// Each softmax anchor's cross-entropy from the last `compute` (the last softmax kind in
    /// the mix), in `negatives.anchorRows` order.
    public var lastAnchorLosses: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: anchorLosses, count: negatives.anchorCount)
    }

    /// The rows' own scores s_i = u_i·v_i from the last `compute` (when any loss used them).
    public var lastOwnScores: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: ownScores, count: negatives.batchSize)
    }

    /// One step's losses. `users`, `items`: B×D tower outputs (unit rows for the EasyRec model,
    /// raw for classic MSE); `labels`, `userIDs`, `itemIDs`: B each; `sampleWeights`: B weights
    /// ≥ 0 (nil: all 1). Overwrites `gradUsers` and `gradItems` (B×D) with dLoss/dU and
    /// dLoss/dV; with `kernels`, adds the L2 gradient 2λW into each kernel's grad.
    ///
    /// Throws `SettingsError` when N/M do not fit this batch (`InBatchShiftCheck`) or when logQ
    /// is on without a `samplingPrior`.
    public func compute(users: Matrix, items: Matrix, labels: UnsafeBufferPointer<Float>,
                        userIDs: UnsafeBufferPointer<Int32>, itemIDs: UnsafeBufferPointer<Int32>,
                        sampleWeights: UnsafeBufferPointer<Float>? = nil,
                        params: LossParameters, rng: inout SplitMix64,
                        gradUsers: Matrix, gradItems: Matrix, kernels: [Parameter] = []) throws -> LossBreakdown {
        let b = labels.count, d = users.cols
        precondition(users.rows == b && items.rows == b && items.cols == d && userIDs.count == b && itemIDs.count == b
                     && (sampleWeights?.count ?? b) == b,
                     "compute: users \(users.rows)x\(d), items \(items.rows)x\(items.cols), \(b) labels, \(userIDs.count) user ids, \(itemIDs.count) item ids, \(sampleWeights?.count ?? b) weights")
        let softmaxUsed = params.needs(.inBatchNegatives)
        if softmaxUsed && params.logQ && samplingPrior == nil {
            throw SettingsError(key: "negatives.logq",
                                message: "the logQ correction needs each item's share of training positives; give the loss a sampling prior or set negatives.logq=false")
        }
        reserve(b)
        normalizeWeights(sampleWeights, rows: b)
        try negatives.prepare(labels: labels, n: params.negativesN, m: softmaxUsed ? params.negativesM : 0,
                              mode: params.shiftMode, rng: &rng)
        var out = LossBreakdown()
        out.anchors = negatives.anchorCount
        ownGradient.update(repeating: 0, count: b)

        if softmaxUsed {
            let anchors = negatives.anchorRows
            for r in 0..<anchors.count { anchorWeights[r] = rowWeights[Int(anchors[r])] }
            negatives.score(users: users, items: items)
            negatives.applyOffsets(userIDs: userIDs, itemIDs: itemIDs, prior: params.logQ ? samplingPrior : nil,
                                   maskFalseNegatives: params.maskFalseNegatives, positives: positives)
        }
        if params.needs(.ownScores) {
            Parallel.forRanges(b, minChunk: max(64, lossParallelGrain / max(d, 1)),
                               body: OwnScores(users: users.data, items: items.data, d: d, out: ownScores))
        }
        let buffers = LossStepBuffers(negatives: negatives, pairwise: pairwise, ownScores: ownScores, ownGradient: ownGradient,
                                      labels: labels, userIDs: userIDs, sampleWeights: rowWeights, anchorWeights: anchorWeights,
                                      anchorLosses: anchorLosses, parameters: params)
        // Kinds in declaration order, so each gradient buffer accumulates in the same order every step.
        var total = 0.0
        for kind in LossKind.ordered {
            let weight = params.weights[kind]
            guard weight != 0 else { continue }
            let term = kind.definition.forwardBackward(buffers, weight)
            out.parts[kind] = term.value
            out.terms[kind] = term.terms
            total += Double(weight) * term.value
        }

        negatives.backward(users: users, items: items, diagonalGradient: ownGradient,
                           gradUsers: gradUsers, gradItems: gradItems)
        if !kernels.isEmpty { out.l2 = L2Penalty.apply(lambda: params.l2, to: kernels) }
        out.total = total + out.l2
        return out
    }

    /// Fills `rowWeights` with `given` / max(given) (all 1 when nil). Every loss is a weighted
    /// mean, unchanged by a common factor; dividing by the largest keeps w_i·w_j and Σw finite
    /// for any weights a file may hold, and divides ones by one — their bits stay.
    private func normalizeWeights(_ given: UnsafeBufferPointer<Float>?, rows b: Int) {
        guard let given else {
            rowWeights.update(repeating: 1, count: b)
            return
        }
        var largest: Float = 0
        for i in 0..<b {
            precondition(given[i] >= 0 && given[i].isFinite, "sample weight \(given[i]) of row \(i): expected a finite weight ≥ 0")
            largest = max(largest, given[i])
        }
        if largest == 0 {
            rowWeights.update(repeating: 0, count: b)
            return
        }
        for i in 0..<b { rowWeights[i] = given[i] / largest }
    }
}

/// s_i = u_i·v_i for a range of rows.
private struct OwnScores: ParallelRangeBody {
    let users, items: UnsafeMutablePointer<Float>
    let d: Int
    let out: UnsafeMutablePointer<Float>
    func run(_ range: Range<Int>) { for i in range { out[i] = Kernels.dot(users + i * d, items + i * d, count: d) } }
}

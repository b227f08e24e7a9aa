/// Everything the workbench needs to know about one loss kind (`LossKind.definition`).
public struct LossDefinition: @unchecked Sendable {
    /// Which scores the loss is a function of; the step prepares only what the mix needs.
    public enum Input: Sendable {
        /// The P×(1+M) scores of the anchors against their rolled in-batch negatives (DESIGN §4.4).
        case inBatchNegatives
        /// Each row's own score s_i = u_i·v_i against its label.
        case ownScores
    }

    /// One line for `dropoutnet settings`.
    public var help: String
    public var input: Input
    /// Where the loss goes in EasyRec's `pipeline.config`.
    public var easyRec: EasyRecLoss
    /// The loss's value on the step's buffers; adds `weight`·dLoss/dscore into the buffer its
    /// input names (`negatives.scoreGradients` or `ownGradient`).
    public var forwardBackward: (LossStepBuffers, _ weight: Float) -> LossTerm
}

/// A loss's value on one step (unweighted by its `loss_weights` entry; a mean weighted by the
/// rows' sample weights) and the number of terms it averages (anchors, pairs or rows).
public struct LossTerm: Sendable {
    public var value: Double
    public var terms: Int
}

/// What a loss's forward/backward reads and writes during one step, prepared by `TrainingLoss`.
public struct LossStepBuffers {
    /// The step's rolled negatives: `scores`, `logitOffsets` and the `scoreGradients` to add into.
    public let negatives: InBatchNegatives
    /// Scratch of the pairwise losses.
    public let pairwise: PairwiseLoss
    /// s_i = u_i·v_i of every row (when an `ownScores` loss is in the mix) and its gradient.
    public let ownScores: UnsafeMutablePointer<Float>
    public let ownGradient: UnsafeMutablePointer<Float>
    public let labels: UnsafeBufferPointer<Float>
    public let userIDs: UnsafeBufferPointer<Int32>
    /// Each row's sample weight (scaled so the largest is 1), and each softmax anchor's, in
    /// `negatives.anchorRows` order.
    public let sampleWeights: UnsafePointer<Float>
    public let anchorWeights: UnsafePointer<Float>
    /// Where a softmax loss writes each anchor's cross-entropy.
    public let anchorLosses: UnsafeMutablePointer<Float>
    public let parameters: LossParameters

    /// How many of the first `count` weights are non-zero: the terms a weighted mean averages.
    public func terms(_ weights: UnsafePointer<Float>, _ count: Int) -> Int {
        var n = 0
        for i in 0..<count where weights[i] != 0 { n += 1 }
        return n
    }
}

/// A loss's counterpart in EasyRec's DropoutNet (`EasyRecExport`).
public enum EasyRecLoss: @unchecked Sendable {
    /// Part of EasyRec's single `softmax_loss` block (SOFTMAX_CROSS_ENTROPY_WITH_NEGATIVE_MINING).
    /// `supportVector`: margin and t are this loss's; a block with no such loss writes 0 and 1.
    case softmax(supportVector: Bool, comment: String?)
    /// Its own `losses {}` entry of `type`; `note` says what differs for these settings.
    case loss(type: String, comment: String, note: ((Settings) -> String?)? = nil)
    /// No EasyRec equivalent; `what` describes the loss in the export's note.
    case none(what: String)
}

/// The losses a run can mix (`loss` is a list of these, `loss_weights` their weights), each
/// with everything that follows from it: what it reads, its forward/backward, its EasyRec
/// counterpart and its line of help.
///
/// This is the loss registry. Adding a loss is a case here, its `definition`, and the file with
/// its math (`SupportVectorSoftmax`, `PairwiseLoss`, `PointwiseLosses`, …): the weights, the
/// step's breakdown, the loss chart's series, the run store's parts, the workbench's picker,
/// `dropoutnet settings` and the EasyRec export all follow from these.
public enum LossKind: String, Codable, Sendable, CaseIterable {
    case svsoftmax, softmax, pairwise, hard_pairwise, sigmoid, mse

    public var definition: LossDefinition {
        switch self {
        case .svsoftmax:
            return LossDefinition(
                help: "support-vector-guided softmax over the in-batch negatives (γ, margin, t)",
                input: .inBatchNegatives, easyRec: .softmax(supportVector: true, comment: nil),
                forwardBackward: { b, weight in
                    let n = b.negatives
                    let loss = SupportVectorSoftmax.forwardBackward(
                        scores: n.scores, offsets: n.logitOffsets, gradients: n.scoreGradients, gamma: b.parameters.gamma,
                        margin: b.parameters.margin, t: b.parameters.t, weight: weight, anchorWeights: b.anchorWeights,
                        perAnchorLoss: b.anchorLosses)
                    return LossTerm(value: loss, terms: b.terms(b.anchorWeights, n.anchorCount))
                })
        case .softmax:
            return LossDefinition(
                help: "plain in-batch softmax (SV-softmax with margin 0 and t = 1; γ applies)",
                input: .inBatchNegatives,
                easyRec: .softmax(supportVector: false, comment: "softmax: SV-softmax with margin 0 and t = 1 (plain in-batch softmax)"),
                forwardBackward: { b, weight in
                    let n = b.negatives
                    let loss = SupportVectorSoftmax.forwardBackward(
                        scores: n.scores, offsets: n.logitOffsets, gradients: n.scoreGradients, gamma: b.parameters.gamma,
                        margin: 0, t: 1, weight: weight, anchorWeights: b.anchorWeights, perAnchorLoss: b.anchorLosses)
                    return LossTerm(value: loss, terms: b.terms(b.anchorWeights, n.anchorCount))
                })
        case .pairwise:
            return LossDefinition(
                help: "logistic loss over every (positive, negative) pair of the batch",
                input: .ownScores,
                easyRec: .loss(type: "PAIR_WISE_LOSS", comment: "pairwise over all (positive, negative) pairs of the batch"),
                forwardBackward: { b, weight in
                    let r = b.pairwise.global(scores: b.ownScores, labels: b.labels, sampleWeights: b.sampleWeights,
                                              weight: weight, grad: b.ownGradient)
                    return LossTerm(value: r.loss, terms: r.pairs)
                })
        case .hard_pairwise:
            return LossDefinition(
                help: "pairwise over a user's positives against the same user's shown-not-clicked items",
                input: .ownScores,
                easyRec: .none(what: "a user's positives against the same user's shown-not-clicked items"),
                forwardBackward: { b, weight in
                    let r = b.pairwise.sameUser(scores: b.ownScores, labels: b.labels, userIDs: b.userIDs,
                                                sampleWeights: b.sampleWeights, weight: weight, grad: b.ownGradient)
                    return LossTerm(value: r.loss, terms: r.pairs)
                })
        case .sigmoid:
            return LossDefinition(
                help: "sigmoid cross-entropy on γ·score per row",
                input: .ownScores,
                easyRec: .loss(type: "CLASSIFICATION", comment: "sigmoid cross-entropy on the cosine", note: { s in
                    s.gamma == 1 ? nil
                        : "EasyRec's CLASSIFICATION loss uses sigmoid(cosine) with no scale; the workbench's sigmoid loss uses sigmoid(γ·cosine) with γ = \(ProtoTextWriter.number(s.gamma))"
                }),
                forwardBackward: { b, weight in
                    let loss = PointwiseLosses.sigmoid(scores: b.ownScores, labels: b.labels, sampleWeights: b.sampleWeights,
                                                       gamma: b.parameters.gamma, weight: weight, grad: b.ownGradient)
                    return LossTerm(value: loss, terms: b.terms(b.sampleWeights, b.labels.count))
                })
        case .mse:
            return LossDefinition(
                help: "squared error of the score against the WMF score (classic DropoutNet)",
                input: .ownScores,
                easyRec: .none(what: "classic DropoutNet's regression onto WMF scores"),
                forwardBackward: { b, weight in
                    let loss = PointwiseLosses.meanSquaredError(scores: b.ownScores, targets: b.labels,
                                                                sampleWeights: b.sampleWeights, weight: weight, grad: b.ownGradient)
                    return LossTerm(value: loss, terms: b.terms(b.sampleWeights, b.labels.count))
                })
        }
    }
}

extension LossKind {
    /// Every kind in declaration order, which is also the order a step computes them in (so
    /// gradients accumulate the same way from run to run).
    public static let ordered: [LossKind] = {
        precondition(allCases.count <= LossValues<Float>.capacity,
                     "\(allCases.count) loss kinds do not fit LossValues (\(LossValues<Float>.capacity) lanes): widen its storage")
        return allCases
    }()

    /// The kind's lane in `LossValues`.
    @inline(__always)
    public var index: Int { LossKind.ordered.firstIndex(of: self)! }
}

/// The loss knobs of one training step, read from `Settings` (all of them are live keys).
///
/// A small fixed-size value so the trainer can rebuild it from the live settings at every step
/// without allocating: one weight per loss kind (0 = not in the mix) instead of a list.
public struct LossParameters: Equatable, Sendable {
    /// Weight of each loss kind in the total (0 = not in the mix); a kind listed twice in the
    /// settings adds up.
    public var weights = LossValues<Float>()
    /// Scale γ (inverse temperature) of the softmax logits and of the sigmoid's logit.
    public var gamma: Float = 10
    /// Margin m subtracted from the positive cosine in SV-softmax.
    public var margin: Float = 0.1
    /// Support-vector coefficient t (t = 1: no re-weighting of mis-ranked negatives).
    public var t: Float = 1.2
    /// λ of the kernel penalty λ·Σ‖W‖².
    public var l2: Float = 0
    /// N: rows per roll in stride mode (s_k = k·N mod B).
    public var negativesN: Int = 1
    /// M: rolls per step = negatives per anchor.
    public var negativesM: Int = 4
    public var shiftMode: Settings.ShiftMode = .stride
    /// Give a rolled negative that is the anchor's own item or a known positive of its user −∞.
    public var maskFalseNegatives: Bool = false
    /// Subtract log p(item) from every softmax logit (sampling-bias correction).
    public var logQ: Bool = true

    public init() {}

    public init(settings: Settings) {
        for (index, kind) in settings.loss.enumerated() {
            let w = Float(index < settings.lossWeights.count ? settings.lossWeights[index] : 1)
            self[weightOf: kind] += w
        }
        gamma = Float(settings.gamma)
        margin = Float(settings.margin)
        t = Float(settings.t)
        l2 = Float(settings.l2)
        negativesN = settings.negativesN
        negativesM = settings.negativesM
        shiftMode = settings.negativesShifts
        maskFalseNegatives = settings.negativesMaskFalse
        logQ = settings.negativesLogQ
    }

    /// The weight of one loss kind (0 when it is not part of the mix).
    public subscript(weightOf kind: LossKind) -> Float {
        get { weights[kind] }
        set { weights[kind] = newValue }
    }

    /// Whether this step needs the rolled in-batch negatives at all.
    public var needsNegatives: Bool { needs(.inBatchNegatives) }

    /// Whether a loss in the mix reads `input`.
    public func needs(_ input: LossDefinition.Input) -> Bool {
        for kind in LossKind.ordered where weights[kind] != 0 && kind.definition.input == input { return true }
        return false
    }
}

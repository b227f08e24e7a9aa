/// The value of each loss of one step, for the loss chart and the NaN watchdog.
///
/// Parts are unweighted (what each loss measures on its own); `total` is the weighted sum the
/// gradients belong to, plus the L2 penalty. A part not in the mix is 0.
public struct LossBreakdown: Equatable, Sendable {
    public var total: Double = 0
    public var svSoftmax: Double = 0
    public var softmax: Double = 0
    public var pairwise: Double = 0
    public var hardPairwise: Double = 0
    public var sigmoid: Double = 0
    public var mse: Double = 0
    /// λ·Σ‖W‖² over the kernels passed to the step (0 when none or λ = 0).
    public var l2: Double = 0
    /// P: rows with label > 0 (the softmax anchors).
    public var anchors: Int = 0
    /// Ordered pairs (i, j) with y_i > y_j behind the pairwise loss, and same-user ones behind the hard pairwise.
    public var pairs: Int = 0
    public var hardPairs: Int = 0

    public init() {}

    /// The unweighted value of one loss kind.
    public subscript(kind: Settings.LossKind) -> Double {
        switch kind {
        case .svsoftmax: return svSoftmax
        case .softmax: return softmax
        case .pairwise: return pairwise
        case .hard_pairwise: return hardPairwise
        case .sigmoid: return sigmoid
        case .mse: return mse
        }
    }
}

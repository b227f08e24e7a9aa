/// The value of each loss of one step, for the loss chart and the NaN watchdog.
///
/// Parts are unweighted (what each loss measures on its own); `total` is the weighted sum the
/// gradients belong to, plus the L2 penalty. A part not in the mix is 0.
public struct LossBreakdown: Equatable, Sendable {
    public var total: Double = 0
    /// Each kind's unweighted value.
    public var parts = LossValues<Double>()
    /// The terms each part averages: anchors (softmax kinds), pairs (pairwise kinds), rows —
    /// those of non-zero sample weight.
    public var terms = LossValues<Int>()
    /// λ·Σ‖W‖² over the kernels passed to the step (0 when none or λ = 0).
    public var l2: Double = 0
    /// P: rows with label > 0 (the softmax anchors).
    public var anchors: Int = 0

    public init() {}

    /// The unweighted value of one loss kind.
    public subscript(kind: LossKind) -> Double {
        get { parts[kind] }
        set { parts[kind] = newValue }
    }

    /// The non-zero parts by loss name, and "l2": what the run store keeps per step.
    public var namedParts: [String: Double] {
        var out: [String: Double] = [:]
        for kind in LossKind.ordered where parts[kind] != 0 { out[kind.rawValue] = parts[kind] }
        if l2 != 0 { out["l2"] = l2 }
        return out
    }
}

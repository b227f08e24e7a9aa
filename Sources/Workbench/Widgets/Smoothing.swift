/// Debiased exponential moving average, as TensorBoard smooths scalars: an EMA started at 0
/// and divided by 1 − wⁿ (n = finite points so far), so the first points are not pulled to 0.
/// Non-finite values pass through unchanged. `weight` is in [0, 1); 0 returns the input.
public enum Smoothing {
    public static func exponential(_ ys: [Double], weight: Double) -> [Double] {
        let w = min(max(weight, 0), 0.999)
        guard w > 0 else { return ys }
        var out = ys
        var acc = 0.0
        var debias = 1.0
        for i in ys.indices {
            let y = ys[i]
            guard y.isFinite else { continue }
            acc = acc * w + (1 - w) * y
            debias *= w
            out[i] = acc / (1 - debias)
        }
        return out
    }
}

/// The same debiased EMA, one point at a time, for series that grow while training: the view
/// keeps one of these per series and appends new points instead of re-smoothing the history.
public struct ExponentialSmoother: Sendable {
    public let weight: Double
    private var accumulator = 0.0
    private var debias = 1.0

    public init(weight: Double) { self.weight = min(max(weight, 0), 0.999) }

    /// The smoothed value after adding `y` (non-finite values pass through and are not counted).
    public mutating func add(_ y: Double) -> Double {
        guard y.isFinite, weight > 0 else { return y }
        accumulator = accumulator * weight + (1 - weight) * y
        debias *= weight
        return accumulator / (1 - debias)
    }
}

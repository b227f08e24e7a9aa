/// Losses of each row's own score s_i = u_i·v_i against its label (DESIGN §4.3, §4.6).
///
/// Both are weighted means over the rows, Σ w_i·ℓ_i / Σ w_i with the rows' sample weights w_i
/// (all 1: the plain mean; a row of weight 0 has no say). EasyRec's CLASSIFICATION loss divides
/// by the count of non-zero weights instead (TF's SUM_BY_NONZERO_WEIGHTS) — the same for 0/1
/// weights.
public enum PointwiseLosses {
    /// Sigmoid cross-entropy on the logit γ·s_i with target y_i: softplus(z) − y·z. γ = 1 is
    /// EasyRec's CLASSIFICATION loss on the raw cosine (whose probabilities cannot leave
    /// [0.27, 0.73]); a larger γ lets the cosine express confidence.
    /// Adds `weight`·w_i·γ(σ(z) − y)/Σw into `grad`.
    public static func sigmoid(scores s: UnsafePointer<Float>, labels y: UnsafeBufferPointer<Float>,
                               sampleWeights w: UnsafePointer<Float>, gamma: Float,
                               weight: Float, grad: UnsafeMutablePointer<Float>) -> Double {
        let b = y.count
        let weightSum = sum(w, b)
        if weightSum == 0 { return 0 }
        // Every weight 1: the sum is exactly B and these are the unweighted mean's bits.
        let scale = Float(Double(weight * gamma) / weightSum)
        var total = 0.0
        for i in 0..<b {
            let z = gamma * s[i]
            total += Double(w[i]) * Double(softplus(z) - y[i] * z)
            grad[i] += scale * w[i] * (logistic(z) - y[i])
        }
        return total / weightSum
    }

    /// Squared error of the score against the target (classic DropoutNet regresses u·v onto the
    /// pretrained preference score): (s_i − y_i)². Adds `weight`·w_i·2(s − y)/Σw.
    public static func meanSquaredError(scores s: UnsafePointer<Float>, targets y: UnsafeBufferPointer<Float>,
                                        sampleWeights w: UnsafePointer<Float>,
                                        weight: Float, grad: UnsafeMutablePointer<Float>) -> Double {
        let b = y.count
        let weightSum = sum(w, b)
        if weightSum == 0 { return 0 }
        let scale = Float(Double(2 * weight) / weightSum)
        var total = 0.0
        for i in 0..<b {
            let e = s[i] - y[i]
            total += Double(w[i]) * Double(e * e)
            grad[i] += scale * w[i] * e
        }
        return total / weightSum
    }

    private static func sum(_ w: UnsafePointer<Float>, _ n: Int) -> Double {
        var total = 0.0
        for i in 0..<n { total += Double(w[i]) }
        return total
    }
}

/// Losses of each row's own score s_i = u_i·v_i against its label (DESIGN §4.3, §4.6).
public enum PointwiseLosses {
    /// Sigmoid cross-entropy on the logit γ·s_i with target y_i, mean over the B rows:
    /// softplus(z) − y·z. γ = 1 is EasyRec's CLASSIFICATION loss on the raw cosine (whose
    /// probabilities cannot leave [0.27, 0.73]); a larger γ lets the cosine express confidence.
    /// Adds `weight`·γ(σ(z) − y)/B into `grad`.
    public static func sigmoid(scores s: UnsafePointer<Float>, labels y: UnsafeBufferPointer<Float>, gamma: Float,
                               weight: Float, grad: UnsafeMutablePointer<Float>) -> Double {
        let b = y.count
        if b == 0 { return 0 }
        let scale = weight * gamma / Float(b)
        var total = 0.0
        for i in 0..<b {
            let z = gamma * s[i]
            total += Double(softplus(z) - y[i] * z)
            grad[i] += scale * (logistic(z) - y[i])
        }
        return total / Double(b)
    }

    /// Mean squared error of the score against the target (classic DropoutNet regresses
    /// u·v onto the pretrained preference score): mean (s_i − y_i)². Adds `weight`·2(s − y)/B.
    public static func meanSquaredError(scores s: UnsafePointer<Float>, targets y: UnsafeBufferPointer<Float>,
                                        weight: Float, grad: UnsafeMutablePointer<Float>) -> Double {
        let b = y.count
        if b == 0 { return 0 }
        let scale = 2 * weight / Float(b)
        var total = 0.0
        for i in 0..<b {
            let e = s[i] - y[i]
            total += Double(e * e)
            grad[i] += scale * e
        }
        return total / Double(b)
    }
}

import Numerics

/// Support-vector-guided softmax over in-batch negatives (DESIGN §4.5; EasyRec's
/// SOFTMAX_CROSS_ENTROPY_WITH_NEGATIVE_MINING).
///
/// For an anchor with positive cosine `pos` and negatives n_k; margin m, scale γ, coefficient t:
///
///     p'  = pos − m
///     I_k = 1 if n_k > p'  (a mis-ranked negative, a "support vector"), else 0
///     g_k = t·n_k + t − 1 if I_k = 1, else n_k
///     z   = γ·[p', g_1 … g_M] + offsets     (offsets: −log p(item), −∞ for masked negatives)
///     ce  = −z_0 + log Σ_j exp(z_j)          loss = Σ_r w_r·ce_r / Σ_r w_r
///
/// w_r is the anchor row's sample weight (all 1: the mean over the anchors). EasyRec also
/// weights by the anchor's weight, but divides by the count of non-zero weights (TF's
/// SUM_BY_NONZERO_WEIGHTS): the same for 0/1 weights; for others EasyRec's loss grows with the
/// batch's mean weight while this one is a weighted mean, whatever the weights' scale.
///
/// With q = softmax(z): ∂ce/∂pos = γ(q_0 − 1), ∂ce/∂n_k = γ·q_k·(t if I_k else 1); the indicator
/// is piecewise constant. t = 1 and m = 0 is the plain in-batch softmax. "Mining" here is this
/// re-weighting of mis-ranked negatives, not a top-k selection.
public enum SupportVectorSoftmax {
    /// Weighted mean cross-entropy over the P anchors (0 when P = 0 or every weight is 0); adds
    /// `weight`·dLoss/dscore into `gradients` and writes each anchor's ce into `perAnchorLoss`
    /// (capacity P).
    ///
    /// `scores`, `offsets`, `gradients`: P×(1+M), column 0 the positive. `anchorWeights`: the P
    /// anchors' sample weights (≥ 0); nil: all 1.
    @discardableResult
    public static func forwardBackward(scores: Matrix, offsets: Matrix, gradients: Matrix,
                                       gamma: Float, margin: Float, t: Float, weight: Float,
                                       anchorWeights: UnsafePointer<Float>? = nil,
                                       perAnchorLoss: UnsafeMutablePointer<Float>) -> Double {
        let p = scores.rows, cols = scores.cols
        precondition(offsets.rows == p && offsets.cols == cols && gradients.rows == p && gradients.cols == cols)
        if p == 0 { return 0 }
        var weightSum = 0.0
        if let anchorWeights { for r in 0..<p { weightSum += Double(anchorWeights[r]) } } else { weightSum = Double(p) }
        // With every weight 1 the sum is exactly P and each anchor's scale exactly weight / P:
        // unweighted steps keep their bits.
        let scale = weightSum > 0 ? Float(Double(weight) / weightSum) : 0
        Parallel.forRanges(p, minChunk: max(32, lossParallelGrain / (32 * cols)), body: Anchors(
            scores: scores.data, offsets: offsets.data, gradients: gradients.data, cols: cols, gamma: gamma,
            margin: margin, t: t, gradientScale: scale, anchorWeights: anchorWeights, perAnchorLoss: perAnchorLoss))
        guard weightSum > 0 else { return 0 }
        var sum = 0.0
        if let anchorWeights {
            for r in 0..<p { sum += Double(anchorWeights[r]) * Double(perAnchorLoss[r]) }
        } else {
            for r in 0..<p { sum += Double(perAnchorLoss[r]) }
        }
        return sum / weightSum
    }

    /// A range of anchors (row-local; the mean is summed afterwards, in order, on one thread).
    private struct Anchors: ParallelRangeBody {
        let scores, offsets, gradients: UnsafeMutablePointer<Float>
        let cols: Int
        let gamma, margin, t, gradientScale: Float
        let anchorWeights: UnsafePointer<Float>?
        let perAnchorLoss: UnsafeMutablePointer<Float>

        func run(_ range: Range<Int>) {
            for r in range {
                var scale = gradientScale
                if let anchorWeights { scale *= anchorWeights[r] }
                perAnchorLoss[r] = anchor(scores + r * cols, offsets + r * cols, gradients + r * cols, cols,
                                          gamma: gamma, margin: margin, t: t, gradientScale: scale)
            }
        }
    }

    /// One anchor's ce; adds gradientScale·∂ce/∂score into `grad` (skipped when the scale is 0).
    @inline(__always)
    static func anchor(_ s: UnsafePointer<Float>, _ o: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>,
                       _ cols: Int, gamma: Float, margin: Float, t: Float, gradientScale: Float) -> Float {
        let shifted = s[0] - margin
        @inline(__always) func logit(_ k: Int) -> Float {
            if k == 0 { return gamma * shifted + o[0] }
            let n = s[k]
            return gamma * (n > shifted ? t * n + t - 1 : n) + o[k]
        }
        var zmax = logit(0)
        for k in 1..<cols { zmax = max(zmax, logit(k)) }
        var total: Float = 0
        for k in 0..<cols { total += expf(logit(k) - zmax) }
        let lse = zmax + logf(total)
        if gradientScale != 0 {
            let inv = 1 / total
            let q0 = expf(logit(0) - zmax) * inv
            grad[0] += gradientScale * gamma * (q0 - 1)
            for k in 1..<cols {
                let q = expf(logit(k) - zmax) * inv
                grad[k] += gradientScale * gamma * q * (s[k] > shifted ? t : 1)
            }
        }
        return lse - logit(0)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

import NeuralNet
import Numerics

/// λ·Σ‖W‖² over the dense kernels (DESIGN §4.2).
///
/// Kernels only: biases, BN scales and embeddings are left alone, as in EasyRec. Note EasyRec's
/// TF `l2_loss` is half this sum, so EasyRec's l2_regularization λ_E matches λ = λ_E / 2 here.
public enum L2Penalty {
    /// λ·Σ‖W‖² over `matrices` (no gradient).
    public static func value(lambda: Float, matrices: [Matrix]) -> Double {
        if lambda == 0 { return 0 }
        var total = 0.0
        for w in matrices { total += sumOfSquares(w) }
        return Double(lambda) * total
    }

    /// The penalty over the `.kernel` parameters among `parameters`; adds 2λW to each one's grad.
    @discardableResult
    public static func apply(lambda: Float, to parameters: [Parameter]) -> Double {
        if lambda == 0 { return 0 }
        var total = 0.0
        for p in parameters where p.role == .kernel {
            total += sumOfSquares(p.value)
            Kernels.axpy(2 * lambda, p.value.data, p.grad.data, count: p.value.count)
        }
        return Double(lambda) * total
    }

    static func sumOfSquares(_ w: Matrix) -> Double {
        var s = 0.0
        var r = 0
        // Float partial sums over rows, Double across them: exact enough, still vectorised.
        while r < w.rows {
            let row = w.row(r)
            s += Double(Kernels.dot(row, row, count: w.cols))
            r += 1
        }
        return s
    }
}

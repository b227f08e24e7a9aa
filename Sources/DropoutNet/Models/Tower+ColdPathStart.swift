import NeuralNet
import Numerics

extension Tower {
    /// Whether the tower's output for a dropped or cold row is a linear map of its content —
    /// the gated shortcut, no content blocks and one tower layer — so that `startColdPath` can
    /// set it to a fitted map exactly.
    public var hasLinearColdPath: Bool {
        guard gated, residual?.isEnabled == true, let content, content.post.isEmpty,
              content.outputSize == outputSize, mlp.layers.count == 1, mlp.layers[0] is Dense else { return false }
        return content.hasParameters
    }

    /// Sets the cold path to μ + X·W + b, with μ the shortcut's shift: the content layer holds W,
    /// the tower layer passes content through (identity) and ignores the preference input (a
    /// dropped row's is zero; a few-shot row's fold-in already reaches the output through the
    /// shortcut, so the layer adds nothing on top of it), and its bias is b − μ.
    public func startColdPath(from map: ContentRidge) {
        precondition(hasLinearColdPath, "startColdPath: the tower's cold path is not linear")
        guard let content, let dense = mlp.layers[0] as? Dense, let residual else { return }
        let r = outputSize, p = preference.outputSize
        precondition(map.intercept.count == r, "startColdPath: the map has \(map.intercept.count) outputs, the tower \(r)")
        if let d = content.denseLayer {
            d.kernel.value.copy(from: map.dense)
            d.bias?.value.zero()
        }
        if let s = content.sparseLayer {
            s.kernel.value.copy(from: map.sparse)
            s.bias?.value.zero()
        }
        let k = dense.kernel.value
        k.zero()
        for j in 0..<r { k[p + j, j] = 1 }
        if let bias = dense.bias {
            let mu = residual.map.value.row(1)
            for j in 0..<r { bias.value[0, j] = map.intercept[j] - mu[j] }
        }
    }
}

import Numerics

/// Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay.
///
/// v ← μ·v + g;  w ← w − lr·v  (Nesterov: w ← w − lr·(g + μ·v)), PyTorch's convention.
/// Weight decay adds `weightDecay·w` to the gradient of kernels and embeddings only (biases and
/// BN scales are not decayed). Embeddings are updated lazily (touched rows only).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public var stepCount = 0
    public var slotNames: [String] { momentum == 0 ? [] : ["velocity"] }
    private let store: SlotStore

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1)")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        store = SlotStore(slotCount: momentum == 0 ? 0 : 1)
    }

    public func step(_ parameters: [Parameter]) {
        stepCount += 1
        let lr = learningRate, mu = momentum
        for p in parameters where p.trainable {
            let w = p.value.data, g = p.grad.data
            let wd = decays(p) ? weightDecay : 0
            if mu == 0 {
                forEachUpdatedSpan(of: p) { o, n in
                    for j in o..<(o + n) { w[j] -= lr * (g[j] + wd * w[j]) }
                }
                continue
            }
            let v = store.slots(for: p)[0].data
            let nesterov = self.nesterov
            forEachUpdatedSpan(of: p) { o, n in
                for j in o..<(o + n) {
                    let grad = g[j] + wd * w[j]
                    v[j] = mu * v[j] + grad
                    w[j] -= lr * (nesterov ? grad + mu * v[j] : v[j])
                }
            }
        }
    }

    public func stateTensors(for parameter: Parameter) -> [Matrix]? { store.existingSlots(for: parameter) }

    public func restoreState(_ tensors: [Matrix], for parameter: Parameter) throws {
        try store.restore(tensors, for: parameter, names: slotNames)
    }
}

/// Weight decay applies to weight matrices, not to biases, BN scales or statistics.
@inline(__always)
func decays(_ p: Parameter) -> Bool { p.role == .kernel || p.role == .embedding }

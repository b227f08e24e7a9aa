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
    private let plan = UpdatePlan()

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
        let lr = learningRate, mu = momentum, nesterov = self.nesterov
        // Dense parameters: one parallel loop over all of them. Embeddings: touched rows only.
        plan.removeAll()
        for p in parameters where p.trainable {
            let w = p.value.data, g = p.grad.data
            let wd = decays(p) ? weightDecay : 0
            let v = mu == 0 ? nil : store.slots(for: p)[0].data
            if p.role != .embedding {
                plan.append(w: w, g: g, slot0: v, slot1: nil, count: p.value.count, decay: wd, shrink: 1)
                continue
            }
            forEachUpdatedSpan(of: p) { o, n in
                sgdUpdate(w: w + o, g: g + o, v: v.map { $0 + o }, count: n, lr: lr, mu: mu, nesterov: nesterov, wd: wd)
            }
        }
        Parallel.forRanges(plan.extent, minChunk: UpdatePlan.grain, alignment: 8,
                           body: SGDChunk(spans: plan.spans, count: plan.count, lr: lr, mu: mu, nesterov: nesterov))
    }

    public func stateTensors(for parameter: Parameter) -> [Matrix]? { store.existingSlots(for: parameter) }

    public func restoreState(_ tensors: [Matrix], for parameter: Parameter) throws {
        try store.restore(tensors, for: parameter, names: slotNames)
    }
}

/// The SGD update of a chunk of the dense parameters' plan.
private struct SGDChunk: ParallelRangeBody {
    let spans: UnsafeMutablePointer<UpdatePlan.Span>
    let count: Int
    let lr, mu: Float
    let nesterov: Bool

    func run(_ range: Range<Int>) {
        UpdatePlan.forEachPiece(spans, count, in: range) { s, o, n in
            sgdUpdate(w: s.w + o, g: s.g + o, v: s.slot0.map { $0 + o }, count: n, lr: lr, mu: mu, nesterov: nesterov, wd: s.decay)
        }
    }
}

/// The SGD update of `count` contiguous elements; `v` (velocity) is nil without momentum.
@inline(__always)
private func sgdUpdate(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>?,
                       count: Int, lr: Float, mu: Float, nesterov: Bool, wd: Float) {
    guard let v else {
        for j in 0..<count { w[j] -= lr * (g[j] + wd * w[j]) }
        return
    }
    for j in 0..<count {
        let grad = g[j] + wd * w[j]
        v[j] = mu * v[j] + grad
        w[j] -= lr * (nesterov ? grad + mu * v[j] : v[j])
    }
}

/// Weight decay applies to weight matrices, not to biases, BN scales or statistics.
@inline(__always)
func decays(_ p: Parameter) -> Bool { p.role == .kernel || p.role == .embedding }

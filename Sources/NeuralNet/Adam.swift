import Foundation
import Numerics

/// Adam, and AdamW when `decoupled` (Loshchilov & Hutter: decay the weights directly instead of
/// adding the decay to the gradient).
///
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr·m̂/(√v̂ + ε) with the bias-corrected m̂, v̂.
/// Coupled weight decay adds `weightDecay·w` to g; decoupled subtracts `lr·weightDecay·w` from w.
/// Decay applies to kernels and embeddings only. Embeddings take the lazy path (TensorFlow's
/// LazyAdam): only touched rows have their moments and weights updated, with the global step's
/// bias correction, so an untouched row is not pushed by stale momentum.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupled: Bool
    public var stepCount = 0
    public let slotNames = ["m", "v"]
    private let store = SlotStore(slotCount: 2)
    private let plan = UpdatePlan()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = false) {
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0, "Adam: invalid hyper-parameters")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    public func step(_ parameters: [Parameter]) {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = Float(1 - pow(Double(beta1), t))
        let correction2 = Float(1 - pow(Double(beta2), t))
        // w −= lr·(m/c₁)/(√(v/c₂) + ε), computed as stepSize·m/(√v + ε·√c₂).
        let stepSize = learningRate * correction2.squareRoot() / correction1
        let epsHat = epsilon * correction2.squareRoot()
        let b1 = beta1, b2 = beta2, lr = learningRate
        // Dense parameters: one parallel loop over all of them. Embeddings: touched rows only.
        plan.removeAll()
        for p in parameters where p.trainable {
            let slots = store.slots(for: p)
            let m = slots[0].data, v = slots[1].data
            let w = p.value.data, g = p.grad.data
            let wd = decays(p) ? weightDecay : 0
            let coupledDecay = decoupled ? 0 : wd
            let shrink = decoupled ? 1 - lr * wd : 1
            if p.role != .embedding {
                plan.append(w: w, g: g, slot0: m, slot1: v, count: p.value.count, decay: coupledDecay, shrink: shrink)
                continue
            }
            forEachUpdatedSpan(of: p) { o, n in
                adamUpdate(w: w + o, g: g + o, m: m + o, v: v + o, count: n, beta1: b1, beta2: b2,
                           stepSize: stepSize, epsHat: epsHat, coupledDecay: coupledDecay, shrink: shrink)
            }
        }
        Parallel.forRanges(plan.extent, minChunk: UpdatePlan.grain, alignment: 8, body: AdamChunk(
            spans: plan.spans, count: plan.count, beta1: b1, beta2: b2, stepSize: stepSize, epsHat: epsHat))
    }

    public func stateTensors(for parameter: Parameter) -> [Matrix]? { store.existingSlots(for: parameter) }

    public func restoreState(_ tensors: [Matrix], for parameter: Parameter) throws {
        try store.restore(tensors, for: parameter, names: slotNames)
    }
}

/// The Adam update of a chunk of the dense parameters' plan.
private struct AdamChunk: ParallelRangeBody {
    let spans: UnsafeMutablePointer<UpdatePlan.Span>
    let count: Int
    let beta1, beta2, stepSize, epsHat: Float

    func run(_ range: Range<Int>) {
        UpdatePlan.forEachPiece(spans, count, in: range) { s, o, n in
            adamUpdate(w: s.w + o, g: s.g + o, m: s.slot0! + o, v: s.slot1! + o, count: n, beta1: beta1, beta2: beta2,
                       stepSize: stepSize, epsHat: epsHat, coupledDecay: s.decay, shrink: s.shrink)
        }
    }
}

/// The Adam update of `count` contiguous elements, eight lanes at a time.
@inline(__always)
private func adamUpdate(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>,
                        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                        beta1: Float, beta2: Float, stepSize: Float, epsHat: Float,
                        coupledDecay: Float, shrink: Float) {
    typealias V = SIMD8<Float>
    var j = 0
    while j + 8 <= count {
        let wj = UnsafeRawPointer(w + j).loadUnaligned(as: V.self)
        let grad = UnsafeRawPointer(g + j).loadUnaligned(as: V.self) + coupledDecay * wj
        let mj = beta1 * UnsafeRawPointer(m + j).loadUnaligned(as: V.self) + (1 - beta1) * grad
        let vj = beta2 * UnsafeRawPointer(v + j).loadUnaligned(as: V.self) + (1 - beta2) * grad * grad
        UnsafeMutableRawPointer(m + j).storeBytes(of: mj, as: V.self)
        UnsafeMutableRawPointer(v + j).storeBytes(of: vj, as: V.self)
        let updated = wj * shrink - stepSize * mj / (vj.squareRoot() + epsHat)
        UnsafeMutableRawPointer(w + j).storeBytes(of: updated, as: V.self)
        j += 8
    }
    while j < count {
        let grad = g[j] + coupledDecay * w[j]
        let mj = beta1 * m[j] + (1 - beta1) * grad
        let vj = beta2 * v[j] + (1 - beta2) * grad * grad
        m[j] = mj
        v[j] = vj
        w[j] = w[j] * shrink - stepSize * mj / (vj.squareRoot() + epsHat)
        j += 1
    }
}

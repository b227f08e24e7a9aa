import Foundation
import Numerics

/// Updates trainable parameters from their accumulated gradients.
///
/// State (momentum, Adam moments) is kept per parameter object, allocated on the first `step`
/// that sees it, so steady-state steps allocate nothing as long as the caller passes the same
/// (cached) array of parameters. Parameters with role `.statistic` are skipped; parameters with
/// role `.embedding` are updated lazily: only their `touchedRows`.
///
/// Checkpoints: `stepCount` plus, for each parameter, `stateTensors(for:)` (the optimizer's slot
/// matrices in `slotNames` order, each shaped like the parameter) save everything; restore with
/// `restoreState(_:for:)` and by setting `stepCount`.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Number of `step` calls so far (Adam's bias correction depends on it).
    var stepCount: Int { get set }
    /// Names of the per-parameter slot tensors, e.g. ["velocity"] or ["m", "v"].
    var slotNames: [String] { get }
    /// The slot names of `parameter` (`slotNames`, unless optimizers are mixed per parameter).
    func slotNames(for parameter: Parameter) -> [String]
    func step(_ parameters: [Parameter])
    /// The slot tensors of `parameter` (live storage, not copies), nil before its first update.
    func stateTensors(for parameter: Parameter) -> [Matrix]?
    /// Replaces the slot tensors of `parameter` with copies of `tensors`.
    func restoreState(_ tensors: [Matrix], for parameter: Parameter) throws
}

extension Optimizer {
    public func slotNames(for parameter: Parameter) -> [String] { slotNames }
}

/// A checkpoint's optimizer state does not fit the model it is loaded into.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Per-parameter slot storage shared by the optimizers.
final class SlotStore {
    private struct Entry { let parameter: Parameter; let slots: [Matrix] }
    private var entries: [ObjectIdentifier: Entry] = [:]
    let slotCount: Int

    init(slotCount: Int) { self.slotCount = slotCount }

    /// The slots of `p`, zero-filled on first use.
    func slots(for p: Parameter) -> [Matrix] {
        if let e = entries[ObjectIdentifier(p)], e.parameter === p { return e.slots }
        let slots = (0..<slotCount).map { _ in Matrix(rows: p.value.rows, cols: p.value.cols) }
        entries[ObjectIdentifier(p)] = Entry(parameter: p, slots: slots)
        return slots
    }

    func existingSlots(for p: Parameter) -> [Matrix]? {
        guard let e = entries[ObjectIdentifier(p)], e.parameter === p else { return nil }
        return e.slots
    }

    func restore(_ tensors: [Matrix], for p: Parameter, names: [String]) throws {
        guard tensors.count == slotCount else {
            throw OptimizerStateError("optimizer state for \(p.name): expected \(slotCount) tensors (\(names.joined(separator: ", "))), got \(tensors.count)")
        }
        for (t, name) in zip(tensors, names) where t.rows != p.value.rows || t.cols != p.value.cols {
            throw OptimizerStateError("optimizer state \(name) for \(p.name) is \(t.rows)x\(t.cols), parameter is \(p.value.rows)x\(p.value.cols)")
        }
        let slots = slots(for: p)
        for (s, t) in zip(slots, tensors) { s.copy(from: t) }
    }
}

/// Calls `body(offset, count)` for each contiguous span of elements an update must visit: the
/// whole matrix at once, or one span per touched row of an embedding (the lazy path).
@inline(__always)
func forEachUpdatedSpan(of p: Parameter, _ body: (Int, Int) -> Void) {
    let cols = p.value.cols
    if p.role == .embedding {
        for r in p.touchedRows { body(Int(r) * cols, cols) }
    } else {
        body(0, p.value.count)
    }
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before
/// clipping. Embedding gradients are read only on their touched rows (the rest are zero).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var sum: Double = 0
    for p in parameters where p.trainable {
        let g = p.grad.data
        forEachUpdatedSpan(of: p) { o, n in
            var s: Double = 0
            for j in o..<(o + n) { s += Double(g[j] * g[j]) }
            sum += s
        }
    }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm && norm > 0 {
        let scale = maxNorm / norm
        for p in parameters where p.trainable {
            let g = p.grad.data
            forEachUpdatedSpan(of: p) { o, n in for j in o..<(o + n) { g[j] *= scale } }
        }
    }
    return norm
}

import NeuralNet
import Numerics

/// An in-memory copy of a model's parameters (and optionally its optimizer state), taken at a
/// known step: the "last good" weights a fault rolls back to, and the best-by-validation
/// weights the final test uses.
///
/// Buffers are allocated on the first capture and reused after, so periodic captures cost a
/// copy, not an allocation.
public final class WeightStash {
    public private(set) var step: Int?
    private var values: [Matrix] = []
    private var optimizerSlots: [[Matrix]?] = []
    private var optimizerStep = 0

    public init() {}

    public var isEmpty: Bool { step == nil }

    /// Copies every parameter's value (and, given an optimizer, its slots and step count).
    public func capture(_ parameters: [Parameter], optimizer: Optimizer? = nil, step: Int) {
        if values.count != parameters.count {
            values = parameters.map { Matrix(rows: $0.value.rows, cols: $0.value.cols) }
        }
        for (v, p) in zip(values, parameters) { v.copy(from: p.value) }
        if let optimizer {
            optimizerStep = optimizer.stepCount
            if optimizerSlots.count != parameters.count { optimizerSlots = Array(repeating: nil, count: parameters.count) }
            for (i, p) in parameters.enumerated() {
                guard let live = optimizer.stateTensors(for: p) else { optimizerSlots[i] = nil; continue }
                if optimizerSlots[i]?.count != live.count {
                    optimizerSlots[i] = live.map { Matrix(rows: $0.rows, cols: $0.cols) }
                }
                for (s, l) in zip(optimizerSlots[i]!, live) { s.copy(from: l) }
            }
        }
        self.step = step
    }

    /// Writes the captured values back (and the optimizer state, when it was captured).
    public func restore(_ parameters: [Parameter], optimizer: Optimizer? = nil) {
        precondition(values.count == parameters.count, "restore: the stash holds \(values.count) tensors, the model \(parameters.count)")
        for (v, p) in zip(values, parameters) { p.value.copy(from: v) }
        guard let optimizer, optimizerSlots.count == parameters.count else { return }
        optimizer.stepCount = optimizerStep
        for (i, p) in parameters.enumerated() {
            if let saved = optimizerSlots[i] {
                try? optimizer.restoreState(saved, for: p)
            } else if let live = optimizer.stateTensors(for: p) {
                for m in live { m.zero() }
            }
        }
    }
}

/// The first parameter holding a NaN or ±∞, with the value found (nil when all are finite).
func firstNonFinite(_ parameters: [Parameter]) -> (name: String, value: Float)? {
    for p in parameters {
        let x = p.value.data
        var acc: Float = 0
        let n = p.value.count
        // 0·x is NaN exactly when x is NaN or ±∞: one multiply-add per element, no branch.
        for i in 0..<n { acc += 0 * x[i] }
        if !acc.isFinite || acc.isNaN {
            for i in 0..<n where !x[i].isFinite { return (p.name, x[i]) }
        }
    }
    return nil
}

/// Whether every element of `m` is finite.
func allFinite(_ m: Matrix) -> Bool {
    var acc: Float = 0
    let x = m.data
    for i in 0..<m.count { acc += 0 * x[i] }
    return acc == 0
}

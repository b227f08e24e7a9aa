import Foundation
import Numerics

/// An exponential moving average of a model's trainable weights (Polyak averaging), which
/// evaluation uses in place of the weights the optimizer last wrote.
///
/// Why: at a constant learning rate the weights of the last step carry that step's batch noise,
/// and validation recall moves by as much between two evaluations as the settings under test
/// move it. The average over the last hundred or so steps ranks better and moves less, so the
/// evaluation that picks the kept weights compares models, not noise. Training itself never
/// reads the average: the optimizer keeps stepping from the raw weights.
///
/// The average is the exponentially weighted mean of every update's values, Σ dⁿ⁻ᵏ w_k / Σ dⁿ⁻ᵏ
/// (bias-corrected, as Adam corrects its moments): no weight on the random initialisation,
/// and the full window as soon as there are steps to fill it. TensorFlow's `num_updates`
/// schedule, min(d, (1 + n)/(10 + n)), instead shortens the window over the first thousand
/// steps, which is where a small data set's best weights are (sample-data's at step 400 of
/// 1,850): it averaged over about 45 steps there, and ranked cold items lower (docs/design-notes.md).
public final class WeightAverage {
    /// The long-run decay per step (0.99: a time constant of about 100 steps).
    public let decay: Float
    public private(set) var updates = 0
    private var shadow: [Matrix] = []
    private var stashed: [Matrix] = []
    private var swapped = false

    public init(decay: Float) {
        precondition(decay >= 0 && decay < 1, "weight average: decay \(decay) outside [0, 1)")
        self.decay = decay
    }

    /// The decay the next update applies: 1 − (1 − d)/(1 − dⁿ⁺¹), which keeps the average the
    /// weighted mean above (0 for the first update, → d).
    public var currentDecay: Float {
        let d = Double(decay)
        return Float(1 - (1 - d) / (1 - pow(d, Double(updates + 1))))
    }

    /// Moves the average towards `parameters`' values (call after each optimizer step). The
    /// first call starts the average at the values themselves.
    public func update(_ parameters: [Parameter]) {
        precondition(!swapped, "weight average: update while the average is swapped in")
        if shadow.count != parameters.count {
            shadow = parameters.map { $0.value.copy() }
            updates = 1
            return
        }
        let keep = 1 - currentDecay
        for (s, p) in zip(shadow, parameters) {
            let a = s.data, w = p.value.data
            for j in 0..<s.count { a[j] += keep * (w[j] - a[j]) }
        }
        updates += 1
    }

    /// Forgets the average (after a rollback to earlier weights: the average may hold what the
    /// rollback undid, a non-finite value included). The next update starts it again.
    public func reset() {
        precondition(!swapped, "weight average: reset while the average is swapped in")
        shadow = []
        updates = 0
    }

    /// Writes the averaged values into `parameters` for good (no-op before the first update).
    public func assign(to parameters: [Parameter]) {
        precondition(!swapped, "weight average: assign while the average is swapped in")
        guard !shadow.isEmpty else { return }
        precondition(shadow.count == parameters.count, "weight average: \(shadow.count) tensors averaged, \(parameters.count) given")
        for (s, p) in zip(shadow, parameters) { p.value.copy(from: s) }
    }

    /// Runs `body` with the averaged values in `parameters`, then puts the raw values back.
    /// Without any update yet the values are left as they are.
    public func withAverage<T>(in parameters: [Parameter], _ body: () throws -> T) rethrows -> T {
        guard !shadow.isEmpty, !swapped else { return try body() }
        precondition(shadow.count == parameters.count, "weight average: \(shadow.count) tensors averaged, \(parameters.count) given")
        if stashed.count != parameters.count { stashed = parameters.map { Matrix(rows: $0.value.rows, cols: $0.value.cols) } }
        for ((s, raw), p) in zip(zip(shadow, stashed), parameters) {
            raw.copy(from: p.value)
            p.value.copy(from: s)
        }
        swapped = true
        defer {
            for (raw, p) in zip(stashed, parameters) { p.value.copy(from: raw) }
            swapped = false
        }
        return try body()
    }
}

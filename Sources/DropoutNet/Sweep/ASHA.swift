/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
/// Tuning", 2020) as an early-stopping rule on the validation curve.
///
/// Rungs sit at `minSteps · η^k` training steps (below the trial's last step). When a trial's
/// validation curve first reaches a rung, its objective there is recorded and compared with
/// every value recorded at that rung so far, by whichever trials got there first — nobody waits
/// for a full bracket, hence "asynchronous". The trial goes on when fewer than η trials have
/// reached the rung (too few to rank), or when its value is among the top ⌊n/η⌋ of the n values
/// there (itself included; ties go on); otherwise it is pruned. So about one trial in η survives
/// each rung, and a bad setting costs a fraction of a full training.
public struct ASHA: Sendable, Equatable {
    /// The first rung, in training steps.
    public var minSteps: Int
    /// η: about one trial in η goes past each rung.
    public var reductionFactor: Int

    public init(minSteps: Int, reductionFactor: Int = 3) {
        self.minSteps = max(1, minSteps)
        self.reductionFactor = max(2, reductionFactor)
    }

    /// The rungs of a trial that trains `totalSteps` steps (the last step is no rung: a trial
    /// that gets there is finished, not judged).
    public func rungs(totalSteps: Int) -> [Int] {
        var out: [Int] = []
        var s = minSteps
        while s < totalSteps {
            out.append(s)
            let next = s * reductionFactor
            if next <= s { break }
            s = next
        }
        return out
    }

    /// The promotion rule: whether a trial with `value` at a rung where `values` (its own
    /// included) have been recorded goes on.
    public func promotes(_ value: Double, among values: [Double]) -> Bool {
        let n = values.count
        if n < reductionFactor { return true }
        let sorted = values.sorted(by: >)
        return value >= sorted[n / reductionFactor - 1]
    }
}

/// Every rung value recorded in a sweep: rung index → trial → objective. A value type the
/// runner keeps under its lock and rebuilds from the store when a sweep resumes.
public struct ASHATable: Sendable, Equatable {
    public private(set) var values: [Int: [Int: Double]] = [:]

    public init() {}

    /// Records `trial`'s value at rung `rung` and applies the rule; a trial's first value at a
    /// rung is the one that counts (a re-run after a resume does not vote twice).
    public mutating func record(trial: Int, rung: Int, value: Double, rule: ASHA) -> Bool {
        if values[rung]?[trial] == nil { values[rung, default: [:]][trial] = value }
        let v = values[rung]![trial]!
        return rule.promotes(v, among: Array(values[rung]!.values))
    }

    /// Forgets a trial's values (an interrupted trial that will be run again).
    public mutating func remove(trial: Int) {
        for r in values.keys { values[r]?[trial] = nil }
    }
}

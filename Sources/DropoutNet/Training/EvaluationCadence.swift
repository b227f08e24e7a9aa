/// Keeps scheduled validations within a share of the run's active time (`eval_budget`).
///
/// A validation is due every `eval_every` steps; on a large catalogue one can cost as much as
/// hundreds of steps, and then the live curve would cost more than training. Before a due
/// validation, the last one's duration stands in for its cost: it runs only if the time spent in
/// scheduled validations, with it, stays within `budget` of training plus validation time.
/// The first one always runs (there is nothing to go on yet). The share is of active time, so a
/// paused workbench does not bank evaluations.
///
/// Skipped validations fall on the same multiples of `eval_every`, so curves stay aligned;
/// what is skipped depends on the machine's speed, so a run compared step for step sets
/// `eval_budget = 0`.
struct EvaluationCadence {
    /// Seconds spent in scheduled validations, and the last one's.
    private(set) var seconds = 0.0
    private(set) var last: Double?
    /// Whether the log has said that validations are being skipped (said once per run).
    var saidSkipping = false

    /// Whether a due validation fits the budget, given the seconds spent in training steps.
    func allows(budget: Double, trainingSeconds: Double) -> Bool {
        guard budget > 0, let last else { return true }
        return seconds + last <= budget * (trainingSeconds + seconds + last)
    }

    mutating func record(seconds s: Double) {
        seconds += s
        last = s
    }
}

/// What a `TrainingRun` tells the parts around it: a progress line, a run recording, the
/// session's snapshot. Every call comes on the run's thread, between two steps; an observer that
/// hands data to another thread copies it.
///
/// All methods have empty defaults, so an observer implements only what it uses.
public protocol TrainingRunObserver: AnyObject {
    /// After every training step, with that step's loss (the trainer's `step` is already counted).
    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown)
    /// After every validation evaluation: scheduled by `eval_every`, requested, or the final one.
    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord)
    /// A line for the event log (evaluations, refused settings, checkpoints, faults).
    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String)
    /// A step failed: a `NumericFault` (a non-finite loss or weight) or another error. The
    /// weights are as the failed step left them; `TrainingRun.rollback()` restores the last good.
    func trainingRun(_ run: TrainingRun, didFail error: Error)
    /// A checkpoint of the weights of `step` was written to `path`.
    func trainingRun(_ run: TrainingRun, didCheckpoint path: String, step: Int)
    /// The run is no longer recorded (its store cannot be written, `reason` says why); it trains on.
    func trainingRun(_ run: TrainingRun, didStopRecording reason: String)
    /// The run has ended; `result` holds the test evaluation when the run got that far.
    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult)
    /// After every step of a baseline trained once the run has ended (`name` "content_only":
    /// `run.contentOnly`). `trainer` is the baseline's, not the run's: its steps and loss are
    /// not the run's curve.
    func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown)
    /// A baseline trained after the run's end has been tested: `result` (the run's, now with
    /// `baselines[name]`) is what `didFinish` reported plus that baseline.
    func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult)
}

extension TrainingRunObserver {
    public func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {}
    public func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {}
    public func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) {}
    public func trainingRun(_ run: TrainingRun, didFail error: Error) {}
    public func trainingRun(_ run: TrainingRun, didCheckpoint path: String, step: Int) {}
    public func trainingRun(_ run: TrainingRun, didStopRecording reason: String) {}
    public func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) {}
    public func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown) {}
    public func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult) {}
}

/// Where a run's checkpoints go (a `RunRecording` writes them into its run's directory).
public protocol CheckpointWriter: AnyObject {
    /// Writes the trainer's model as it is now, as the weights of `step`, and returns the path.
    /// - Parameter metrics: flattened "split/metric@k" values kept with the checkpoint.
    func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String
}

/// What a run does next, asked before every step (see `TrainingRunControl`).
public enum TrainingRunDecision: Sendable, Equatable {
    /// Take the next step (or finish, when the last epoch is done).
    case proceed
    /// End now as `stopped` (with the test evaluation when `evaluateOnStop`).
    case stop
    /// Leave without a final evaluation: the run was replaced (a restart).
    case abandon
}

/// Whoever drives a run from outside between steps: the workbench session's commands, pause and
/// stop. `nextDecision` may block (a paused run waits in it) and may call the run (evaluate,
/// checkpoint, rollback) — it runs on the run's thread.
///
/// With a control, a failed step holds the run instead of ending it: `nextDecision` keeps being
/// asked, and the run steps again only after `TrainingRun.rollback()` clears `failure`.
public protocol TrainingRunControl: AnyObject {
    func nextDecision(for run: TrainingRun) -> TrainingRunDecision
}

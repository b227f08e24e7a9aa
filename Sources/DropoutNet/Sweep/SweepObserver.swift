/// What a `SweepRunner` tells the parts around it (the CLI's progress lines, a screen). Calls
/// come on the trial's thread — with two trials at a time, from two threads — so an observer
/// that touches shared state locks it. `SweepRunner.snapshot` is the pull side of the same news.
public protocol SweepObserver: AnyObject {
    /// A trial was proposed and its run created (`trial.status` is `running`).
    func sweep(_ sweep: SweepRunner, didStart trial: SweepTrial)
    /// A trial's validation curve got a point; `rung` is set when ASHA judged it there, and
    /// `continues` says whether it goes on.
    func sweep(_ sweep: SweepRunner, trial: Int, step: Int, objective: Double?, rung: Int?, continues: Bool)
    /// A trial ended: finished, pruned or failed.
    func sweep(_ sweep: SweepRunner, didEnd trial: SweepTrial)
    /// A line worth showing (trials kept from before, a resumed trial, the budget running out).
    func sweep(_ sweep: SweepRunner, didLog message: String)
}

extension SweepObserver {
    public func sweep(_ sweep: SweepRunner, didStart trial: SweepTrial) {}
    public func sweep(_ sweep: SweepRunner, trial: Int, step: Int, objective: Double?, rung: Int?, continues: Bool) {}
    public func sweep(_ sweep: SweepRunner, didEnd trial: SweepTrial) {}
    public func sweep(_ sweep: SweepRunner, didLog message: String) {}
}

/// A sweep as it stands, for another thread (a screen) to draw: an immutable value.
public struct SweepSnapshot: Sendable {
    public var id: String
    /// Every trial kept, running or ended this time, by number (superseded ones left out).
    public var trials: [SweepTrial]
    /// The trial budget (nil: time only).
    public var trialLimit: Int?
    public var startedAt: Double
    public var isFinished: Bool
    /// Paused by `SweepRunner.setPaused`: running trials wait, none starts.
    public var isPaused = false
    /// Stopped, with trials still ending.
    public var isStopping = false
    /// `SweepRunner.run` has been called in this process (before: the trials an earlier process
    /// recorded, shown by a screen until its user starts the sweep).
    public var isStarted = false
    /// Seconds the sweep has run over all its processes, pauses left out.
    public var elapsed: Double = 0

    /// A sweep's state as a screen draws it (the runner makes these; tests make their own).
    public init(id: String, trials: [SweepTrial], trialLimit: Int?, startedAt: Double, isFinished: Bool) {
        self.id = id; self.trials = trials; self.trialLimit = trialLimit; self.startedAt = startedAt; self.isFinished = isFinished
    }

    /// Trials that have ended (finished, pruned or failed; refused ones included).
    public var endedCount: Int { trials.filter(\.status.isDone).count }
    public var runningCount: Int { trials.filter { $0.status == .running }.count }

    /// The ended trial with the highest objective.
    public var best: SweepTrial? {
        trials.filter { $0.status.isDone && $0.result.objective != nil }.max { ($0.result.objective!, -$0.number) < ($1.result.objective!, -$1.number) }
    }
}

import Foundation

/// One evaluation during training (validation splits) or at the end (test splits).
public struct EvaluationRecord: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    /// Seconds since training started.
    public var elapsed: Double
    public var report: EvaluationReport
    /// The model-selection score: mean recall@20 over the splits that have users (nil if none).
    public var score: Double?
    /// The cold-user popularity prior the report was scored with (`ColdUserPrior`).
    public var coldUserPrior: ColdUserPrior
    /// The cold-item prior the report was scored with (`ColdItemPrior`).
    public var coldItemPrior: ColdItemPrior
    /// Whether `report` is over the validation sample or every user (`EvaluationScope`).
    public var scope: EvaluationScope
    /// Users (summed over the splits) that `score` is over: the sample's, whatever the scope.
    public var scoreUsers: Int

    public init(step: Int, epoch: Int, elapsed: Double, report: EvaluationReport, score: Double?,
                coldUserPrior: ColdUserPrior = ColdUserPrior(), coldItemPrior: ColdItemPrior = ColdItemPrior(), scope: EvaluationScope = .full, scoreUsers: Int? = nil) {
        self.step = step; self.epoch = epoch; self.elapsed = elapsed; self.report = report; self.score = score
        self.coldUserPrior = coldUserPrior
        self.coldItemPrior = coldItemPrior
        self.scope = scope
        self.scoreUsers = scoreUsers ?? report.order.reduce(0) { $0 + (report[$1]?.users ?? 0) }
    }
}

/// What the trainer publishes for other threads: an immutable value, swapped in under a lock.
///
/// A reader gets a complete, consistent picture with one lock and one struct copy (array
/// buffers are shared, not copied). `version` increases with every publication, so a UI redraws
/// only when something changed.
public struct TrainingSnapshot: Sendable {
    public var version = 0
    public var state: TrainingState = .idle
    public var step = 0
    /// 0-based epoch of the current step; `epochs` in total.
    public var epoch = 0
    public var epochs = 0
    public var stepsPerEpoch = 0
    public var totalSteps: Int { epochs * stepsPerEpoch }
    public var batchSize = 0
    public var loss = LossSeries()
    /// Validation evaluations, oldest first.
    public var evaluations: [EvaluationRecord] = []
    /// The best validation evaluation so far (the weights kept for the test).
    public var best: EvaluationRecord?
    /// What the run produced, once it has ended (`TrainingRun`'s result, as the headless
    /// `train` reports it).
    public var result: TrainingResult?
    /// The final test evaluation with the best weights (when finished, or stopped with
    /// `evaluateOnStop`).
    public var test: EvaluationRecord? { result?.test }
    /// Baselines on the test splits (see `TrainingResult.baselines`).
    public var baselines: [String: EvaluationReport] { result?.baselines ?? [:] }
    /// The few-shot curve with the tested weights.
    public var fewShot: FewShotReport? { result?.fewShot }
    /// The baseline training after the run's end, while it trains (nil otherwise).
    public var baselineTraining: BaselineProgress?
    /// Training samples per second over the last second or so (evaluation time excluded).
    public var samplesPerSecond: Double = 0
    /// Mean over the whole run (evaluation time excluded).
    public var meanSamplesPerSecond: Double = 0
    /// Wall seconds since the run started (pauses excluded).
    public var elapsed: Double = 0
    /// Seconds spent in training steps only.
    public var trainingSeconds: Double = 0
    /// The settings in force at `step`.
    public var settings = Settings()
    /// Accepted live changes, oldest first.
    public var settingChanges: [SettingChange] = []
    /// The event log (most recent last; bounded).
    public var events: [TrainingEvent] = []
    /// The last error (a fault, a refused change, a failure), nil when none.
    public var lastError: String?
    /// The non-finite value that stopped training, if any.
    public var fault: NumericFault?
    /// Step of the in-memory copy `rollback()` returns to, nil before the first.
    public var lastGoodStep: Int?
    /// Step of the last checkpoint saved in this run (nil: none yet), so a UI can tell whether
    /// quitting would lose weights.
    public var checkpointStep: Int?
    /// Where that checkpoint was written.
    public var checkpointPath: String?
    /// Why the run is no longer recorded in the run store (a full disk, an unwritable runs
    /// directory): it trains on unrecorded. Nil while it is recorded (or has no store).
    public var recordingFault: String?

    public init() {}

    /// The most recent event's text (the TUI's one-line event log).
    public var lastEvent: String? { events.last?.message }

    /// Estimated seconds to the end at the recent rate.
    public var secondsRemaining: Double? {
        guard samplesPerSecond > 0, totalSteps > 0 else { return nil }
        return Double(max(totalSteps - step, 0) * batchSize) / samplesPerSecond
    }
}

/// How far a baseline trained after the run (the content-only baseline) has got.
public struct BaselineProgress: Sendable, Equatable {
    /// The baseline's key ("content_only").
    public var name: String
    public var step: Int
    public var totalSteps: Int

    public init(name: String, step: Int, totalSteps: Int) {
        self.name = name; self.step = step; self.totalSteps = totalSteps
    }
}

/// A value published by one thread and read by others: a lock held only for a struct copy.
public final class SnapshotBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func read() -> Value {
        lock.lock(); defer { lock.unlock() }
        return value
    }

    public func write(_ newValue: Value) {
        lock.lock()
        let old = value
        value = newValue
        lock.unlock()
        // The previous value is released outside the lock, so a reader never waits on a free.
        _ = old
    }
}

import Foundation

/// Ties one training run to the run store: losses, live setting changes, evaluations,
/// baselines and checkpoints go to `recorder`; checkpoints are written in the run's directory.
///
/// It observes a `TrainingRun` and writes its checkpoints: the headless `train` adds it to the
/// run's observers, a `TrainingSession` (the TUI) gets it through `attach(to:)`. Every method
/// runs on the trainer's thread; the recorder only buffers, so a step costs microseconds here.
public final class RunRecording {
    public let store: RunStore
    public let run: RunID
    public let recorder: RunRecorder
    public let dataset: DatasetIdentity
    private var changesSeen = 0
    /// Throughput as of the last step seen (recorded by `finish`).
    private var throughput: RunThroughput?
    private var firstStepStart: Double?
    /// The result the run ended with (its `didFinish`), nil while it has not ended.
    public private(set) var result: TrainingResult?
    /// Writes the checkpoint files (tests give it one that fails like a full disk).
    var fileWriter = AtomicWriter.standard
    /// Whether the run has been told that its recording stopped.
    private var faultReported = false

    /// How the run ended as far as this recording heard: `finished` when it trained to its last
    /// epoch (tested, best checkpoint written), otherwise `stopped`. Read it once the run's
    /// thread has ended.
    public var endStatus: RunStatus { result.map { $0.stopped ? .stopped : .finished } ?? .stopped }

    /// Creates the run (status `running`) for `data` trained with `settings`.
    /// - Parameter datasetPath: the data directory as the user gave it (recorded for `eval`).
    public init(store: RunStore, data: TrainingData, settings: Settings, datasetPath: String,
                flushInterval: TimeInterval = 0.5) throws {
        self.store = store
        dataset = DatasetIdentity(dataset: data.dataset, path: datasetPath)
        run = try store.createRun(settings: settings, dataset: dataset, split: SplitIdentity(split: data.split))
        recorder = store.recorder(for: run, flushInterval: flushInterval)
    }

    /// After each training step: the loss (with its non-zero parts) and any new live setting changes.
    public func stepDone(_ t: Trainer, _ b: LossBreakdown) {
        recorder.recordLoss(step: t.step, total: b.total, parts: b.namedParts)
        noteThroughput(t)
        live = t.live
        recordNewChanges()
    }

    /// The live settings of the run (known from its first step): changes made while it is
    /// paused are recorded with a checkpoint and when the run is closed, not only at the next step.
    private var live: LiveSettings?

    private func recordNewChanges() {
        guard let live else { return }
        let new = live.changes(after: changesSeen)
        if !new.isEmpty {
            for c in new { recorder.recordSettingChange(step: c.step, key: c.key, old: c.old, new: c.new) }
            changesSeen += new.count
        }
    }

    /// After a validation evaluation.
    public func evaluated(_ r: EvaluationRecord) {
        recorder.recordEval(step: r.step, report: r.report)
    }

    /// After `Trainer.finish()`: the test splits are recorded at the step of the weights they
    /// used (the best validation step), so `runs show` lists them beside that validation.
    public func finished(trainer t: Trainer, test: EvaluationRecord, baselines: [String: EvaluationReport]) {
        recorder.recordEval(step: t.best?.step ?? t.step, report: test.report)
        recordBaselines(baselines)
    }

    /// Each baseline's metrics per split that has users.
    public func recordBaselines(_ baselines: [String: EvaluationReport]) {
        for (name, report) in baselines {
            for split in report.order {
                guard let m = report[split] else { continue }
                recorder.recordBaseline(name: name, split: split, metrics: Dictionary(m.flat, uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    /// Writes a checkpoint of the trainer's model as it is now and records it.
    /// - Parameters:
    ///   - step: the step the weights are from (default: the current step).
    ///   - metrics: flattened "split/metric@k" values to keep in the header and the store.
    @discardableResult
    public func saveCheckpoint(_ t: Trainer, step: Int? = nil, isBest: Bool, metrics: [String: Double] = [:]) throws -> URL {
        let s = step ?? t.step
        let url = store.checkpointURL(run: run, step: s)
        let c = ModelCheckpoint.make(trainer: t, dataset: dataset, run: run, metrics: metrics, step: s)
        try c.write(to: url, using: fileWriter)
        recordNewChanges()
        recorder.recordCheckpoint(step: s, path: url.path, isBest: isBest, metrics: metrics)
        return url
    }

    /// Makes this recording the session's run observer and checkpoint writer (call before
    /// `start`, or in `restart`'s `beforeLaunch`).
    public func attach(to session: TrainingSession) {
        session.observer = self
        session.checkpoints = self
    }

    /// Records live changes not seen yet (made while paused), flushes, and sets the run's final
    /// status and throughput. Call it once the run's thread is done with it.
    public func finish(status: RunStatus) throws {
        recordNewChanges()
        try recorder.finish(status: status, throughput: throughput)
    }

    /// Steps, seconds in steps (the trainer's own clock, as the progress line and the workbench
    /// header use) and wall seconds since the first step began: a few arithmetic operations.
    private func noteThroughput(_ t: Trainer) {
        let now = DispatchTime.now().uptimeNanoseconds
        let nowSeconds = Double(now) * 1e-9
        if firstStepStart == nil { firstStepStart = nowSeconds - t.trainingSeconds }
        let seconds = t.trainingSeconds
        throughput = RunThroughput(steps: t.step, trainingSeconds: seconds,
                                   samplesPerSecond: seconds > 0 ? Double(t.step * t.batchSize) / seconds : 0,
                                   wallSeconds: nowSeconds - (firstStepStart ?? nowSeconds))
    }

    /// "split/metric@k" → value for every split of `report` that has users.
    public static func flatMetrics(_ report: EvaluationReport) -> [String: Double] {
        var out: [String: Double] = [:]
        for split in report.order {
            guard let m = report[split] else { continue }
            for (k, v) in m.flat { out["\(split)/\(k)"] = v }
        }
        return out
    }
}

extension RunRecording: TrainingRunObserver, CheckpointWriter {
    public func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        stepDone(run.trainer, loss)
        reportFault(to: run)
    }

    public func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
        evaluated(record)
        reportFault(to: run)
    }

    /// Tells the run, once, that its recording stopped (the run logs it and tells its observers:
    /// the progress line, the workbench's snapshot). A lock read per step.
    private func reportFault(to run: TrainingRun) {
        guard !faultReported, let fault = recorder.fault else { return }
        faultReported = true
        run.recordingStopped(fault)
    }

    public func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) {
        self.result = result
        if let test = result.test { finished(trainer: run.trainer, test: test, baselines: result.baselines) }
    }

    public func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult) {
        if let report = result.baselines[name] { recordBaselines([name: report]) }
    }

    public func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String {
        try saveCheckpoint(trainer, step: step, isBest: isBest, metrics: metrics).path
    }
}

import Foundation
import Numerics

/// One training run from its first step to its result — the only training loop there is.
///
/// `train(control:)` steps, evaluates the validation splits when `eval_every` says so (the
/// trainer keeps the best weights by validation), and at the end loads the best weights, tests
/// them with the baselines and the few-shot curve, writes the best checkpoint, and returns the
/// `TrainingResult`. Observers hear about each of those moments. The headless `train` command
/// calls it with no control on its own thread; `TrainingSession` calls it on the trainer thread
/// with a control that carries the workbench's pause, stop and commands. Both therefore report
/// the same numbers for the same seed.
///
/// A run that trains to its last epoch then trains its content-only baseline
/// (`ContentOnlyBaseline`, `baselines.content_only = trained`, or `auto` on data up to
/// `ContentOnlyBaseline.autoLimit`): the same loop for a second model,
/// asked through the same control before each step, reported to observers as a baseline's steps
/// (not the run's), and added to the result as `content_only` once it is tested.
///
/// Not thread-safe: everything here runs on the thread that calls `train`.
public final class TrainingRun {
    public let trainer: Trainer
    /// Told about steps, evaluations, events and the end, in order.
    public var observers: [TrainingRunObserver] = []
    /// Where the best checkpoint (at the end) and requested ones go; nil: none are written.
    public var checkpoints: CheckpointWriter?
    /// Whether a stopped run still gets the test evaluation (the workbench turns it off: its
    /// stop is a quit).
    public var evaluateOnStop = true
    /// The failed step holding the run (with a control), until `rollback()`.
    public private(set) var failure: Error?
    /// The result, once the run has ended (with `content_only` once that baseline is tested).
    public internal(set) var result: TrainingResult?
    /// The content-only baseline's trainer, from when it starts training (after the run's test);
    /// once tested, its model holds its best validation weights.
    public internal(set) var contentOnly: Trainer?
    private let started: Date
    /// What scheduled validations have cost so far (`eval_budget`).
    private var cadence = EvaluationCadence()

    /// Builds the model and everything a step needs (fitting WMF factors when the settings ask
    /// for them and none are given). `live` defaults to a private copy of `settings`.
    public init(data: TrainingData, settings: Settings, live: LiveSettings? = nil,
                wmf: (users: Matrix, items: Matrix)? = nil, rawWMF: WMFFactors? = nil) throws {
        started = Date()
        trainer = try Trainer(data: data, settings: settings, live: live, wmf: wmf, rawWMF: rawWMF)
        trainer.onEvent = { [unowned self] level, message in log(level, message) }
    }

    // MARK: The loop

    /// Trains to the last epoch (or until `control` stops or abandons the run) and finishes; a
    /// run that reached its last epoch and was tested then trains its content-only baseline.
    /// - Returns: the result, or nil when the control abandoned the run (before or while the
    ///   baseline trained).
    /// - Throws: without a control, a failed step's error (the run ends there); with or without
    ///   one, an error writing the best checkpoint or computing the few-shot curve (the result is
    ///   then still in `result`).
    @discardableResult
    public func train(control: TrainingRunControl? = nil) throws -> TrainingResult? {
        while true {
            switch control?.nextDecision(for: self) ?? .proceed {
            case .abandon: return nil
            case .stop: return try finish(stopped: true)
            case .proceed: break
            }
            if failure != nil { continue }
            if trainer.isFinished {
                let r = try finish(stopped: false)
                guard r.test != nil else { return r }
                let baseline = ContentOnlyBaseline.decision(for: trainer.initialSettings, data: trainer.data)
                if let note = baseline.note { log(.info, note) }
                guard baseline.trains else { return r }
                return trainContentOnly(control: control) ? result : nil
            }
            do {
                try step()
            } catch {
                failure = error
                log(.error, (error as? NumericFault)?.description ?? "training step failed: \(error)")
                for o in observers { o.trainingRun(self, didFail: error) }
                if control == nil { throw error }
            }
        }
    }

    /// Trains to the last epoch with nobody to pause or stop the run (the headless `train`).
    /// - Throws: a failed step's error, or an error writing the best checkpoint or computing
    ///   the few-shot curve.
    public func trainToEnd() throws -> TrainingResult {
        guard let r = try train(control: nil) else { preconditionFailure("only a control abandons a run") }
        return r
    }

    /// One step, then a validation evaluation when one is due and the budget allows it.
    private func step() throws {
        let loss = try trainer.trainStep()
        for o in observers { o.trainingRun(self, didStep: loss) }
        guard trainer.evaluationDue else { return }
        if cadence.allows(budget: trainer.settings.evalBudget, trainingSeconds: trainer.trainingSeconds) {
            evaluate()
        } else if !cadence.saidSkipping {
            cadence.saidSkipping = true
            log(.info, "validation at step \(trainer.step) skipped: scheduled validations keep to "
                + String(format: "%.0f%%", trainer.settings.evalBudget * 100)
                + " of the time (eval_budget), so the curve thins out; e evaluates now")
        }
    }

    // MARK: Between steps

    /// Evaluates the validation splits with the current weights (kept when the best so far):
    /// on the schedule over the `eval_users` sample, otherwise (the end, `e`) over every user.
    /// - Parameter reason: why, when it is not the schedule ("on request", "final").
    @discardableResult
    public func evaluate(reason: String? = nil) -> EvaluationRecord {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = trainer.evaluateValidation(scope: reason == nil ? .sample : .full)
        if reason == nil { cadence.record(seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9) }
        let score = r.score.map { String(format: "%.4f", $0) } ?? "n/a"
        let over = "\(r.scoreUsers) users" + (r.scope == .sample ? ", sampled" : "")
        log(.info, "validation at step \(r.step)\(reason.map { " (\($0))" } ?? ""): mean recall@\(Trainer.selectionK) \(score) (\(over))"
            + (trainer.best?.step == r.step ? " (best)" : ""))
        for o in observers { o.trainingRun(self, didEvaluate: r) }
        return r
    }

    /// Writes a checkpoint of the weights as they are now (the workbench's `s`) — their moving
    /// average under `weight_average`, the weights validation and the explorer rank with.
    /// Failures are logged, not thrown: a run never stops over a checkpoint.
    /// - Returns: the checkpoint's path, nil when none was written.
    @discardableResult
    public func saveCheckpoint() -> String? {
        guard let checkpoints else {
            log(.warning, "checkpoints are not available in this session")
            return nil
        }
        do {
            let path = try checkpoints.writeCheckpoint(of: trainer, step: trainer.step, isBest: false, metrics: [:])
            for o in observers { o.trainingRun(self, didCheckpoint: path, step: trainer.step) }
            log(.info, "checkpoint at step \(trainer.step): \(path)")
            return path
        } catch {
            log(.error, "checkpoint failed: \(error)")
            return nil
        }
    }

    /// The run's recording stopped (`RecordingFault`: the store cannot be written): training
    /// goes on, unrecorded, and the user is told — a warning in the log and `didStopRecording`.
    public func recordingStopped(_ fault: Error) {
        log(.warning, "\(fault); training continues without recording (what was recorded before is kept)")
        for o in observers { o.trainingRun(self, didStopRecording: "\(fault)") }
    }

    /// Puts back the last weights known to be finite and clears `failure`.
    /// - Returns: the step those weights are from.
    @discardableResult
    public func rollback() -> Int {
        failure = nil
        return trainer.rollback()
    }

    // MARK: The end

    /// Ends the run: a last validation evaluation (unless one was just made or the run failed),
    /// the best weights loaded, the test splits, baselines and few-shot curve with them, and the
    /// best checkpoint. A stopped run skips the tests unless `evaluateOnStop`; a failed run with
    /// no validated weights has none to test.
    @discardableResult
    public func finish(stopped: Bool) throws -> TrainingResult {
        let t = trainer
        var r = TrainingResult(steps: t.step)
        r.stopped = stopped
        var failed: Error?
        if (!stopped || evaluateOnStop) && (failure == nil || !t.bestWeights.isEmpty) {
            if failure == nil && t.evaluations.last?.step != t.step { evaluate(reason: "final") }
            t.restoreBest()
            t.chooseWarmPrior()
            do {
                (r.test, r.baselines, r.fewShot) = try TrainingRun.test(t)
            } catch {
                failed = error
                log(.error, "few-shot evaluation failed: \(error)")
            }
            log(.info, "test evaluation with the weights of step \(t.best?.step ?? t.step)")
        }
        r.best = t.best
        r.trainingSeconds = t.trainingSeconds
        r.batchSize = t.batchSize
        if let test = r.test, failed == nil, let checkpoints {
            let step = t.best?.step ?? t.step
            do {
                let path = try checkpoints.writeCheckpoint(of: t, step: step, isBest: true, metrics: RunRecording.flatMetrics(test.report))
                r.checkpoint = path
                for o in observers { o.trainingRun(self, didCheckpoint: path, step: step) }
            } catch {
                failed = error
                log(.error, "checkpoint of the best weights failed: \(error)")
            }
        }
        r.seconds = Date().timeIntervalSince(started)
        result = r
        log(.info, stopped ? "stopped at step \(t.step)" : "finished: \(t.step) steps")
        for o in observers { o.trainingRun(self, didFinish: r) }
        if let failed { throw failed }
        return r
    }

    /// The test splits, the baselines and the few-shot curve with the trainer's current weights:
    /// the end of a run, and `eval` of a checkpoint.
    public static func test(_ t: Trainer) throws -> (EvaluationRecord, [String: EvaluationReport], FewShotReport) {
        (t.evaluateTest(), t.evaluateBaselines(), try t.evaluateFewShot())
    }

    /// The result for a checkpoint's weights (`dropoutnet eval`): their validation score (the
    /// run's best, reproduced), then the tests as at the end of a run.
    /// - Parameters:
    ///   - step: the step the weights are from.
    ///   - started: when loading began (the result's seconds).
    public static func evaluate(checkpointed t: Trainer, step: Int, started: Date) throws -> TrainingResult {
        var validation = t.evaluateValidation()
        validation.step = step
        var r = TrainingResult(steps: step)
        r.best = validation
        (r.test, r.baselines, r.fewShot) = try test(t)
        r.batchSize = t.batchSize
        r.seconds = Date().timeIntervalSince(started)
        return r
    }

    func log(_ level: TrainingEvent.Level, _ message: String) {
        for o in observers { o.trainingRun(self, didLog: level, message) }
    }
}

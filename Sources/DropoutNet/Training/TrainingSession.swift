import Foundation
import Numerics

/// A training run on its own thread, driven by another (the TUI, a test).
///
/// The run itself is a `TrainingRun` (the same driver the headless `train` uses); the session
/// adds the thread, the commands and the published state. Commands (`pause`, `resume`, `stop`,
/// `restart`, `evaluateNow`, `requestCheckpoint`, `rollback`, `withModel`) only set flags or
/// queue work under a lock and return at once; the trainer thread acts on them between steps.
/// Live settings go through `live` (or `update`), and the trainer reads them at the top of every
/// step. The state the thread publishes is a `TrainingSnapshot` value: `snapshot` costs the
/// reader one short lock and a struct copy, and the trainer never waits on a reader for longer
/// than that copy.
///
/// The session knows nothing about screens. A NaN or ±∞ in the loss or a weight stops stepping
/// (state `failed`, `fault` names the step and tensor); `rollback()` restores the last good
/// weights and leaves the run paused. Nothing here traps on bad numbers or bad settings.
public final class TrainingSession: @unchecked Sendable {
    public let data: TrainingData
    public let live: LiveSettings
    /// Optional WMF factors for `wmf` preferences (otherwise fitted when needed).
    public let wmf: (users: Matrix, items: Matrix)?
    /// Optional raw WMF factors (e.g. from `pretrain wmf`): the classic model's targets and the
    /// `wmf` inputs' source, so a (re)start does not refit them.
    public let rawWMF: WMFFactors?
    /// Hears about a run's steps, evaluations and end on the trainer thread (e.g. a
    /// `RunRecording`). Each run keeps the observer set when it was launched, so a run abandoned
    /// by `restart` still reports to its own (its final test, if it was being tested) and never to
    /// the next run's; set the new run's in `restart`'s `beforeLaunch`.
    public var observer: TrainingRunObserver?
    /// Writes the checkpoints a run asks for (`requestCheckpoint`, and the best weights when a
    /// run ends with a test). Nil: a request logs that checkpoints are not available.
    public var checkpoints: CheckpointWriter?
    /// How often a snapshot is published while running (also after every evaluation and state change).
    public var publishInterval: Double = 0.05
    /// Run the test splits and baselines when stopped early (the TUI turns it off: its stop is a quit).
    public var evaluateOnStop = true

    fileprivate enum Command {
        case evaluate, checkpoint, rollback
        case readModel((Trainer?) -> Void)
    }

    private let box = SnapshotBox(TrainingSnapshot())
    private let control = NSCondition()
    /// Where `withModel` bodies run once no trainer thread is alive: one at a time.
    private let modelReaders = DispatchQueue(label: "dropoutnet.model-readers")
    // Guarded by `control`:
    private var generation = 0
    private var commands: [Command] = []
    private var pauseRequested = false
    private var stopRequested = false
    private var pendingEvents: [(TrainingEvent.Level, String)] = []
    private var running = false
    private var settingsForNextRun: Settings
    private var latestTrainer: Trainer?
    /// Generations whose trainer thread is still alive (an abandoned run may still be finishing).
    private var aliveGenerations: Set<Int> = []
    /// What to do when an abandoned run's thread has ended, by generation.
    private var onAbandonedEnd: [Int: () -> Void] = [:]

    public init(data: TrainingData, settings: Settings, live: LiveSettings? = nil,
                wmf: (users: Matrix, items: Matrix)? = nil, rawWMF: WMFFactors? = nil) {
        self.data = data
        self.rawWMF = rawWMF
        self.live = live ?? LiveSettings(settings)
        self.wmf = wmf
        settingsForNextRun = settings
        var s = TrainingSnapshot()
        s.settings = settings
        box.write(s)
    }

    // MARK: Reading

    /// The latest published state (cheap; call it every frame).
    public var snapshot: TrainingSnapshot { box.read() }

    /// The trainer of the latest run (nil before it is built). Its model holds the best
    /// validation weights once the run has finished or stopped. Read its model only through
    /// `withModel`, which knows whether a thread is training it.
    public var trainer: Trainer? {
        control.lock(); defer { control.unlock() }
        return latestTrainer
    }

    fileprivate func setTrainer(_ t: Trainer, generation gen: Int) {
        control.lock(); defer { control.unlock() }
        if gen == generation { latestTrainer = t }
    }

    /// Whether the trainer thread is alive.
    public var isRunning: Bool {
        control.lock(); defer { control.unlock() }
        return running
    }

    /// Runs `body` with the latest trainer where its model may be read (or changed): on the
    /// trainer thread between two steps while a run is alive, otherwise on a queue of the
    /// session's own, one body at a time. Where is decided under the lock the thread ends under,
    /// so a run ending meanwhile cannot strand the body: bodies still queued when the thread
    /// ends move to that queue. Every body runs exactly once; `nil` means no run has built a
    /// model (it failed to start).
    public func withModel(_ body: @escaping (Trainer?) -> Void) {
        control.lock()
        defer { control.unlock() }
        if running {
            commands.append(.readModel(body))
            control.broadcast()
        } else {
            let t = latestTrainer
            modelReaders.async { body(t) }
        }
    }

    /// `withModel` for work that needs a model (skipped when no run has built one).
    public func perform(_ body: @escaping (Trainer) -> Void) {
        withModel { if let t = $0 { body(t) } }
    }

    /// Opens a saved model for exploring without training (`tui --checkpoint`): `trainer` (built
    /// from a checkpoint) becomes the session's model, which `withModel` hands out, and its
    /// evaluation (`TrainingRun.evaluate(checkpointed:)`) the run's result; the state is
    /// `finished`, so nothing trains until `restart`.
    public func adopt(_ trainer: Trainer, result: TrainingResult) {
        control.lock()
        latestTrainer = trainer
        control.unlock()
        var s = box.read()
        s.state = .finished
        s.step = result.steps
        s.epoch = trainer.epoch
        s.epochs = trainer.epochs
        s.stepsPerEpoch = trainer.totalSteps / max(1, trainer.epochs)
        s.batchSize = trainer.batchSize
        s.settings = trainer.initialSettings
        s.best = result.best
        s.evaluations = result.best.map { [$0] } ?? []
        s.result = result
        s.version += 1
        box.write(s)
    }

    // MARK: Commands

    /// Starts training on a new thread (no-op when already running).
    public func start() {
        control.lock()
        defer { control.unlock() }
        guard !running else { return }
        launchLocked(settingsForNextRun)
    }

    public func pause() { signal { $0.pauseRequested = true } }
    public func resume() { signal { $0.pauseRequested = false } }
    /// Stops after the current step; the run ends `stopped` (with test evaluation unless
    /// `evaluateOnStop` is off).
    public func stop() { signal { $0.stopRequested = true } }
    /// Evaluates the validation splits before the next step (even while paused).
    public func evaluateNow() { signal { $0.commands.append(.evaluate) } }
    /// Asks `checkpoints` for a checkpoint before the next step.
    public func requestCheckpoint() { signal { $0.commands.append(.checkpoint) } }
    /// Restores the last good weights after a fault (or at any time); the run is then paused.
    public func rollback() { signal { $0.commands.append(.rollback) } }

    /// Changes a live setting (see `LiveSettings.update`); a refused change is logged as an
    /// event and rethrown so the caller can show it too.
    @discardableResult
    public func update(key: String, value: String) throws -> SettingChange? {
        do {
            let change = try live.update(key: key, value: value)
            if let change { signal { $0.pendingEvents.append((.info, "\(change.key): \(change.old) → \(change.new) from step \(change.step)")) } }
            return change
        } catch let e as SettingsError {
            signal { $0.pendingEvents.append((.warning, "refused: \(e.description)")) }
            throw e
        }
    }

    /// Abandons the current run and starts a new one with `settings` (default: the current live
    /// settings). The old thread finishes what it is doing — a step, or the end of a run that
    /// has trained its last epoch (its test and best checkpoint) — and exits without training
    /// further; model reads queued by `withModel` go to the new run's trainer.
    /// - Parameters:
    ///   - beforeLaunch: runs once the old run is abandoned and before the new one's thread
    ///     starts, under the session's lock: set `observer` and `checkpoints` for the new run here
    ///     (assign properties only; calling the session from it deadlocks).
    ///   - whenAbandonedRunEnds: runs once the abandoned run's thread has ended (on that thread,
    ///     or at once on the caller's when it had already ended), e.g. to close its recording with
    ///     the status it really ended with.
    public func restart(with settings: Settings? = nil, beforeLaunch: ((TrainingSession) -> Void)? = nil,
                        whenAbandonedRunEnds: (() -> Void)? = nil) {
        let next = settings ?? live.current
        live.reset(to: next)
        control.lock()
        settingsForNextRun = next
        let abandoned = generation
        generation += 1
        commands.removeAll { if case .readModel = $0 { return false } else { return true } }
        pauseRequested = false
        stopRequested = false
        var endedAlready: (() -> Void)?
        if let whenAbandonedRunEnds {
            if aliveGenerations.contains(abandoned) { onAbandonedEnd[abandoned] = whenAbandonedRunEnds } else { endedAlready = whenAbandonedRunEnds }
        }
        beforeLaunch?(self)
        control.broadcast()
        launchLocked(next)
        control.unlock()
        endedAlready?()
    }

    /// Blocks until the trainer thread has ended (finished, stopped, failed and not rolled
    /// back…) or `timeout` seconds passed; returns the last snapshot.
    @discardableResult
    public func wait(timeout: Double = .infinity) -> TrainingSnapshot {
        let deadline = Date(timeIntervalSinceNow: min(timeout, 1e9))
        control.lock()
        while running && Date() < deadline { _ = control.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.1))) }
        control.unlock()
        return snapshot
    }

    /// Blocks until `condition` holds for a published snapshot or `timeout` passes.
    @discardableResult
    public func wait(timeout: Double, until condition: (TrainingSnapshot) -> Bool) -> TrainingSnapshot? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            let s = snapshot
            if condition(s) { return s }
            Thread.sleep(forTimeInterval: 0.002)
        }
        let s = snapshot
        return condition(s) ? s : nil
    }

    private func signal(_ change: (TrainingSession) -> Void) {
        control.lock()
        change(self)
        control.broadcast()
        control.unlock()
    }

    private func launchLocked(_ settings: Settings) {
        running = true
        let gen = generation
        aliveGenerations.insert(gen)
        let observer = self.observer
        let thread = Thread { [self] in self.threadMain(generation: gen, settings: settings, observer: observer) }
        thread.name = "dropoutnet.trainer"
        thread.stackSize = 8 << 20
        thread.start()
    }

    // MARK: The trainer thread

    private func threadMain(generation gen: Int, settings: Settings, observer: TrainingRunObserver?) {
        let worker = SessionWorker(session: self, generation: gen, settings: settings, observer: observer)
        worker.run()
        control.lock()
        aliveGenerations.remove(gen)
        let ended = onAbandonedEnd.removeValue(forKey: gen)
        if generation == gen {
            running = false
            // Model reads that arrived while the run was finishing: the thread will not take
            // them any more, so they go where `withModel` sends them from now on.
            let trainer = latestTrainer
            for case .readModel(let body) in commands { modelReaders.async { body(trainer) } }
            commands.removeAll()
        }
        control.broadcast()
        control.unlock()
        ended?()
    }

    /// Publishes `snapshot` if the run is still the current one. Returns false when it is stale.
    fileprivate func publish(_ snapshot: inout TrainingSnapshot, generation gen: Int) -> Bool {
        control.lock()
        defer { control.unlock() }
        guard gen == generation else { return false }
        snapshot.version = box.read().version + 1
        box.write(snapshot)
        return true
    }

    fileprivate struct Pending {
        var commands: [Command] = []
        var events: [(TrainingEvent.Level, String)] = []
        var pause = false
        var stop = false
        var stale = false
        var checkpoints: CheckpointWriter?
    }

    /// Takes queued commands and flags; with `waitWhileIdle`, sleeps until there is something to do.
    fileprivate func take(generation gen: Int, waitWhileIdle: Bool) -> Pending {
        control.lock()
        defer { control.unlock() }
        if waitWhileIdle {
            while gen == generation && commands.isEmpty && pendingEvents.isEmpty && !stopRequested && pauseRequested {
                control.wait()
            }
        }
        var p = Pending()
        p.stale = gen != generation
        if p.stale { return p }
        p.commands = commands; commands.removeAll()
        p.events = pendingEvents; pendingEvents.removeAll()
        p.pause = pauseRequested
        p.stop = stopRequested
        p.checkpoints = checkpoints
        return p
    }

    /// Called after a fault: hold the run paused until the user acts.
    fileprivate func requestPause() { signal { $0.pauseRequested = true } }
}

/// The trainer thread's side of a session: it builds the run, answers the run's "what next?"
/// from the session's commands and flags (`TrainingRunControl`), and turns what the run reports
/// into the published snapshot (`TrainingRunObserver`), passing it on to the session's observer.
fileprivate final class SessionWorker: TrainingRunControl, TrainingRunObserver {
    unowned let session: TrainingSession
    let generation: Int
    let settings: Settings
    /// The run's own observer (the session's when the run was launched).
    let observer: TrainingRunObserver?
    var current: TrainingRun?
    var snap: TrainingSnapshot
    var lastPublish = 0.0
    var seenSettingsVersion = -1
    var rateSamples = 0
    var rateSeconds = 0.0
    var lastTrainingSeconds = 0.0
    var runStart = Date()
    var pausedSeconds = 0.0
    static let maxEvents = 200

    init(session: TrainingSession, generation: Int, settings: Settings, observer: TrainingRunObserver?) {
        self.session = session
        self.observer = observer
        self.generation = generation
        self.settings = settings
        snap = TrainingSnapshot()
        snap.settings = settings
        snap.epochs = settings.epochs
        snap.batchSize = settings.batchSize
    }

    func log(_ level: TrainingEvent.Level, _ message: String) {
        snap.events.append(TrainingEvent(step: current?.trainer.step ?? 0, level: level, message: message, time: elapsed))
        if snap.events.count > SessionWorker.maxEvents { snap.events.removeFirst(snap.events.count - SessionWorker.maxEvents) }
        if level != .info { snap.lastError = message }
    }

    var elapsed: Double { Date().timeIntervalSince(runStart) - pausedSeconds }

    @discardableResult
    func publish() -> Bool {
        snap.elapsed = elapsed
        lastPublish = snap.elapsed
        return session.publish(&snap, generation: generation)
    }

    func run() {
        snap.state = .preparing
        guard publish() else { return }
        let r: TrainingRun
        do {
            r = try TrainingRun(data: session.data, settings: settings, live: session.live, wmf: session.wmf,
                                rawWMF: session.rawWMF)
        } catch {
            snap.state = .failed
            log(.error, "could not start training: \(error)")
            publish()
            return
        }
        r.observers = [self]
        r.evaluateOnStop = session.evaluateOnStop
        current = r
        let t = r.trainer
        session.setTrainer(t, generation: generation)
        snap.stepsPerEpoch = t.stepsPerEpoch
        snap.lastGoodStep = t.lastGood.step
        runStart = Date()
        snap.state = .running
        log(.info, "training: \(t.epochs) epochs × \(t.stepsPerEpoch) steps of \(t.batchSize)")
        guard publish() else { return }
        // Step failures, and a failed checkpoint or few-shot curve at the end, are in the log.
        _ = try? r.train(control: self)
        // A baseline stopped or failed after the run's end: no longer training.
        if snap.baselineTraining != nil {
            snap.baselineTraining = nil
            publish()
        }
    }

    // MARK: TrainingRunControl

    func nextDecision(for run: TrainingRun) -> TrainingRunDecision {
        while true {
            let idle = snap.state == .paused || snap.state == .failed
            let pending = session.take(generation: generation, waitWhileIdle: idle)
            if pending.stale { return .abandon }
            run.checkpoints = pending.checkpoints
            let pauseStart = Date()
            for (level, message) in pending.events { log(level, message) }
            for c in pending.commands { perform(c, run) }
            if !pending.commands.isEmpty || !pending.events.isEmpty { publish() }
            if pending.stop { return .stop }
            if run.failure != nil {
                // Stay failed until a rollback (which pauses) or a stop.
                pausedSeconds += Date().timeIntervalSince(pauseStart)
                continue
            }
            if pending.pause {
                if snap.state != .paused { snap.state = .paused; log(.info, "paused at step \(run.trainer.step)"); publish() }
                pausedSeconds += Date().timeIntervalSince(pauseStart)
                continue
            }
            if snap.state == .paused { snap.state = .running; log(.info, "resumed at step \(run.trainer.step)"); publish() }
            return .proceed
        }
    }

    private func perform(_ c: TrainingSession.Command, _ run: TrainingRun) {
        switch c {
        case .evaluate: run.evaluate(reason: "on request")
        case .checkpoint: run.saveCheckpoint()
        case .rollback:
            let from = run.rollback()
            snap.fault = nil
            snap.state = .paused
            session.requestPause()
            log(.info, "rolled back to the weights of step \(from); paused")
        case .readModel(let body): body(run.trainer)
        }
    }

    // MARK: TrainingRunObserver

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        let t = run.trainer
        snap.loss.append(step: t.step, loss)
        observer?.trainingRun(run, didStep: loss)
        snap.step = t.step
        snap.epoch = t.epoch
        rateSamples += t.batchSize
        rateSeconds += t.trainingSeconds - lastTrainingSeconds
        lastTrainingSeconds = t.trainingSeconds
        snap.trainingSeconds = t.trainingSeconds
        snap.meanSamplesPerSecond = t.trainingSeconds > 0 ? Double(t.step * t.batchSize) / t.trainingSeconds : 0
        let v = session.live.version
        if v != seenSettingsVersion {
            seenSettingsVersion = v
            snap.settingChanges = session.live.timeline
        }
        snap.settings = t.settings
        snap.lastGoodStep = t.lastGood.step
        if elapsed - lastPublish >= session.publishInterval {
            if rateSeconds > 0 { snap.samplesPerSecond = Double(rateSamples) / rateSeconds }
            if rateSeconds > 1 { rateSamples = 0; rateSeconds = 0 }
            publish()
        }
    }

    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
        snap.evaluations = run.trainer.evaluations
        snap.best = run.trainer.best
        observer?.trainingRun(run, didEvaluate: record)
        publish()
    }

    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) {
        log(level, message)
        observer?.trainingRun(run, didLog: level, message)
    }

    func trainingRun(_ run: TrainingRun, didFail error: Error) {
        snap.state = .failed
        snap.fault = error as? NumericFault
        observer?.trainingRun(run, didFail: error)
        session.requestPause()
        publish()
    }

    func trainingRun(_ run: TrainingRun, didCheckpoint path: String, step: Int) {
        snap.checkpointStep = step
        snap.checkpointPath = path
        observer?.trainingRun(run, didCheckpoint: path, step: step)
    }

    func trainingRun(_ run: TrainingRun, didStopRecording reason: String) {
        snap.recordingFault = reason
        observer?.trainingRun(run, didStopRecording: reason)
        publish()
    }

    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) {
        snap.result = result
        snap.state = result.stopped ? .stopped : .finished
        if rateSeconds > 0 { snap.samplesPerSecond = Double(rateSamples) / rateSeconds }
        observer?.trainingRun(run, didFinish: result)
        publish()
    }

    /// The run has finished; the baseline's steps show as its progress, not as the run's.
    func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown) {
        snap.baselineTraining = BaselineProgress(name: name, step: trainer.step, totalSteps: trainer.totalSteps)
        observer?.trainingRun(run, baseline: name, didStep: trainer, loss: loss)
        if elapsed - lastPublish >= session.publishInterval { publish() }
    }

    func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult) {
        snap.result = result
        snap.baselineTraining = nil
        observer?.trainingRun(run, didAddBaseline: name, result: result)
        publish()
    }
}

import Foundation
import Numerics

/// Runs a sweep: proposes trials, trains each through `TrainingRun` (the one training loop, as
/// `train` does), prunes with ASHA, records every trial as a run of the store tagged with the
/// sweep, and resumes a sweep whose process was killed.
///
/// Resuming: the sweep's id hashes its definition, data and split, so the same command finds the
/// trials it recorded. Ended trials (finished, pruned, failed) are kept; a trial recorded as
/// running by a dead process is marked superseded and trained again under its number. Trial n's
/// settings depend only on the seed and on trials 1…n−parallel (the runner waits for those to
/// end before proposing n), so a resumed sweep proposes what the killed one would have.
///
/// `parallel` trials train at a time, on their own threads, with `Parallel.threadCount` divided
/// among them for the sweep's duration. Observers hear about trials as they go; `snapshot` is
/// the same state for a screen to poll.
///
/// A screen shows a sweep before it starts (`load`, the trials recorded so far) and may start
/// it again after `stop`: each `run` begins as a new process of the same command would, from
/// what the store holds.
public final class SweepRunner: @unchecked Sendable {
    public let definition: SweepDefinition
    public let id: String
    public let store: RunStore
    let data: TrainingData
    let datasetPath: String
    /// Told about trials; set before `run`.
    public var observers: [SweepObserver] = []

    let lock = NSCondition()
    // Guarded by `lock`:
    var trials: [Int: SweepTrial] = [:]
    private var claimed: Set<Int> = []
    private var table = ASHATable()
    var stopRequested = false
    private var finished = false
    var budgetSpent = false
    /// `run` is in progress.
    private var active = false
    /// `run` has been called (in this process).
    private var everStarted = false
    private var started = Date()
    /// Seconds run by earlier processes of this sweep (from the store).
    private var earlierSeconds = 0.0
    /// Set while paused: no trial starts and running ones wait between steps.
    private var pausedSince: Date?
    private var pausedSeconds = 0.0
    private var wmf: [String: WMFFactors] = [:]
    private let wmfLock = NSLock()

    /// - Parameter datasetPath: the data directory as the user gave it (recorded with each run).
    public init(definition: SweepDefinition, data: TrainingData, store: RunStore, datasetPath: String) {
        self.definition = definition
        self.data = data
        self.store = store
        self.datasetPath = datasetPath
        id = SweepRunner.sweepID(definition: definition, data: data)
    }

    /// "sweep-" and 12 hex digits of the definition's text, the dataset's fingerprint and the
    /// split's hash: the same command on the same data finds its sweep again.
    public static func sweepID(definition: SweepDefinition, data: TrainingData) -> String {
        var f = Fingerprint()
        f.add(definition.source)
        f.add(DatasetIdentity(dataset: data.dataset, path: "").fingerprint)
        f.add(SplitIdentity(split: data.split).hash)
        return "sweep-" + f.hex.prefix(12)
    }

    /// The sweep as it stands.
    public var snapshot: SweepSnapshot {
        lock.lock(); defer { lock.unlock() }
        var s = SweepSnapshot(id: id, trials: trials.keys.sorted().map { trials[$0]! }, trialLimit: definition.trialLimit,
                              startedAt: started.timeIntervalSince1970, isFinished: finished)
        s.isPaused = pausedSince != nil
        s.elapsed = elapsedLocked()
        s.isStopping = stopRequested && !finished
        s.isStarted = everStarted
        return s
    }

    /// Starts no new trial; the running ones train to their end (or their pruning; a
    /// population-based sweep's members stop after their current step). Ends a pause.
    public func stop() {
        lock.lock(); stopRequested = true; endPauseLocked(); lock.broadcast(); lock.unlock()
    }

    /// Pausing: running trials finish the step or evaluation they are in and wait; no trial
    /// starts; the time budget does not run. `false` lets everything go on.
    public func setPaused(_ paused: Bool) {
        lock.lock()
        var message: String?
        if paused, pausedSince == nil, !stopRequested, !finished {
            pausedSince = Date()
            message = "paused: running trials wait after their current step, no trial starts"
        } else if !paused, pausedSince != nil {
            endPauseLocked()
            message = "resumed"
        }
        lock.broadcast()
        lock.unlock()
        if let message { log(message) }
    }

    public var isPaused: Bool {
        lock.lock(); defer { lock.unlock() }
        return pausedSince != nil
    }

    private func endPauseLocked() {
        if let p = pausedSince { pausedSeconds += Date().timeIntervalSince(p) }
        pausedSince = nil
    }

    /// Seconds this sweep has run, over every process that ran it, pauses left out (its
    /// `minutes` budget is spent on these). Call with `lock` held.
    func elapsedLocked() -> Double {
        guard active else { return earlierSeconds }
        let paused = pausedSeconds + (pausedSince.map { Date().timeIntervalSince($0) } ?? 0)
        return earlierSeconds + max(0, Date().timeIntervalSince(started) - paused)
    }

    /// Whether the `minutes` budget is spent (then no trial starts). Call with `lock` held.
    func budgetSpentLocked() -> Bool {
        guard let minutes = definition.minutes else { return false }
        return elapsedLocked() >= minutes * 60
    }

    /// Blocks a trial's thread while the sweep is paused (returns at once when it is not).
    func waitWhilePaused() {
        lock.lock(); defer { lock.unlock() }
        while pausedSince != nil && !stopRequested { lock.wait() }
    }

    /// Writes the seconds run so far to the store (a killed sweep loses at most what ran since).
    func saveElapsed() {
        lock.lock(); let seconds = elapsedLocked(); lock.unlock()
        do { try store.setSweepElapsed(id, seconds: seconds) } catch { log("recording the sweep's time failed: \(error)") }
    }

    // MARK: Running

    /// Reads what earlier runs of this sweep recorded — the trials a `run` would keep and the
    /// time spent — without changing the store, so a screen can show the sweep before it starts.
    public func load() throws {
        let recorded = try recordedTrials(resuming: false)
        let seconds = try store.sweepElapsed(id)
        lock.lock()
        if !active { trials = recorded.trials; earlierSeconds = seconds }
        lock.unlock()
    }

    /// Whether a `run` now would train anything: trials left under the budget, time left, and
    /// a proposal left (a grid may be done). Judged on the trials loaded or run so far.
    public var hasWorkLeft: Bool {
        lock.lock(); defer { lock.unlock() }
        if budgetSpentLocked() { return false }
        var n = 1
        while trials[n]?.status.isDone == true { n += 1 }
        if let limit = definition.trialLimit, n > limit { return false }
        if definition.searcher == .pbt { return true }
        return definition.makeSearcher().suggest(trial: n, history: []) != nil
    }

    /// Runs the sweep to its budget and returns how it ended. Called again after it returned
    /// (a stopped sweep started again), it goes on from what the store holds, as a new process
    /// would; not while it runs.
    @discardableResult
    public func run() throws -> SweepSnapshot {
        lock.lock()
        precondition(!active, "SweepRunner.run called while the sweep runs")
        stopRequested = false; finished = false; budgetSpent = false
        pausedSince = nil; pausedSeconds = 0
        claimed = []
        active = true; everStarted = true; started = Date()
        lock.unlock()
        do {
            try store.openSweep(id: id, definition: definition.source)
            let recorded = try recordedTrials(resuming: true)
            let seconds = try store.sweepElapsed(id)
            lock.lock()
            trials = recorded.trials; table = recorded.table; earlierSeconds = seconds; started = Date()
            lock.unlock()
            if recorded.kept > 0 { log("resuming sweep \(id): \(recorded.kept) trial\(recorded.kept == 1 ? "" : "s") kept") }
        } catch {
            lock.lock(); active = false; finished = true; lock.broadcast(); lock.unlock()
            throw error
        }
        let savedThreads = Parallel.threadCount
        let parallel = definition.searcher == .pbt ? definition.pbt.population : max(1, definition.parallel)
        Parallel.threadCount = max(1, savedThreads / parallel)
        defer { Parallel.threadCount = savedThreads }
        if definition.searcher == .pbt {
            PopulationTraining(runner: self).run()
            return ended()
        }
        let group = DispatchGroup()
        for _ in 0..<parallel {
            group.enter()
            let thread = Thread { [self] in
                while let (n, values) = claimNext() { runTrial(n, values: values) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return ended()
    }

    private func ended() -> SweepSnapshot {
        lock.lock(); endPauseLocked(); finished = true; let spent = budgetSpent; lock.unlock()
        saveElapsed()
        lock.lock(); earlierSeconds = elapsedLocked(); active = false; lock.unlock()
        if spent, let minutes = definition.minutes {
            log("time budget of \(SweepParameter.text(minutes)) min spent (over every run of this sweep): no new trials were started after it")
        }
        return snapshot
    }

    /// The next trial to train and its settings, or nil when the budget is spent or the
    /// searcher has nothing left. Waits until the trials its proposal may see have ended.
    private func claimNext() -> (Int, [String: String])? {
        lock.lock(); defer { lock.unlock() }
        let searcher = definition.makeSearcher()
        let parallel = max(1, definition.parallel)
        while true {
            if stopRequested { return nil }
            if pausedSince != nil { lock.wait(); continue }
            if budgetSpentLocked() {
                stopRequested = true
                budgetSpent = true
                return nil
            }
            var n = 1
            while trials[n] != nil || claimed.contains(n) { n += 1 }
            if let limit = definition.trialLimit, n > limit { return nil }
            // Trials 1…n−parallel must have ended: they are what trial n's proposal sees.
            let seen = 1...max(1, n - parallel)
            if n - parallel >= 1, seen.contains(where: { trials[$0]?.status.isDone != true }) {
                lock.wait()
                continue
            }
            let history = n - parallel >= 1 ? seen.compactMap { i -> SweepObservation? in
                guard let t = trials[i], let o = t.result.objective, t.status != .failed else { return nil }
                return SweepObservation(trial: i, values: t.values, objective: o)
            } : []
            guard let values = searcher.suggest(trial: n, history: history) else { return nil }
            claimed.insert(n)
            return (n, values)
        }
    }

    private func runTrial(_ n: Int, values: [String: String]) {
        let t0 = Date()
        var trial = SweepTrial(number: n, run: nil, status: .running, values: values)
        var recording: RunRecording?
        do {
            let settings: Settings
            do { settings = try definition.settings(for: values) } catch {
                // Recorded, so a resumed sweep keeps it as it is instead of proposing it again.
                try? store.refuseTrial(sweep: id, trial: n, values: values, reason: "\(error)")
                throw error
            }
            let rec = try RunRecording(store: store, data: data, settings: settings, datasetPath: datasetPath)
            recording = rec
            trial.run = rec.run
            try store.startTrial(run: rec.run, sweep: id, trial: n, values: values)
            update(trial)
            for o in observers { o.sweep(self, didStart: trial) }
            let run = try TrainingRun(data: data, settings: settings, rawWMF: try rawWMF(for: settings))
            let pruner = TrialPruner(trial: n, rungs: definition.asha?.rungs(totalSteps: run.trainer.totalSteps) ?? [], runner: self)
            run.observers = [rec, pruner]
            run.checkpoints = rec
            run.evaluateOnStop = false
            var failure: String?
            do { try run.train(control: pruner) } catch { failure = "\(error)" }
            if let f = run.failure { failure = (f as? NumericFault)?.description ?? "\(f)" }
            trial.status = failure != nil ? .failed : pruner.pruned ? .pruned : .finished
            trial.result.message = failure
            if let best = run.trainer.best {
                trial.result.validation = definition.objective.recalls(best.report)
                trial.result.objective = definition.objective.value(recalls: trial.result.validation)
                trial.result.bestStep = best.step
            }
            trial.result.steps = run.trainer.step
            trial.result.rungs = pruner.rungValues
        } catch {
            trial.status = .failed
            trial.result.message = "\(error)"
        }
        trial.result.seconds = Date().timeIntervalSince(t0)
        end(trial, number: n, recording: recording)
    }

    /// A trial's end, whichever searcher ran it: its run's status and the trial's result go
    /// to the store (with the values it ended with when they differ from the proposal), the
    /// trial to the table, and observers hear of it.
    func end(_ trial: SweepTrial, number n: Int, recording: RunRecording?) {
        if let rec = recording {
            let status: RunStatus = trial.status == .finished ? .finished : trial.status == .pruned ? .stopped : .failed
            do {
                try rec.finish(status: status)
                try store.endTrial(run: rec.run, status: trial.status, result: trial.result,
                                   values: trial.result.startValues == nil ? nil : trial.values)
            } catch {
                log("trial \(n): recording its end failed: \(error)")
            }
        }
        lock.lock()
        trials[n] = trial
        claimed.remove(n)
        lock.broadcast()
        lock.unlock()
        saveElapsed()
        for o in observers { o.sweep(self, didEnd: trial) }
    }

    /// WMF factors fitted once per distinct `wmf.*` settings and seed (trials that differ in
    /// other settings share them, bit for bit what each would have fitted).
    func rawWMF(for s: Settings) throws -> WMFFactors? {
        guard s.model == .classic || s.userPreference == .wmf || s.itemPreference == .wmf else { return nil }
        let key = "\(s.wmfRank)|\(s.wmfReg)|\(s.wmfAlpha)|\(s.wmfIterations)|\(s.seed)"
        wmfLock.lock(); defer { wmfLock.unlock() }
        if let f = wmf[key] { return f }
        let f = try Trainer.fitRawWMF(data: data, settings: s)
        wmf[key] = f
        return f
    }

    // MARK: From the trials' threads

    /// ASHA's verdict for a trial reaching a rung (true: it goes on).
    func judge(trial: Int, rung: Int, value: Double) -> Bool {
        guard let rule = definition.asha else { return true }
        lock.lock(); defer { lock.unlock() }
        return table.record(trial: trial, rung: rung, value: value, rule: rule)
    }

    func trialEvaluated(_ n: Int, step: Int, objective: Double?, rung: Int?, continues: Bool) {
        lock.lock()
        trials[n]?.latest = objective
        trials[n]?.latestStep = step
        lock.unlock()
        for o in observers { o.sweep(self, trial: n, step: step, objective: objective, rung: rung, continues: continues) }
    }

    func update(_ trial: SweepTrial) {
        lock.lock(); trials[trial.number] = trial; lock.unlock()
    }

    func log(_ message: String) {
        for o in observers { o.sweep(self, didLog: message) }
    }
}

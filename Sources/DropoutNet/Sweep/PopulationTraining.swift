import Foundation
import Numerics

/// Runs a population-based sweep (`searcher = "pbt"`): every member of the population is a trial
/// trained through `TrainingRun` on its own thread, recorded as a run like any other.
///
/// Every `interval` validations (`interval × eval_every` steps) the members meet: each waits,
/// after its step and evaluation, until every member still training has arrived. The last to
/// arrive plays the round while the others wait — so no trainer is touched while it steps — and
/// the round copies the weights and optimizer state of the stronger half into the weaker half
/// (`PopulationBasedTraining.exploit`), then changes the copied members' swept settings through
/// their `LiveSettings`, as the workbench's knobs do (`explore`). Those changes are therefore
/// recorded in each run's history as a user's own, stamped with the step they take effect at.
///
/// Deterministic given the seed: members meet at fixed steps, each trains with its own
/// generators, and a round's draws depend on the seed, the step and the member only.
final class PopulationTraining {
    unowned let runner: SweepRunner
    let rule: PopulationBasedTraining
    /// Steps between two rounds.
    let roundSteps: Int

    private let lock = NSCondition()
    // Guarded by `lock`:
    private var alive: Set<Int> = []
    private var waiting: [Int: Double?] = [:]
    private var members: [Int: Member] = [:]
    private var roundsPlayed = 0
    private let stash = WeightStash()

    init(runner: SweepRunner) {
        self.runner = runner
        rule = runner.definition.pbt
        roundSteps = rule.interval * max(1, runner.definition.base.evalEvery)
    }

    /// Trains the members not recorded yet (all of them, or none when the population ended).
    func run() {
        let d = runner.definition
        runner.lock.lock()
        let todo = (1...rule.population).filter { runner.trials[$0] == nil }
        runner.lock.unlock()
        guard !todo.isEmpty else { return }
        let searcher = d.makeSearcher()
        lock.lock(); alive = Set(todo); lock.unlock()
        let group = DispatchGroup()
        for n in todo {
            let values = searcher.suggest(trial: n, history: []) ?? [:]
            group.enter()
            let thread = Thread { [self] in
                train(n, values: values)
                leave(n)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }

    // MARK: One member

    /// A member's run as the rounds see it; also its run's observer and control.
    final class Member: TrainingRunObserver, TrainingRunControl {
        let number: Int
        unowned let population: PopulationTraining
        var run: TrainingRun?
        var latest: Double?
        var stopped = false
        private var lastRound = 0

        init(number: Int, population: PopulationTraining) { self.number = number; self.population = population }

        func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
            latest = population.runner.definition.objective.value(record.report)
            population.runner.trialEvaluated(number, step: record.step, objective: latest, rung: nil, continues: true)
        }

        func nextDecision(for run: TrainingRun) -> TrainingRunDecision {
            let runner = population.runner
            runner.waitWhilePaused()
            runner.lock.lock(); let stop = runner.stopRequested; runner.lock.unlock()
            if stop || stopped || run.failure != nil { stopped = stopped || stop; return .stop }
            let t = run.trainer
            guard t.step > 0, t.step % population.roundSteps == 0, t.step != lastRound, !t.isFinished else { return .proceed }
            lastRound = t.step
            // The round ranks every member at this step (`eval_budget` may have skipped the scheduled one).
            if t.evaluations.last?.step != t.step { run.evaluate(reason: "population round") }
            population.arrive(number, objective: latest, step: t.step)
            if stopped { return .stop }
            return .proceed
        }
    }

    private func train(_ n: Int, values: [String: String]) {
        let runner = self.runner
        let t0 = Date()
        var trial = SweepTrial(number: n, run: nil, status: .running, values: values)
        var recording: RunRecording?
        let member = Member(number: n, population: self)
        do {
            let settings: Settings
            do { settings = try runner.definition.settings(for: values) } catch {
                try? runner.store.refuseTrial(sweep: runner.id, trial: n, values: values, reason: "\(error)")
                throw error
            }
            let rec = try RunRecording(store: runner.store, data: runner.data, settings: settings, datasetPath: runner.datasetPath)
            recording = rec
            trial.run = rec.run
            try runner.store.startTrial(run: rec.run, sweep: runner.id, trial: n, values: values)
            runner.update(trial)
            for o in runner.observers { o.sweep(runner, didStart: trial) }
            let run = try TrainingRun(data: runner.data, settings: settings, rawWMF: try runner.rawWMF(for: settings))
            run.observers = [rec, member]
            run.checkpoints = rec
            run.evaluateOnStop = false
            member.run = run
            lock.lock(); members[n] = member; lock.unlock()
            var failure: String?
            do { try run.train(control: member) } catch { failure = "\(error)" }
            if let f = run.failure { failure = (f as? NumericFault)?.description ?? "\(f)" }
            trial.status = failure != nil ? .failed : member.stopped ? .pruned : .finished
            trial.result.message = failure ?? (member.stopped ? "stopped with the sweep at step \(run.trainer.step)" : nil)
            if let best = run.trainer.best {
                trial.result.validation = runner.definition.objective.recalls(best.report)
                trial.result.objective = runner.definition.objective.value(recalls: trial.result.validation)
                trial.result.bestStep = best.step
            }
            trial.result.steps = run.trainer.step
            // The leaderboard, the importance and `p` (promote) read the values it ended with.
            let final = PopulationTraining.values(in: run.trainer.live.current, proposed: values, definition: runner.definition)
            if final != values {
                trial.result.startValues = values
                trial.values = final
            }
        } catch {
            trial.status = .failed
            trial.result.message = "\(error)"
        }
        trial.result.seconds = Date().timeIntervalSince(t0)
        runner.end(trial, number: n, recording: recording)
    }

    /// The swept keys' values in `settings`, as the sweep writes them: a key that did not change
    /// keeps its proposed text, a choice its text among the choices.
    static func values(in settings: Settings, proposed: [String: String], definition: SweepDefinition) -> [String: String] {
        func canonical(_ key: String, _ text: String) -> String? {
            guard let entry = Settings.entry(key) else { return nil }
            var s = definition.base
            guard (try? entry.set(text, in: &s)) != nil else { return nil }
            return entry.text(of: s)
        }
        var out = proposed
        for p in definition.parameters {
            guard let now = Settings.entry(p.key)?.text(of: settings) else { continue }
            if let was = proposed[p.key], canonical(p.key, was) == now { continue }
            if case .choices(let choices) = p.domain, let c = choices.first(where: { canonical(p.key, $0) == now }) {
                out[p.key] = c
            } else {
                out[p.key] = now
            }
        }
        return out
    }

    // MARK: Rounds

    /// Member `n` reached a round at `step` with `objective`: waits until every member still
    /// training has, and plays the round if it is the last.
    private func arrive(_ n: Int, objective: Double?, step: Int) {
        lock.lock(); defer { lock.unlock() }
        waiting[n] = objective
        let round = roundsPlayed
        if Set(waiting.keys) == alive { playRound(step: step) }
        while roundsPlayed == round { lock.wait() }
    }

    /// Member `n` stopped training: the others no longer wait for it.
    private func leave(_ n: Int) {
        lock.lock(); defer { lock.unlock() }
        alive.remove(n)
        members[n] = nil
        if !waiting.isEmpty, Set(waiting.keys) == alive, let step = waiting.keys.compactMap({ members[$0]?.run?.trainer.step }).first {
            playRound(step: step)
        }
    }

    /// Exploit and explore over the waiting members (all blocked, so their trainers are still).
    /// Called with `lock` held.
    private func playRound(step: Int) {
        let runner = self.runner
        let d = runner.definition
        var messages: [String] = []
        runner.lock.lock()
        if runner.budgetSpentLocked() { runner.stopRequested = true; runner.budgetSpent = true }
        let stop = runner.stopRequested
        runner.lock.unlock()
        if stop {
            for m in waiting.keys { members[m]?.stopped = true }
        } else {
            let pairs = PopulationBasedTraining.exploit(waiting)
            for weak in pairs.keys.sorted() {
                guard let strong = pairs[weak], let from = members[strong]?.run, let to = members[weak]?.run else { continue }
                stash.capture(from.trainer.model.parameters, optimizer: from.trainer.optimizer, step: step)
                stash.restore(to.trainer.model.parameters, optimizer: to.trainer.optimizer)
                let values = PopulationTraining.values(in: from.trainer.live.current, proposed: [:], definition: d)
                var rng = PopulationBasedTraining.generator(seed: d.seed, step: step, member: weak)
                let explored = rule.explore(values, parameters: d.parameters, rng: &rng)
                var changed: [String] = []
                for (key, value) in Settings.applicationOrder(d.parameters.compactMap { p in explored[p.key].map { (p.key, $0) } }) {
                    do {
                        if let c = try to.trainer.live.update(key: key, value: value) { changed.append("\(key) \(c.old)→\(c.new)") }
                    } catch {
                        changed.append("\(key) \(value) refused (\(error))")
                    }
                }
                let f = { (v: Double??) in (v ?? nil).map { String(format: "%.4f", $0) } ?? "n/a" }
                messages.append("step \(step): trial \(weak) (\(f(waiting[weak]))) takes the weights of trial \(strong) (\(f(waiting[strong])))"
                                + (changed.isEmpty ? "" : "; " + changed.joined(separator: ", ")))
            }
        }
        waiting.removeAll()
        roundsPlayed += 1
        lock.broadcast()
        // Observers are told on this thread with the population's lock held; they only log.
        for m in messages { runner.log(m) }
        runner.saveElapsed()
    }
}

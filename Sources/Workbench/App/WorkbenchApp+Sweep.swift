import DropoutNet

/// The Sweep screen's keys: ↑/↓ choose a trial, `r` starts the sweep (or goes on after `s`),
/// Space pauses or resumes it, `s` stops it, `p` promotes the chosen trial's settings to a new
/// run on the Train screen, `v` swaps the scatter for the parallel coordinates.
extension WorkbenchApp {
    /// The Sweep screen as it stands.
    var sweepView: SweepView {
        guard let sweep else { return SweepView() }
        let snapshot = sweep.runner.snapshot
        return SweepView(snapshot: snapshot, definition: sweep.definition, selectedTrial: sweep.selectedTrial,
                         state: WorkbenchApp.sweepState(sweep, snapshot), showsParallelCoordinates: sweep.showsParallelCoordinates)
    }

    /// What the sweep is doing, for the leaderboard's title.
    static func sweepState(_ sweep: SweepMonitor, _ snapshot: SweepSnapshot) -> String {
        if let error = sweep.error, !sweep.isRunning { return "failed: \(error)" }
        let running = snapshot.runningCount
        if !sweep.hasStarted { return "ready: r starts it" }
        if !sweep.isRunning { return sweep.stopRequested ? "stopped" : "finished" }
        if sweep.stopRequested { return running > 0 ? "stopping: \(running) running" : "stopped" }
        if snapshot.isPaused { return running > 0 ? "paused: \(running) waiting" : "paused" }
        return "running"
    }

    /// The Sweep screen's header line.
    func sweepHeader(_ sweep: SweepMonitor) -> SweepHeaderLine {
        SweepHeaderLine(snapshot: sweep.runner.snapshot, dataset: session.data.dataset.name, error: sweep.isRunning ? nil : sweep.error,
                        stopRequested: sweep.stopRequested, ready: !sweep.hasStarted, running: sweep.isRunning)
    }

    /// The Sweep screen's footer keys: those that do something now.
    func sweepHints() -> [(key: String, action: String)] {
        var hints: [(key: String, action: String)] = [(key: "↑↓", action: "trial")]
        if let sweep {
            if sweep.isRunning {
                if !sweep.stopRequested {
                    hints.append((key: "Space", action: sweep.runner.isPaused ? "resume sweep" : "pause sweep"))
                    hints.append((key: "s", action: "stop sweep"))
                }
            } else if sweep.runner.hasWorkLeft {
                hints.append((key: "r", action: sweep.hasStarted ? "continue sweep" : "start sweep"))
            }
            if !sweep.isRunning || sweep.stopRequested { hints.append((key: "p", action: "promote")) }
        }
        hints.append((key: "v", action: "view"))
        return hints
    }

    /// Changes whenever the screen would: the sweep's state, its trials, their statuses and latest steps.
    func sweepSignature(_ sweep: SweepMonitor) -> [Int] {
        let s = sweep.runner.snapshot
        let state = [s.isFinished, sweep.isRunning, sweep.hasStarted, sweep.stopRequested, sweep.error != nil, s.isPaused].map { $0 ? 1 : 0 }
        return state + [Int(s.elapsed)] + s.trials.flatMap { [$0.number, $0.status.hashValue, $0.latestStep ?? -1] }
    }

    /// Handles a Sweep screen key; false for keys the screen leaves to the app.
    func handleSweep(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): sweep.map { $0.move(by: -1, in: $0.runner.snapshot) }
        case .down, .character("j"): sweep.map { $0.move(by: 1, in: $0.runner.snapshot) }
        case .character("r"): startSweep()
        case .character("s"):
            guard let sweep else { show(SweepView.noSweep); return true }
            if !sweep.isRunning {
                show("the sweep is not running" + (sweep.runner.hasWorkLeft ? ": r starts it" : ""))
            } else if !sweep.stop() {
                show("the sweep is stopping: its running trials train to their end")
            } else {
                show(sweep.definition.searcher == .pbt
                     ? "sweep stopped: the members stop after their current step. p promotes the highlighted trial"
                     : "sweep stopped: no new trials; the running ones train to their end. p promotes the highlighted trial, r goes on")
            }
        case .character(" "):
            // Without a sweep, Space pauses the training session as on every screen.
            guard let sweep else { return false }
            if !sweep.isRunning {
                show("the sweep is not running: nothing to pause" + (sweep.runner.hasWorkLeft ? "; r starts it" : ""))
            } else if sweep.stopRequested {
                show("the sweep is stopping: nothing to pause")
            } else if sweep.togglePause() {
                show("sweep paused: running trials wait after their current step, none starts; Space resumes")
            } else {
                show("sweep resumed")
            }
        case .character("p"): promoteSelectedTrial()
        case .character("v"):
            guard let sweep else { show(SweepView.noSweep); return true }
            sweep.showsParallelCoordinates.toggle()
        default: return false
        }
        return true
    }

    /// `r`: starts the sweep, or goes on after `s` (ended trials are kept, as when the same
    /// command runs again). Not while a promoted run trains: the two would share the cores.
    func startSweep() {
        guard let sweep else { show(SweepView.noSweep); return }
        if session.snapshot.state == .running {
            show("a run is training on the Train screen: pause it there (Space) before starting the sweep")
            return
        }
        let kept = sweep.runner.snapshot.endedCount
        do {
            try sweep.start()
            show("sweep " + (kept > 0 ? "started, \(kept) ended trial\(kept == 1 ? "" : "s") kept" : "started") + ": Space pauses it, s stops it")
        } catch SweepMonitor.Refusal.running(let stopping) {
            show(stopping ? "the sweep is stopping: r starts it again once its running trials have ended" : "the sweep is running: Space pauses it, s stops it")
        } catch {
            show("nothing to start: the sweep's budget is spent (\(kept) trial\(kept == 1 ? "" : "s") ended). p promotes the highlighted trial")
        }
    }

    /// `p`: the highlighted trial's settings (the sweep's base with its values) become a new run
    /// on the Train screen, recorded in the sweep's run store. Only while the sweep does not run
    /// (before `r`, once stopped or finished), so the new run does not take the cores from trials
    /// still to come.
    func promoteSelectedTrial() {
        guard let sweep else { show(SweepView.noSweep); return }
        guard sweep.stopRequested || !sweep.isRunning else {
            show("p promotes once the sweep has finished or is stopped (s)")
            return
        }
        guard let trial = sweep.selected(in: sweep.runner.snapshot) else { show("no trial to promote yet"); return }
        let settings: Settings
        do { settings = try sweep.definition.settings(for: trial.values) } catch {
            show("trial \(trial.number) cannot be promoted: \((error as? SettingsError)?.message ?? "\(error)")")
            return
        }
        pendingEdit = nil
        do {
            let run: RunID
            if let recorder {
                run = try recorder.restart(session, with: settings)
            } else {
                let r = try SessionRecorder(store: sweep.runner.store, data: session.data, settings: settings, datasetPath: dataPath ?? "")
                session.restart(with: settings, beforeLaunch: { r.attach(to: $0) })
                recorder = r
                run = r.current.run
            }
            screen = .train
            let values = sweep.definition.parameters.compactMap { p in trial.values[p.key].map { "\(p.key)=\($0)" } }.joined(separator: " ")
            show("trial \(trial.number) promoted: new run \(run.short) with \(values)")
        } catch {
            show("not promoted: cannot record a new run: \(error)")
        }
    }
}

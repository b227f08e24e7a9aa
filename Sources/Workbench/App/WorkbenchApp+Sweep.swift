import DropoutNet

/// The Sweep screen's keys: ↑/↓ choose a trial, Space pauses or resumes the sweep, `s` stops it, `p` promotes the chosen
/// trial's settings to a new run on the Train screen, `v` swaps the scatter for the parallel
/// coordinates.
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
        if let error = sweep.error { return "failed: \(error)" }
        let running = snapshot.trials.filter { $0.status == .running }.count
        if snapshot.isFinished || sweep.hasEnded { return sweep.stopRequested ? "stopped" : "finished" }
        if sweep.stopRequested { return running > 0 ? "stopping: \(running) running" : "stopped" }
        if snapshot.isPaused { return running > 0 ? "paused: \(running) waiting" : "paused" }
        return "running"
    }

    /// Changes whenever the screen would: trials, their statuses and latest steps.
    func sweepSignature(_ sweep: SweepMonitor) -> [Int] {
        let s = sweep.runner.snapshot
        return [s.isFinished ? 1 : 0, sweep.hasEnded ? 1 : 0, s.isPaused ? 1 : 0, Int(s.elapsed)] + s.trials.flatMap { [$0.number, $0.status.hashValue, $0.latestStep ?? -1] }
    }

    /// Handles a Sweep screen key; false for keys the screen leaves to the app.
    func handleSweep(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): sweep.map { $0.move(by: -1, in: $0.runner.snapshot) }
        case .down, .character("j"): sweep.map { $0.move(by: 1, in: $0.runner.snapshot) }
        case .character("s"):
            guard let sweep else { show(SweepView.noSweep); return true }
            sweep.stop()
            show(sweep.definition.searcher == .pbt
                 ? "sweep stopped: the members stop after their current step. p promotes the highlighted trial"
                 : "sweep stopped: no new trials; the running ones train to their end. p promotes the highlighted trial")
        case .character(" "):
            // Without a sweep, Space pauses the training session as on every screen.
            guard let sweep else { return false }
            if sweep.hasEnded || sweep.stopRequested {
                show("the sweep has \(sweep.hasEnded ? "ended" : "been stopped"): nothing to pause")
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

    /// `p`: the highlighted trial's settings (the sweep's base with its values) become a new run
    /// on the Train screen, recorded in the sweep's run store. Only once the sweep is stopped or
    /// finished, so the new run does not take the cores from trials still to come.
    func promoteSelectedTrial() {
        guard let sweep else { show(SweepView.noSweep); return }
        guard sweep.stopRequested || sweep.hasEnded else {
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

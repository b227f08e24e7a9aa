import DropoutNet

/// Restart and quit: what `r` and `q` do to the run.
extension WorkbenchApp {
    /// Whether quitting now would lose trained weights: the run is under way and its current
    /// step has no checkpoint. (A finished run's best weights are saved on exit; a failed run's
    /// are not worth keeping.)
    public var hasUnsavedRun: Bool {
        let s = session.snapshot
        return s.state.isActive && s.step > 0 && s.checkpointStep != s.step
    }

    /// The question `q` asks while the run is unsaved.
    var quitPrompt: String {
        let s = session.snapshot
        let saved = s.checkpointStep.map { "last checkpoint at step \($0)" } ?? "no checkpoint"
        return "Run not saved (step \(s.step), \(saved)): q or y quits, s saves a checkpoint and quits, any other key stays"
    }

    /// The quit prompt's `s`: asks for a checkpoint of the weights as they are; `quitIfSaved`
    /// quits once it is written (naming its path) or stays and says why it was not.
    func saveAndQuit() {
        let s = session.snapshot
        savingToQuit = PendingSave(lastError: s.lastError)
        session.requestCheckpoint()
        show("saving a checkpoint of step \(s.step), then quitting…")
    }

    /// While `s` of the quit prompt waits: quits when the checkpoint of the current step is
    /// written, stays (with the reason) when writing it failed. The run loop calls it every turn.
    public func quitIfSaved() {
        guard savingToQuit != nil else { return }
        let s = session.snapshot
        if let path = s.checkpointPath, s.checkpointStep == s.step {
            savingToQuit = nil
            exitNote = "checkpoint of step \(s.step) saved: \(path)"
            finished = true
        } else if let error = s.lastError, error != savingToQuit?.lastError {
            savingToQuit = nil
            show("not quitting: \(error)")
        } else if !s.state.isActive {
            savingToQuit = nil
            show("not quitting: the run has \(s.state.rawValue) and took no checkpoint")
        }
    }

    /// `r`: a new run with the current settings. With a recorder it is a new run of the store
    /// (new id, its own settings, losses and evaluations) beside the previous one, which keeps
    /// what it ended with: a run that trained to its end stays finished with its test metrics and
    /// best checkpoint; one cut short is closed as stopped.
    func restartRun() {
        let settings = session.live.current
        guard let recorder else {
            session.restart(with: settings)
            show("restarted with the current settings")
            return
        }
        let previous = recorder.current.run
        let before = session.snapshot
        if let (run, error) = recorder.takeCloseError() {
            show("run \(run.short) could not be closed: \(error)")
        }
        do {
            let run = try recorder.restart(session, with: settings)
            show("new run \(run.short) with the current settings; run \(previous.short) \(WorkbenchApp.fate(of: before))")
        } catch {
            show("not restarted: cannot record a new run: \(error)")
        }
    }

    /// What becomes of the run `r` replaces, as the event line says it.
    static func fate(of s: TrainingSnapshot) -> String {
        if s.state == .finished { return "kept as finished" + (s.result?.checkpoint != nil ? " with its best checkpoint" : "") }
        if s.state == .running && s.totalSteps > 0 && s.step >= s.totalSteps { return "is being tested and kept as finished" }
        return "stopped"
    }
}

/// A checkpoint the quit prompt asked for; `lastError` was the session's last error then, so a
/// new one means the checkpoint failed.
struct PendingSave {
    var lastError: String?
}

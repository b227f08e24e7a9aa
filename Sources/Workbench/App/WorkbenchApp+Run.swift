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
        return "Run not saved (step \(s.step), \(saved)): press q or y to quit, s to save a checkpoint, any other key to stay"
    }

    /// `r`: a new run with the current settings. With a recorder it is a new run of the store
    /// (new id, its own settings, losses and evaluations); the previous one is closed as stopped.
    func restartRun() {
        let settings = session.live.current
        guard let recorder else {
            session.restart(with: settings)
            show("restarted with the current settings")
            return
        }
        let previous = recorder.current.run
        do {
            let (run, closeError) = try recorder.restart(session, with: settings)
            if let closeError {
                show("restarted as run \(run); run \(previous) could not be closed: \(closeError)")
            } else {
                show("restarted as run \(run) with the current settings; run \(previous) stopped")
            }
        } catch {
            show("not restarted: cannot record a new run: \(error)")
        }
    }
}

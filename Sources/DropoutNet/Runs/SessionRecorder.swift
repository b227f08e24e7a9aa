import Foundation

/// Records every run of one `TrainingSession` (the workbench's) in a run store: one
/// `RunRecording` per run. A restart is a new run — a new id with the settings it started with,
/// its own losses from step 1, its own evaluations and checkpoints — and the abandoned run is
/// closed as `stopped`, so two runs never share a loss curve whose steps go back to zero.
///
/// Use it from one thread (the UI thread); the recordings it makes are fed on the trainer thread.
public final class SessionRecorder {
    public let store: RunStore
    public let data: TrainingData
    public let datasetPath: String
    public let flushInterval: TimeInterval
    /// The recording of the session's current run.
    public private(set) var current: RunRecording
    /// Runs this session abandoned by restarting, oldest first.
    public private(set) var abandoned: [RunID] = []

    /// Creates the first run (status `running`) for `settings`.
    public init(store: RunStore, data: TrainingData, settings: Settings, datasetPath: String,
                flushInterval: TimeInterval = 0.5) throws {
        self.store = store
        self.data = data
        self.datasetPath = datasetPath
        self.flushInterval = flushInterval
        current = try RunRecording(store: store, data: data, settings: settings, datasetPath: datasetPath,
                                   flushInterval: flushInterval)
    }

    /// Records `session`'s current run (call before `start`).
    public func attach(to session: TrainingSession) { current.attach(to: session) }

    /// Restarts `session` with `settings` as a new run of the store and closes the previous run
    /// as `stopped`. When the new run cannot be created, nothing is restarted and the error is
    /// thrown, so the session never trains unrecorded.
    /// - Returns: the new run's id, and the error of closing the previous run if that failed
    ///   (the restart has happened either way).
    @discardableResult
    public func restart(_ session: TrainingSession, with settings: Settings) throws -> (run: RunID, closeError: Error?) {
        let next = try RunRecording(store: store, data: data, settings: settings, datasetPath: datasetPath,
                                    flushInterval: flushInterval)
        let previous = current
        // The observers are swapped under the session's lock, before the new thread starts.
        session.restart(with: settings) { next.attach(to: $0) }
        current = next
        abandoned.append(previous.run)
        do {
            try previous.finish(status: .stopped)
            return (next.run, nil)
        } catch {
            return (next.run, error)
        }
    }

    /// Ends the session: stops training (waiting up to `timeout` seconds) and sets the run's
    /// final status (`finished` or `stopped`). The run itself recorded its test evaluation,
    /// baselines and best checkpoint when it got that far (`TrainingRun.finish`).
    public func close(_ session: TrainingSession, timeout: Double = 5) throws {
        session.stop()
        let last = session.wait(timeout: timeout)
        try current.finish(status: last.state == .finished ? .finished : .stopped)
    }
}

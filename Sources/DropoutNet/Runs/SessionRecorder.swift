import Foundation

/// Records every run of one `TrainingSession` (the workbench's) in a run store: one
/// `RunRecording` per run. A restart is a new run — a new id with the settings it started with,
/// its own losses from step 1, its own evaluations and checkpoints — so two runs never share a
/// loss curve whose steps go back to zero; the abandoned run keeps what it recorded and ends
/// `finished` when it had trained to its end, `stopped` otherwise.
///
/// Use it from one thread (the UI thread); the recordings it makes are fed on the trainer thread.
public final class SessionRecorder: @unchecked Sendable {
    public let store: RunStore
    public let data: TrainingData
    public let datasetPath: String
    public let flushInterval: TimeInterval
    /// The recording of the session's current run.
    public private(set) var current: RunRecording
    /// Runs this session abandoned by restarting, oldest first.
    public private(set) var abandoned: [RunID] = []
    /// Abandoned runs not closed yet (their threads may still be finishing).
    private let closing = DispatchGroup()
    private let lock = NSLock()
    private var closeError: (RunID, Error)?

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

    /// Restarts `session` with `settings` as a new run of the store. The previous run is closed
    /// once its thread has ended, with the status it really ended with: a run that had trained
    /// its last epoch stays `finished` with its test metrics and best checkpoint (also when it
    /// was still being tested when `r` was pressed); any other is `stopped`. When the new run
    /// cannot be created, nothing is restarted and the error is thrown, so the session never
    /// trains unrecorded.
    /// - Returns: the new run's id.
    @discardableResult
    public func restart(_ session: TrainingSession, with settings: Settings) throws -> RunID {
        let next = try RunRecording(store: store, data: data, settings: settings, datasetPath: datasetPath,
                                    flushInterval: flushInterval)
        let previous = current
        closing.enter()
        // The observers are swapped under the session's lock, before the new thread starts.
        session.restart(with: settings, beforeLaunch: { next.attach(to: $0) }, whenAbandonedRunEnds: { [weak self] in
            let error: Error?
            do { try previous.finish(status: previous.endStatus); error = nil } catch let e { error = e }
            self?.noteClosed(previous.run, error: error)
        })
        current = next
        abandoned.append(previous.run)
        return next.run
    }

    /// Ends the session: stops training (waiting up to `timeout` seconds) and sets the run's
    /// final status (`finished` or `stopped`), after the runs abandoned by restarts were closed.
    /// The run itself recorded its test evaluation, baselines and best checkpoint when it got
    /// that far (`TrainingRun.finish`).
    /// - Throws: the first error closing a run of this session.
    public func close(_ session: TrainingSession, timeout: Double = 5) throws {
        session.stop()
        let last = session.wait(timeout: timeout)
        _ = closing.wait(timeout: .now() + timeout)
        try current.finish(status: last.state == .finished ? .finished : .stopped)
        if let (run, error) = takeCloseError() { throw SessionRecorderError.notClosed(run, error) }
    }

    /// The first failure closing an abandoned run since the last call (the UI shows it).
    public func takeCloseError() -> (RunID, Error)? {
        lock.lock(); defer { lock.unlock() }
        defer { closeError = nil }
        return closeError
    }

    private func noteClosed(_ run: RunID, error: Error?) {
        lock.lock()
        if let error, closeError == nil { closeError = (run, error) }
        lock.unlock()
        closing.leave()
    }
}

/// A run of the session could not be given its final status.
public enum SessionRecorderError: Error, CustomStringConvertible {
    case notClosed(RunID, Error)

    public var description: String {
        switch self {
        case let .notClosed(run, error): return "run \(run) could not be closed: \(error)"
        }
    }
}

/// Where a training session is in its life (what the TUI's header shows).
public enum TrainingState: String, Sendable, Equatable, Codable {
    /// Created, not started.
    case idle
    /// Building the model (and WMF factors, when a side asks for them).
    case preparing
    case running
    case paused
    /// Stopped by the user before the last epoch.
    case stopped
    /// All epochs done; final test evaluation included.
    case finished
    /// A non-finite loss or weight, or an error; `TrainingSnapshot.lastError` says which.
    case failed

    /// Whether the trainer thread is still alive (commands are accepted).
    public var isActive: Bool { self == .preparing || self == .running || self == .paused }
}

/// One line of the event log: setting changes accepted or refused, evaluations, checkpoints,
/// faults.
public struct TrainingEvent: Sendable, Equatable {
    public enum Level: String, Sendable { case info, warning, error }
    public var step: Int
    public var level: Level
    public var message: String
    public var time: Double

    public init(step: Int, level: Level, message: String, time: Double) {
        self.step = step; self.level = level; self.message = message; self.time = time
    }
}

/// A non-finite value found by the watchdog: which step, which tensor.
public struct NumericFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var step: Int
    /// "loss", or a parameter's name ("user.tower.0.dense.kernel").
    public var tensor: String
    public var value: Float

    public init(step: Int, tensor: String, value: Float) { self.step = step; self.tensor = tensor; self.value = value }

    public var description: String {
        "non-finite value (\(value)) in \(tensor) at step \(step); training stopped, roll back to the last good weights to continue"
    }
}

import Foundation

/// How a run ended (or that it has not).
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Still training (its writer process is alive, or cannot be checked from this host).
    case running
    /// Completed its epochs.
    case finished
    /// Stopped by the user (quit, Ctrl-C).
    case stopped
    /// Ended by an error.
    case failed
    /// Recorded as running, but the process that wrote it is gone (killed, crashed, power lost).
    /// Never stored: derived when reading, from the writer's pid and host (`RunStore.liveness`).
    case interrupted
}

/// One row of `runs`, with the last recorded step and loss.
public struct RunRecord: Codable, Equatable, Sendable {
    public var id: RunID
    public var created: Date
    public var finished: Date?
    public var status: RunStatus
    public var model: String
    public var dataset: DatasetIdentity
    public var split: SplitIdentity
    public var codeVersion: String
    /// The settings as stored (typed JSON keyed by `--set` keys); `settingsValue` decodes them.
    public var settings: JSONValue
    public var lastStep: Int?
    public var lastLoss: Double?
    /// Training throughput, recorded when the run ends (nil before that, or from an older store).
    public var throughput: RunThroughput? = nil

    /// The run's settings as a `Settings` value (throws if written by an incompatible version).
    public func settingsValue() throws -> Settings { try Settings(json: settings) }

    /// Text form of every stored setting, for tables and comparisons.
    public var settingTexts: [String: String] {
        guard case .object(let o) = settings else { return [:] }
        return o.mapValues(\.settingText)
    }
}

/// How fast a run trained: steps, seconds inside training steps, and the samples/s of those
/// (the figure the progress line and the workbench header show), plus wall-clock seconds.
public struct RunThroughput: Codable, Equatable, Sendable {
    public var steps: Int
    public var trainingSeconds: Double
    public var samplesPerSecond: Double
    /// From the first step's start to the last step's end, evaluations included.
    public var wallSeconds: Double

    public init(steps: Int, trainingSeconds: Double, samplesPerSecond: Double, wallSeconds: Double) {
        self.steps = steps; self.trainingSeconds = trainingSeconds
        self.samplesPerSecond = samplesPerSecond; self.wallSeconds = wallSeconds
    }

    /// Nil unless every column is set.
    init?(steps: Int?, trainingSeconds: Double?, samplesPerSecond: Double?, wallSeconds: Double?) {
        guard let steps, let trainingSeconds, let samplesPerSecond, let wallSeconds else { return nil }
        self.init(steps: steps, trainingSeconds: trainingSeconds, samplesPerSecond: samplesPerSecond, wallSeconds: wallSeconds)
    }
}

/// One training-loss point.
public struct LossPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Double
    /// Per-loss parts (e.g. "svsoftmax", "pairwise"); empty when only the total was recorded.
    public var parts: [String: Double]
    /// Unix seconds when the point was recorded.
    public var time: Double

    public init(step: Int, loss: Double, parts: [String: Double] = [:], time: Double) {
        self.step = step; self.loss = loss; self.parts = parts; self.time = time
    }
}

/// One evaluated metric value: `split`'s `metric@k` at `step`.
public struct EvalPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var split: String
    public var metric: String
    public var k: Int
    public var value: Double

    public init(step: Int, split: String, metric: String, k: Int, value: Double) {
        self.step = step; self.split = split; self.metric = metric; self.k = k; self.value = value
    }

    /// "recall@20" (or just the metric name when it has no K).
    public var key: String { k > 0 ? "\(metric)@\(k)" : metric }

    /// Splits "recall@20" into ("recall", 20); a key without "@K" has k = 0.
    public static func parse(key: String) -> (metric: String, k: Int) {
        if let at = key.lastIndex(of: "@"), let k = Int(key[key.index(after: at)...]), k > 0 {
            return (String(key[..<at]), k)
        }
        return (key, 0)
    }
}

/// A live setting change: `key` went from `old` to `new`, effective at `step`.
public struct SettingChange: Codable, Equatable, Sendable {
    public var step: Int
    public var key: String
    public var old: String
    public var new: String
    public var time: Date

    public init(step: Int, key: String, old: String, new: String, time: Date = Date()) {
        self.step = step; self.key = key; self.old = old; self.new = new; self.time = time
    }
}

/// A checkpoint written by a run.
public struct CheckpointRecord: Codable, Equatable, Sendable {
    public var step: Int
    public var path: String
    public var created: Date
    public var isBest: Bool
    public var metrics: [String: Double]

    public init(step: Int, path: String, created: Date = Date(), isBest: Bool, metrics: [String: Double] = [:]) {
        self.step = step; self.path = path; self.created = created; self.isBest = isBest; self.metrics = metrics
    }
}

/// A baseline's metric on the run's split (popularity, WMF alone, content-only).
public struct BaselinePoint: Codable, Equatable, Sendable {
    public var name: String
    public var split: String
    public var metric: String
    public var k: Int
    public var value: Double

    public var key: String { k > 0 ? "\(metric)@\(k)" : metric }
}

/// The evaluation a run is judged by: the step with the best validation metric (DESIGN §5:
/// model selection uses validation, test numbers are reported, never tuned on), or the last
/// evaluated step when the run has no validation split.
public struct BestEvaluation: Codable, Equatable, Sendable {
    public var step: Int
    /// How the step was chosen, e.g. "best mean validation recall@20 (…)" or "last evaluation".
    public var rule: String
    public var points: [EvalPoint]

    /// The value of `split`'s `key` ("recall@20") at the chosen step.
    public func value(split: String, key: String) -> Double? {
        points.first { $0.split == split && $0.key == key }?.value
    }

    /// A test split's `key` at the chosen step or, for a run that has no test evaluation (stopped
    /// or still running: test is measured once, at the end), its validation counterpart's
    /// (`validation_warm` for `warm`), with `isValidation` set so a table can mark it.
    public func testOrValidation(split: String, key: String) -> (value: Double, isValidation: Bool)? {
        if let v = value(split: split, key: key) { return (v, false) }
        if let v = value(split: "validation_" + split, key: key) { return (v, true) }
        return nil
    }
}

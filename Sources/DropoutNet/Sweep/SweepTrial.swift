import Foundation

/// Where a sweep's trial stands.
public enum SweepTrialStatus: String, Codable, Sendable, CaseIterable {
    case running, pruned, finished, failed
    /// A trial whose process was killed and that a resumed sweep trained again (as another run);
    /// kept in the store for the record, never in a leaderboard.
    case superseded
    /// Recorded as running by a process that is gone; never stored, derived when reading.
    case interrupted

    /// Whether the trial has ended for good (its result counts).
    public var isDone: Bool { self == .pruned || self == .finished || self == .failed }
}

/// The objective where a trial reached an ASHA rung.
public struct SweepRungValue: Codable, Sendable, Equatable {
    public var rung: Int
    public var step: Int
    public var value: Double
    public init(rung: Int, step: Int, value: Double) { self.rung = rung; self.step = step; self.value = value }
}

/// What a trial measured: kept as JSON with its run (`runs.sweep_result`).
public struct SweepTrialResult: Codable, Sendable, Equatable {
    /// The objective of the evaluation the trainer chose as best (a pruned trial: best so far).
    public var objective: Double?
    /// Validation recall@K ("warm", "cold_user", "cold_item") of that same evaluation.
    public var validation: [String: Double] = [:]
    /// The step of that evaluation.
    public var bestStep: Int?
    public var steps: Int = 0
    public var rungs: [SweepRungValue] = []
    /// Wall seconds of the trial (data preparation excluded).
    public var seconds: Double = 0
    /// Why a trial failed (its settings were refused, or a step failed).
    public var message: String?
    /// A population-based member's proposed values, when its settings changed while it trained
    /// (the trial's `values` are then those in force at its end; its run's history has each change).
    public var startValues: [String: String]?

    public init() {}
}

/// One trial of a sweep, as the runner and the store know it.
public struct SweepTrial: Sendable, Equatable {
    /// 1, 2, … in the order the searcher proposed them.
    public var number: Int
    /// Its run in the store (nil for a trial whose settings were refused before it was created).
    public var run: RunID?
    public var status: SweepTrialStatus
    /// The swept keys' text values.
    public var values: [String: String]
    public var result: SweepTrialResult
    /// Latest validation objective seen while it runs (the live leaderboard's value).
    public var latest: Double?
    public var latestStep: Int?

    public init(number: Int, run: RunID?, status: SweepTrialStatus, values: [String: String],
                result: SweepTrialResult = SweepTrialResult()) {
        self.number = number; self.run = run; self.status = status; self.values = values; self.result = result
    }

    /// Warm and cold validation recall (cold: the mean of cold_user and cold_item, those
    /// measured), the axes of the trade-off; nil without a warm or any cold value.
    public var warmCold: (warm: Double, cold: Double)? {
        let v = result.validation
        let colds = ["cold_user", "cold_item"].compactMap { v[$0] }
        guard let w = v["warm"], !colds.isEmpty else { return nil }
        return (w, colds.reduce(0, +) / Double(colds.count))
    }
}

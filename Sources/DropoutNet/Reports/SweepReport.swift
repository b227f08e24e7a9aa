import Foundation

/// `dropoutnet sweep --json`: one object.
///
/// ```json
/// {"sweep": "sweep-0123456789ab", "objective": "validation recall@20 of …", "searcher": "tpe",
///  "asha": {"min_steps": 200, "reduction_factor": 3} | null,
///  "pbt": {"population": 4, "interval": 2, "resample": 0.25} | null, "parallel": 1, "seconds": 812.4,
///  "parameters": [{"key": "lr", "low": 0.0001, "high": 0.01, "log": true, "int": false, "choices": null}, …],
///  "trials": [{"trial": 1, "run": "20261206-…", "status": "finished" | "pruned" | "failed",
///              "settings": {"lr": "0.0021", …}, "differing": {"lr": "0.0021"},
///              "start_settings": {"lr": "0.0015", …} | null,
///              "validation": {"warm": 0.41, "cold_user": 0.18, "cold_item": 0.22},
///              "objective": 0.27, "best_step": 1400, "steps": 1850, "seconds": 95.2,
///              "rungs": [{"rung": 0, "step": 200, "value": 0.19}], "message": null}, …],
///  "leaderboard": [3, 1, …], "best": 3, "pareto_front": [5, 3],
///  "importance": [{"key": "lr", "share": 0.61}, …]}
/// ```
/// `trials` is by trial number; `leaderboard` orders their numbers best first. Missing numbers
/// are null (a failed trial's objective). `start_settings` is set for a population-based member
/// whose settings changed while it trained (`settings` are then those it ended with).
public struct SweepReport: Encodable, Sendable {
    public struct Parameter: Encodable, Sendable {
        public var key: String
        public var low: Double?, high: Double?
        public var log: Bool, int: Bool
        public var choices: [String]?

        init(_ p: SweepParameter) {
            key = p.key
            switch p.domain {
            case let .range(l, h, lg, i): low = l; high = h; log = lg; int = i; choices = nil
            case let .choices(c): low = nil; high = nil; log = false; int = false; choices = c
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encodeNumber(low, forKey: .low)
            try c.encodeNumber(high, forKey: .high)
            try c.encode(log, forKey: .log)
            try c.encode(int, forKey: .int)
            if let choices { try c.encode(choices, forKey: .choices) } else { try c.encodeNil(forKey: .choices) }
        }
        enum CodingKeys: String, CodingKey { case key, low, high, log, int, choices }
    }

    public struct Trial: Encodable, Sendable {
        public var trial: Int
        public var run: String?
        public var status: String
        public var settings: [String: String]
        public var differing: [String: String]
        public var validation: [String: Double]
        public var objective: Double?
        public var bestStep: Int?
        public var steps: Int
        public var seconds: Double
        public var rungs: [SweepRungValue]
        public var message: String?
        public var startSettings: [String: String]?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(trial, forKey: .trial)
            if let run { try c.encode(run, forKey: .run) } else { try c.encodeNil(forKey: .run) }
            try c.encode(status, forKey: .status)
            try c.encode(settings, forKey: .settings)
            try c.encode(differing, forKey: .differing)
            if let startSettings { try c.encode(startSettings, forKey: .startSettings) } else { try c.encodeNil(forKey: .startSettings) }
            try c.encode(validation.filter { $0.value.isFinite }, forKey: .validation)
            try c.encodeNumber(objective, forKey: .objective)
            if let bestStep { try c.encode(bestStep, forKey: .bestStep) } else { try c.encodeNil(forKey: .bestStep) }
            try c.encode(steps, forKey: .steps)
            try c.encode((seconds * 10).rounded() / 10, forKey: .seconds)
            try c.encode(rungs.filter { $0.value.isFinite }, forKey: .rungs)
            if let message { try c.encode(message, forKey: .message) } else { try c.encodeNil(forKey: .message) }
        }
        enum CodingKeys: String, CodingKey {
            case trial, run, status, settings, differing, startSettings = "start_settings", validation, objective, bestStep = "best_step", steps, seconds, rungs, message
        }
    }

    public struct ASHASettings: Encodable, Sendable {
        public var minSteps: Int
        public var reductionFactor: Int
        enum CodingKeys: String, CodingKey { case minSteps = "min_steps", reductionFactor = "reduction_factor" }
    }

    public struct PopulationSettings: Encodable, Sendable {
        public var population: Int
        public var interval: Int
        public var resample: Double
    }

    public struct Importance: Encodable, Sendable {
        public var key: String
        public var share: Double
    }

    public var sweep: String
    public var objective: String
    public var searcher: String
    public var asha: ASHASettings?
    public var pbt: PopulationSettings?
    public var parallel: Int
    public var seconds: Double
    public var parameters: [Parameter]
    public var trials: [Trial]
    public var leaderboard: [Int]
    public var best: Int?
    public var paretoFront: [Int]
    public var importance: [Importance]

    public init(_ snapshot: SweepSnapshot, definition d: SweepDefinition, seconds: Double) {
        sweep = snapshot.id
        objective = d.objective.description
        searcher = d.searcher.rawValue
        asha = d.asha.map { ASHASettings(minSteps: $0.minSteps, reductionFactor: $0.reductionFactor) }
        pbt = d.searcher == .pbt ? PopulationSettings(population: d.pbt.population, interval: d.pbt.interval, resample: d.pbt.resample) : nil
        parallel = d.searcher == .pbt ? d.pbt.population : d.parallel
        self.seconds = (seconds * 10).rounded() / 10
        parameters = d.parameters.map(Parameter.init)
        trials = snapshot.trials.map { t in
            Trial(trial: t.number, run: t.run?.rawValue, status: t.status.rawValue, settings: t.values,
                  differing: SweepAnalysis.differing(t, base: d.base), validation: t.result.validation,
                  objective: t.result.objective, bestStep: t.result.bestStep, steps: t.result.steps,
                  seconds: t.result.seconds, rungs: t.result.rungs, message: t.result.message,
                  startSettings: t.result.startValues)
        }
        leaderboard = SweepAnalysis.ranked(snapshot.trials).map(\.number)
        best = snapshot.best?.number
        paretoFront = SweepAnalysis.paretoFront(snapshot.trials)
        importance = SweepAnalysis.importance(snapshot.trials, parameters: d.parameters).map { Importance(key: $0.key, share: $0.share) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sweep, forKey: .sweep)
        try c.encode(objective, forKey: .objective)
        try c.encode(searcher, forKey: .searcher)
        if let asha { try c.encode(asha, forKey: .asha) } else { try c.encodeNil(forKey: .asha) }
        if let pbt { try c.encode(pbt, forKey: .pbt) } else { try c.encodeNil(forKey: .pbt) }
        try c.encode(parallel, forKey: .parallel)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(trials, forKey: .trials)
        try c.encode(leaderboard, forKey: .leaderboard)
        if let best { try c.encode(best, forKey: .best) } else { try c.encodeNil(forKey: .best) }
        try c.encode(paretoFront, forKey: .paretoFront)
        try c.encode(importance.map { Importance(key: $0.key, share: ($0.share * 1000).rounded() / 1000) }, forKey: .importance)
    }
    enum CodingKeys: String, CodingKey {
        case sweep, objective, searcher, asha, pbt, parallel, seconds, parameters, trials, leaderboard, best
        case paretoFront = "pareto_front", importance
    }
}

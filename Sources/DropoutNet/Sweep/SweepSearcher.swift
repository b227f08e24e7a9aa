import Numerics

/// A trial the searcher may learn from: its settings and its objective (a pruned trial's is its
/// value when it was stopped, which ranks it where it belongs: low).
public struct SweepObservation: Sendable, Equatable {
    public var trial: Int
    public var values: [String: String]
    public var objective: Double

    public init(trial: Int, values: [String: String], objective: Double) {
        self.trial = trial; self.values = values; self.objective = objective
    }
}

/// Proposes the settings of a trial. A searcher keeps no state between calls: everything it
/// knows comes from the seed, the trial number and `history`, so a resumed sweep rebuilds the
/// same proposals from the trials its store recorded, and nothing depends on the clock.
public protocol SweepSearcher: Sendable {
    /// The swept keys' text values for trial `trial` (1-based), or nil when the searcher has
    /// nothing left to propose (the grid is done).
    func suggest(trial: Int, history: [SweepObservation]) -> [String: String]?
}

/// Uniform sampling on each parameter's axis, independently per trial.
public struct RandomSearcher: SweepSearcher {
    public let parameters: [SweepParameter]
    public let seed: UInt64

    public init(parameters: [SweepParameter], seed: UInt64) {
        self.parameters = parameters; self.seed = seed
    }

    public func suggest(trial: Int, history: [SweepObservation]) -> [String: String]? {
        var rng = RandomSearcher.generator(seed: seed, trial: trial)
        var out: [String: String] = [:]
        for p in parameters { out[p.key] = p.value(unit: rng.nextDouble()) }
        return out
    }

    /// The generator of one trial's draws: a function of the sweep's seed and the trial alone.
    static func generator(seed: UInt64, trial: Int) -> SplitMix64 {
        SplitMix64(seed: seed).split(UInt64(trial))
    }
}

/// Every combination of the parameters' grid values, the first parameter varying slowest.
public struct GridSearcher: SweepSearcher {
    public let parameters: [SweepParameter]

    public init(parameters: [SweepParameter]) { self.parameters = parameters }

    /// How many trials the grid has.
    public var size: Int { parameters.reduce(1) { $0 * $1.gridValues.count } }

    public func suggest(trial: Int, history: [SweepObservation]) -> [String: String]? {
        guard trial >= 1, trial <= size else { return nil }
        var rest = trial - 1
        var out: [String: String] = [:]
        for p in parameters.reversed() {
            let values = p.gridValues
            out[p.key] = values[rest % values.count]
            rest /= values.count
        }
        return out
    }
}

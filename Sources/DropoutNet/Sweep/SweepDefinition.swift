import Foundation

/// Everything a sweep needs to run, as read from its TOML file (`SweepFile`).
public struct SweepDefinition: Sendable {
    public enum SearcherKind: String, Sendable, CaseIterable { case random, grid, tpe, pbt }

    /// The settings every trial starts from (the file's `[base]` on the model's defaults).
    public var base: Settings
    /// The swept settings, in the file's order.
    public var parameters: [SweepParameter]
    public var objective: SweepObjective
    /// At most this many trials (nil: only the time budget limits them; the grid's size for `grid`).
    public var trials: Int?
    /// No trial starts after this many minutes of the sweep (running ones finish).
    public var minutes: Double?
    public var searcher: SearcherKind
    public var tpeStartup: Int
    public var tpeCandidates: Int
    /// Early stopping; nil: every trial trains to its end.
    public var asha: ASHA?
    /// The population and its rounds (`searcher = "pbt"`; the other searchers ignore it).
    public var pbt: PopulationBasedTraining
    /// Seed of the searcher (the trials train with `base.seed`, so they differ by their settings only).
    public var seed: UInt64
    /// Trials trained at a time; each gets cores / parallel threads (a population-based sweep
    /// trains its whole population at once instead).
    public var parallel: Int
    /// The file's text, kept with the sweep in the store (and hashed into its id).
    public var source: String

    public init(base: Settings = Settings(), parameters: [SweepParameter], objective: SweepObjective = .mean,
                trials: Int? = nil, minutes: Double? = nil, searcher: SearcherKind = .tpe,
                tpeStartup: Int = 5, tpeCandidates: Int = 24, asha: ASHA? = nil,
                pbt: PopulationBasedTraining = PopulationBasedTraining(), seed: UInt64 = 0,
                parallel: Int = SweepDefinition.defaultParallel, source: String = "") {
        self.base = base; self.parameters = parameters; self.objective = objective
        self.trials = trials; self.minutes = minutes; self.searcher = searcher
        self.tpeStartup = tpeStartup; self.tpeCandidates = tpeCandidates
        self.asha = asha; self.pbt = pbt; self.seed = seed; self.parallel = parallel; self.source = source
    }

    /// Two trials at a time, each on half the cores: on sample-data with 2 cores, 4 one-epoch
    /// trials took 98–115 s this way against 165–174 s one at a time on both cores (the same
    /// objectives: results do not depend on the thread count). A step's parallel loops are
    /// short, so one trial leaves cores idle between them; two trials keep them busy. The
    /// README's Sweeps section has the command.
    public static let defaultParallel = 2

    /// The searcher the file names (population-based training draws its population at random).
    public func makeSearcher() -> SweepSearcher {
        switch searcher {
        case .random, .pbt: return RandomSearcher(parameters: parameters, seed: seed)
        case .grid: return GridSearcher(parameters: parameters)
        case .tpe: return TPESearcher(parameters: parameters, seed: seed, startup: tpeStartup, candidates: tpeCandidates)
        }
    }

    /// The trial count the budget allows (the grid's size caps a grid sweep; a population-based
    /// sweep has its population's members).
    public var trialLimit: Int? {
        if searcher == .pbt { return pbt.population }
        let grid = searcher == .grid ? GridSearcher(parameters: parameters).size : nil
        switch (trials, grid) {
        case let (t?, g?): return min(t, g)
        case let (t?, nil): return t
        case let (nil, g?): return g
        case (nil, nil): return nil
        }
    }

    /// The settings of one trial: the base with the trial's values applied (keys that adjust
    /// others first, as a settings file applies them), then validated together.
    public func settings(for values: [String: String]) throws -> Settings {
        var s = base
        let pairs = parameters.compactMap { p in values[p.key].map { (p.key, $0) } }
        for (key, value) in Settings.applicationOrder(pairs) { try s.set(key, value) }
        try s.validate()
        return s
    }
}

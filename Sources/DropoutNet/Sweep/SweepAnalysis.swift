/// What a sweep's trials say, as pure functions of them: the leaderboard's order, the
/// warm-versus-cold Pareto front and each setting's importance (the CLI's report and a screen
/// read the same answers).
public enum SweepAnalysis {
    /// Trials best first: by objective (higher first), trials without one last, then by number.
    public static func ranked(_ trials: [SweepTrial]) -> [SweepTrial] {
        trials.sorted { a, b in
            switch (a.result.objective, b.result.objective) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.number < b.number
            }
        }
    }

    /// Numbers of the ended trials on the warm-versus-cold front (see `ParetoFront`), by warm
    /// recall ascending. Pruned trials take part with the values they were stopped with.
    public static func paretoFront(_ trials: [SweepTrial]) -> [Int] {
        let measured = trials.filter { $0.status.isDone }.compactMap { t in t.warmCold.map { (t.number, $0) } }
        return ParetoFront.indices(of: measured.map { (x: $0.1.warm, y: $0.1.cold) }).map { measured[$0].0 }
    }

    /// Each parameter's share of the objective's spread over the finished and pruned trials
    /// (with ASHA most trials are pruned; their best value so far ranks them as the pruning did).
    public static func importance(_ trials: [SweepTrial], parameters: [SweepParameter]) -> [SettingImportance.Share] {
        let done = trials.filter { ($0.status == .finished || $0.status == .pruned) && $0.result.objective != nil }
        return SettingImportance.shares(values: done.map(\.values), objectives: done.map { $0.result.objective! },
                                        parameters: parameters)
    }

    /// The swept values of a trial that differ from the base settings' (text forms).
    public static func differing(_ trial: SweepTrial, base: Settings) -> [String: String] {
        trial.values.filter { key, value in
            var probe = base
            guard (try? probe.set(key, value)) != nil else { return true }
            return probe.value(of: key) != base.value(of: key)
        }
    }
}

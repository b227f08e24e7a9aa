import Foundation
import Numerics

/// The tree-structured Parzen estimator (Bergstra et al., "Algorithms for Hyper-Parameter
/// Optimization", 2011), univariate as Optuna's default.
///
/// After `startup` random trials, the observed trials are split by objective into the best
/// γ·n ("good", γ = 0.25, at most 25) and the rest ("bad"). For each parameter alone, a Parzen
/// estimator l(x) is fitted to the good trials' values and g(x) to the bad ones' (a truncated
/// Gaussian per observation on the parameter's axis, plus one broad prior component; choices:
/// counts plus one), `candidates` values are drawn from l, and the one with the largest l/g is
/// proposed. Draws come from a generator seeded by the sweep's seed and the trial number.
public struct TPESearcher: SweepSearcher {
    public let parameters: [SweepParameter]
    public let seed: UInt64
    public var startup: Int
    public var candidates: Int

    public init(parameters: [SweepParameter], seed: UInt64, startup: Int = 5, candidates: Int = 24) {
        self.parameters = parameters; self.seed = seed
        self.startup = max(1, startup); self.candidates = max(1, candidates)
    }

    public func suggest(trial: Int, history: [SweepObservation]) -> [String: String]? {
        let observed = history.filter { $0.objective.isFinite }
        guard observed.count >= startup else {
            return RandomSearcher(parameters: parameters, seed: seed).suggest(trial: trial, history: history)
        }
        // Best first; equal objectives by trial number, so the split never depends on order given.
        let ranked = observed.sorted { ($0.objective, -$0.trial) > ($1.objective, -$1.trial) }
        let nGood = min(25, max(1, Int((0.25 * Double(ranked.count)).rounded(.up))))
        let good = Array(ranked.prefix(nGood)), bad = Array(ranked.dropFirst(nGood))
        var rng = RandomSearcher.generator(seed: seed ^ 0x7E57_7BE5_0000_0000, trial: trial)
        var out: [String: String] = [:]
        for p in parameters {
            let g = good.compactMap { $0.values[p.key] }, b = bad.compactMap { $0.values[p.key] }
            out[p.key] = propose(p, good: g, bad: b, rng: &rng)
        }
        return out
    }

    private func propose(_ p: SweepParameter, good: [String], bad: [String], rng: inout SplitMix64) -> String {
        switch p.domain {
        case .choices(let choices):
            let l = CategoricalParzen(choices: choices, observed: good)
            let g = CategoricalParzen(choices: choices, observed: bad)
            var best = (index: 0, score: -Double.infinity)
            for _ in 0..<candidates {
                let i = l.sample(&rng)
                let score = log(l.probability[i]) - log(g.probability[i])
                if score > best.score { best = (i, score) }
            }
            return choices[best.index]
        case .range:
            guard let axis = p.axis else { return "" }
            let l = ParzenEstimator(points: good.compactMap(p.coordinate), axis: axis)
            let g = ParzenEstimator(points: bad.compactMap(p.coordinate), axis: axis)
            var best = (x: (axis.lowerBound + axis.upperBound) / 2, score: -Double.infinity)
            for _ in 0..<candidates {
                let x = l.sample(&rng)
                let score = l.logDensity(x) - g.logDensity(x)
                if score > best.score { best = (x, score) }
            }
            return p.value(atCoordinate: best.x)
        }
    }
}

/// A choice's probability from counts plus one (the prior keeps every choice possible).
struct CategoricalParzen {
    let probability: [Double]

    init(choices: [String], observed: [String]) {
        var counts = [Double](repeating: 1, count: choices.count)
        for o in observed { if let i = choices.firstIndex(of: o) { counts[i] += 1 } }
        let total = counts.reduce(0, +)
        probability = counts.map { $0 / total }
    }

    func sample(_ rng: inout SplitMix64) -> Int {
        var u = rng.nextDouble()
        for (i, p) in probability.enumerated() {
            u -= p
            if u < 0 { return i }
        }
        return probability.count - 1
    }
}

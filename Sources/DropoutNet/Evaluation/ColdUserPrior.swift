import Foundation
import Numerics

/// Item popularity in the ranking of users the model knows nothing about (DESIGN §5).
///
/// A cold user's embedding comes from its content alone. The towers train with the logQ
/// correction, so their scores should already carry how popular an item is; but a unit-length
/// embedding made from a few demographic fields cannot say "I know little about this user, rank
/// by popularity": on MovieLens-100K the default model ranked cold users *below* plain
/// popularity (recall@20 0.159 vs 0.179), and adding log-popularity to those users' scores lifted
/// it to 0.18–0.19 while it only lowered warm users' recall. So a user without training
/// interactions is scored e_u·e_i + w·log p(i), p the item's share of training positives, and w
/// is chosen on the validation cold users (0 when the prior does not help, or when there are no
/// validation cold users). Users with training interactions are scored as before.
///
/// The prior travels as one more embedding column — users: w if cold, else 0; items: log p — so
/// the evaluator, the explorer, `recommend` and exported embeddings all rank the same way
/// without knowing about it.
public struct ColdUserPrior: Sendable, Equatable {
    /// Weight of log p(item) in the model's score units; 0 = no prior.
    public var weight: Float

    public init(weight: Float = 0) { self.weight = weight }

    /// Multiples of the score/popularity scale tried on the validation cold users (0 first, so
    /// ties keep the model's own ranking).
    public static let candidateMultiples: [Float] = [0, 0.25, 0.5, 1, 2, 4, 8, 16]

    /// log((count + ½) / total) per item over the training positives: the popularity
    /// baseline's order, finite for items without positives.
    public static func logPopularity(_ data: TrainingData) -> [Float] {
        let total = Double(max(data.itemPopularity.reduce(0, +), 1))
        return data.itemPopularity.map { Float(log((Double($0) + 0.5) / total)) }
    }

    /// The embeddings with the prior column appended (`users`: w for users without training
    /// interactions, 0 for the others; `items`: log p). `coldUsers` overrides which rows are cold
    /// (the few-shot curve's users are all cold). With weight 0 the inputs come back unchanged.
    public func rankingEmbeddings(users: Matrix, items: Matrix, data: TrainingData,
                                  coldUsers: [Bool]? = nil) -> (users: Matrix, items: Matrix) {
        guard weight != 0 else { return (users, items) }
        let cold = coldUsers ?? data.isKnownUser.map { !$0 }
        precondition(cold.count == users.rows, "cold-user flags: \(cold.count) for \(users.rows) users")
        let logP = ColdUserPrior.logPopularity(data)
        return (ColdUserPrior.appending(users) { cold[$0] ? weight : 0 },
                ColdUserPrior.appending(items) { logP[$0] })
    }

    /// `m` with one more column whose row-r entry is `value(r)`.
    static func appending(_ m: Matrix, _ value: (Int) -> Float) -> Matrix {
        let out = Matrix(rows: m.rows, cols: m.cols + 1)
        for r in 0..<m.rows {
            let row = out.row(r)
            row.update(from: m.row(r), count: m.cols)
            row[m.cols] = value(r)
        }
        return out
    }

    /// The prior whose weight gives the best recall@`k` on `target` (validation cold users),
    /// trying `candidateMultiples` of the scale at which log p moves scores as much as the
    /// model's own spread does; ties go to the smaller weight. `nil` when the target has no
    /// users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, target: EvaluationTarget,
                              evaluator: Evaluator, k: Int) -> (prior: ColdUserPrior, recall: Double)? {
        guard target.userCount > 0 else { return nil }
        let unit = scale(users: users, items: items, data: data, target: target)
        var best: (prior: ColdUserPrior, recall: Double)?
        for m in candidateMultiples where m == 0 || unit > 0 {
            let prior = ColdUserPrior(weight: m * unit)
            let (u, v) = prior.rankingEmbeddings(users: users, items: items, data: data)
            guard let recall = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)?.recall(at: k) else { continue }
            if best == nil || recall > best!.recall + 1e-12 { best = (prior, recall) }
        }
        return best
    }

    /// Standard deviation of the model's scores over (a sample of) the target's users and its
    /// candidates, over that of log p across the candidates: the weight at which the prior
    /// spreads scores as much as the model does.
    static func scale(users: Matrix, items: Matrix, data: TrainingData, target: EvaluationTarget) -> Float {
        let all = target.candidates ?? data.warmItems
        guard !all.isEmpty else { return 0 }
        // A spread needs no more than a few thousand items: every n-th candidate.
        let stride = max(1, all.count / 2048)
        let candidates = Swift.stride(from: 0, to: all.count, by: stride).map { all[$0] }
        let logP = logPopularity(data)
        let sampleUsers = target.users.prefix(256)
        var s = 0.0, s2 = 0.0, n = 0.0
        for u in sampleUsers {
            let eu = users.row(Int(u))
            for i in candidates {
                let ei = items.row(Int(i))
                var dot: Float = 0
                for j in 0..<users.cols { dot += eu[j] * ei[j] }
                s += Double(dot); s2 += Double(dot) * Double(dot); n += 1
            }
        }
        var p = 0.0, p2 = 0.0
        for i in candidates { let x = Double(logP[Int(i)]); p += x; p2 += x * x }
        let m = Double(candidates.count)
        let scoreSD = n > 1 ? max(s2 / n - (s / n) * (s / n), 0).squareRoot() : 0
        let priorSD = max(p2 / m - (p / m) * (p / m), 0).squareRoot()
        return priorSD > 1e-12 ? Float(scoreSD / priorSD) : 0
    }
}

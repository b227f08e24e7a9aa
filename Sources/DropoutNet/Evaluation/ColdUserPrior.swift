import Foundation
import Numerics

/// Item popularity in the ranking of users the model knows nothing about (DESIGN §5).
///
/// A cold user's embedding comes from its content alone. The towers train with the logQ
/// correction, so their scores should already carry how popular an item is; but a unit-length
/// embedding made from a few demographic fields cannot say "I know little about this user, rank
/// by popularity": on MovieLens-100K the default model ranked cold users *below* plain
/// popularity (recall@20 0.159 vs 0.179). So a user without training interactions is scored
/// e_u·e_i + w·prior(u, i) and w is chosen on the validation cold users (0 when the prior does
/// not help, or when there are no validation cold users). Users with training interactions are
/// scored as before.
///
/// prior(u, i) is `ContentPopularity`'s prediction of u's clicks from u's content (popularity
/// conditioned on the content; a fixed per-user popularity list when users have none) — what
/// the trainer uses. Without such a map (a prior built from a weight alone, as checkpoints
/// written before it stored) it is log p(i), p the item's share of training positives.
///
/// The prior travels as extra embedding columns — users: w·z_u if cold, else 0; items: the
/// map's coefficients (or log p) — so the evaluator, the explorer, `recommend` and exported
/// embeddings all rank the same way without knowing about it.
public struct ColdUserPrior: Sendable, Equatable {
    /// Weight of the prior in the model's score units; 0 = no prior.
    public var weight: Float
    /// The content-conditioned popularity; nil = log p(i).
    public var map: ContentPopularity?

    public init(weight: Float = 0, map: ContentPopularity? = nil) { self.weight = weight; self.map = map }

    public static func == (a: ColdUserPrior, b: ColdUserPrior) -> Bool { a.weight == b.weight && a.map === b.map }

    /// Columns the prior adds to both embeddings (0 with weight 0).
    public var width: Int { weight == 0 ? 0 : map?.width ?? 1 }

    /// Multiples of the score/popularity scale tried on the validation cold users (0 first, so
    /// ties keep the model's own ranking).
    public static let candidateMultiples: [Float] = [0, 0.25, 0.5, 1, 2, 4, 8, 16]

    /// log((count + ½) / total) per item over the training positives: the popularity
    /// baseline's order, finite for items without positives.
    public static func logPopularity(_ data: TrainingData) -> [Float] {
        let total = Double(max(data.itemPopularity.reduce(0, +), 1))
        return data.itemPopularity.map { Float(log((Double($0) + 0.5) / total)) }
    }

    /// The embeddings with the prior's columns appended (`users`: w·z_u for users without
    /// training interactions, 0 for the others; `items`: the map's coefficients or log p).
    /// `coldUsers` overrides which rows are cold (the few-shot curve's users are all cold);
    /// `userIDs` names the data's user behind each row when `users` is not every user in
    /// order. With weight 0 the inputs come back unchanged.
    public func rankingEmbeddings(users: Matrix, items: Matrix, data: TrainingData,
                                  coldUsers: [Bool]? = nil, userIDs: [Int32]? = nil) -> (users: Matrix, items: Matrix) {
        guard weight != 0 else { return (users, items) }
        let cold = coldUsers ?? data.isKnownUser.map { !$0 }
        precondition(cold.count == users.rows, "cold-user flags: \(cold.count) for \(users.rows) users")
        guard let map else {
            let logP = ColdUserPrior.logPopularity(data)
            return (ColdUserPrior.appending(users, width: 1) { r, out in out[0] = cold[r] ? weight : 0 },
                    ColdUserPrior.appending(items, width: 1) { i, out in out[0] = logP[i] })
        }
        let w = map.width
        return (ColdUserPrior.appending(users, width: w) { r, out in
                    guard cold[r] else { return }
                    let z = map.users.row(Int(userIDs?[r] ?? Int32(r)))
                    for j in 0..<w { out[j] = weight * z[j] }
                },
                ColdUserPrior.appending(items, width: w) { i, out in out.update(from: map.items.row(i), count: w) })
    }

    /// `m` with `width` more columns, zero unless `fill(row, columns)` writes them.
    static func appending(_ m: Matrix, width: Int, _ fill: (Int, UnsafeMutablePointer<Float>) -> Void) -> Matrix {
        let out = Matrix(rows: m.rows, cols: m.cols + width)
        for r in 0..<m.rows {
            let row = out.row(r)
            row.update(from: m.row(r), count: m.cols)
            fill(r, row + m.cols)
        }
        return out
    }

    /// The prior whose weight gives the best recall@`k` on `target` (validation cold users),
    /// trying `candidateMultiples` of the scale at which the prior moves scores as much as the
    /// model's own spread does; ties go to the smaller weight. `map` nil: log p. `nil` when the
    /// target has no users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, map: ContentPopularity? = nil,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: ColdUserPrior, recall: Double)? {
        guard target.userCount > 0 else { return nil }
        let unit = scale(users: users, items: items, data: data, map: map, target: target)
        var best: (prior: ColdUserPrior, recall: Double)?
        for m in candidateMultiples where m == 0 || unit > 0 {
            let prior = ColdUserPrior(weight: m * unit, map: map)
            let (u, v) = prior.rankingEmbeddings(users: users, items: items, data: data)
            guard let recall = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)?.recall(at: k) else { continue }
            if best == nil || recall > best!.recall + 1e-12 { best = (prior, recall) }
        }
        return best
    }

    /// Standard deviation of the model's scores over (a sample of) the target's users and its
    /// candidates, over that of the prior's on the same pairs: the weight at which the prior
    /// spreads scores as much as the model does.
    static func scale(users: Matrix, items: Matrix, data: TrainingData, map: ContentPopularity?,
                      target: EvaluationTarget) -> Float {
        let all = target.candidates ?? data.warmItems
        guard !all.isEmpty else { return 0 }
        // A spread needs no more than a few thousand items: every n-th candidate.
        let stride = max(1, all.count / 2048)
        let candidates = Swift.stride(from: 0, to: all.count, by: stride).map { all[$0] }
        let logP = map == nil ? logPopularity(data) : []
        var model = Spread(), prior = Spread()
        for u in target.users.prefix(256) {
            for i in candidates {
                model.add(dot(users.row(Int(u)), items.row(Int(i)), users.cols))
                if let map {
                    prior.add(dot(map.users.row(Int(u)), map.items.row(Int(i)), map.width))
                } else {
                    prior.add(logP[Int(i)])
                }
            }
        }
        let scoreSD = model.deviation, priorSD = prior.deviation
        return priorSD > 1e-12 ? Float(scoreSD / priorSD) : 0
    }

    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s: Float = 0
        for j in 0..<n { s += a[j] * b[j] }
        return s
    }

    /// Running mean and variance of a stream of scores.
    private struct Spread {
        var n = 0.0, sum = 0.0, sumSquares = 0.0
        mutating func add(_ x: Float) { n += 1; sum += Double(x); sumSquares += Double(x) * Double(x) }
        var deviation: Double { n > 1 ? max(sumSquares / n - (sum / n) * (sum / n), 0).squareRoot() : 0 }
    }
}

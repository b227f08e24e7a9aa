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
        PriorWeight.appending(users: users, items: items,
                              [columns(data: data, userRows: users.rows, coldUsers: coldUsers, userIDs: userIDs)])
    }

    /// The prior's columns (`rankingEmbeddings`), nil with weight 0.
    func columns(data: TrainingData, userRows: Int, coldUsers: [Bool]?, userIDs: [Int32]?) -> PriorWeight.Columns? {
        guard weight != 0 else { return nil }
        let weight = weight
        let cold = coldUsers ?? data.isKnownUser.map { !$0 }
        precondition(cold.count == userRows, "cold-user flags: \(cold.count) for \(userRows) users")
        guard let map else {
            let logP = ColdUserPrior.logPopularity(data)
            return PriorWeight.Columns(width: 1, user: { r, out in out[0] = cold[r] ? weight : 0 },
                                       item: { i, out in out[0] = logP[i] })
        }
        let w = map.width
        return PriorWeight.Columns(width: w, user: { r, out in
                                       guard cold[r] else { return }
                                       let z = map.users.row(Int(userIDs?[r] ?? Int32(r)))
                                       for j in 0..<w { out[j] = weight * z[j] }
                                   },
                                   item: { i, out in out.update(from: map.items.row(i), count: w) })
    }

    /// The prior whose weight gives the best recall@`k` on `target` (validation cold users),
    /// trying `PriorWeight.multiples` of the scale at which the prior moves scores as much as the
    /// model's own spread does; ties go to the smaller weight. `map` nil: log p. `nil` when the
    /// target has no users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, map: ContentPopularity? = nil,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: ColdUserPrior, recall: Double)? {
        guard target.userCount > 0 else { return nil }
        let logP = map == nil ? logPopularity(data) : []
        let unit = PriorWeight.unit(target: target, candidates: target.candidates ?? data.warmItems, users: users, items: items) { u, i in
            map.map { PriorWeight.dot($0.users.row(u), $0.items.row(i), $0.width) } ?? logP[i]
        }
        guard let columns = ColdUserPrior(weight: 1, map: map).columns(data: data, userRows: users.rows, coldUsers: nil, userIDs: nil)
        else { return nil }
        return PriorWeight.best(unit: unit, { ColdUserPrior(weight: $0, map: map) }) { weights in
            PriorWeight.recalls(weights, columns: columns, target: target, users: users, items: items, evaluator: evaluator, k: k)
        }
    }
}

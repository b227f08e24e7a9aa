import Numerics

/// What a cold item's content says about who clicks it, added to the towers' scores of items
/// the model knows nothing about (`ContentAffinity`); the item-side twin of `ColdUserPrior`.
///
/// A cold item is scored e_u·e_i + w·(a_u · z_i): z_i its content row, a_u the user's ridge
/// profile over item content. w is chosen at each validation evaluation on the validation cold
/// items (0 when it does not help). Items with training interactions are scored as before, so
/// warm rankings are untouched; a ranking that mixes warm and cold items (the explorer's, or
/// `recommend`'s) sees cold items with the weight that served cold items best.
///
/// It travels as extra embedding columns — users: a_u; items: w·z_i if cold, else 0.
public struct ColdItemPrior: Sendable, Equatable {
    public var weight: Float
    public var map: ContentAffinity?

    public init(weight: Float = 0, map: ContentAffinity? = nil) { self.weight = weight; self.map = map }

    public static func == (a: ColdItemPrior, b: ColdItemPrior) -> Bool { a.weight == b.weight && a.map === b.map }

    /// Columns the prior adds to both embeddings (0 when it adds nothing).
    public var width: Int { weight == 0 ? 0 : map?.width ?? 0 }

    /// The embeddings with the prior's columns appended. `userIDs` names the data's user behind
    /// each row when `users` is not every user in order.
    public func rankingEmbeddings(users: Matrix, items: Matrix, data: TrainingData,
                                  userIDs: [Int32]? = nil) -> (users: Matrix, items: Matrix) {
        PriorWeight.appending(users: users, items: items, [columns(data: data, userIDs: userIDs)])
    }

    /// The prior's columns (`rankingEmbeddings`), nil when it adds nothing.
    func columns(data: TrainingData, userIDs: [Int32]?) -> PriorWeight.Columns? {
        guard weight != 0, let map else { return nil }
        let weight = weight, w = map.width, known = data.isKnownItem
        return PriorWeight.Columns(width: w, user: { r, out in
                                       out.update(from: map.users.row(Int(userIDs?[r] ?? Int32(r))), count: w)
                                   },
                                   item: { i, out in
                                       guard !known[i] else { return }
                                       let z = map.items.row(i)
                                       for j in 0..<w { out[j] = weight * z[j] }
                                   })
    }

    /// The weight with the best recall@`k` on `target` (validation cold items), as
    /// `PriorWeight` chooses; nil when the target has no users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, map: ContentAffinity,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: ColdItemPrior, recall: Double)? {
        guard target.userCount > 0, let candidates = target.candidates, !candidates.isEmpty else { return nil }
        let unit = PriorWeight.unit(target: target, candidates: candidates, users: users, items: items) { u, i in
            PriorWeight.dot(map.users.row(u), map.items.row(i), map.width)
        }
        guard let columns = ColdItemPrior(weight: 1, map: map).columns(data: data, userIDs: nil) else { return nil }
        return PriorWeight.best(unit: unit, { ColdItemPrior(weight: $0, map: map) }) { weights in
            PriorWeight.recalls(weights, columns: columns, target: target, users: users, items: items, evaluator: evaluator, k: k)
        }
    }
}

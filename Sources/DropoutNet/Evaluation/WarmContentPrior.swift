import Numerics

/// What an item's content says about a user who has history, added to warm pairs' scores
/// after the WMF teacher (`WarmPrior`): w·(a_u · z_i), the same ridge map from item content to
/// clicks (`ContentAffinity`) the cold items use, now for users and items that both have
/// training interactions (`scoring.warm_content`).
///
/// Why: collaborative scores know an item by who clicked it, and a warm item with a handful of
/// clicks is known poorly; its content still says who would click it. Neither the towers (which
/// see content through dropout training aimed at cold rows) nor the teacher (which sees none)
/// rank warm pairs by content directly. On data whose content is strong, the content-only model
/// out-ranked DropoutNet on *warm* users (sample-data recall@20 0.176 against 0.161), which only
/// a content term on warm pairs can take back. w is chosen once, at the end of a run, on the
/// validation warm users with the teacher already in the score (0 allowed, ties to 0).
///
/// It travels as extra embedding columns — users: a_u if the user has history, else 0; items:
/// w·z_i if the item has history, else 0 — so cold rows are untouched.
public struct WarmContentPrior: Sendable, Equatable {
    public var weight: Float
    public var map: ContentAffinity?

    public init(weight: Float = 0, map: ContentAffinity? = nil) { self.weight = weight; self.map = map }

    public static func == (a: WarmContentPrior, b: WarmContentPrior) -> Bool { a.weight == b.weight && a.map === b.map }

    /// Columns the prior adds to both embeddings (0 when it adds nothing).
    public var width: Int { weight == 0 ? 0 : map?.width ?? 0 }

    /// The prior's columns, nil when it adds nothing. `userIDs` names the data's user behind
    /// each row when the user matrix is not every user in order.
    func columns(data: TrainingData, userIDs: [Int32]?) -> PriorWeight.Columns? {
        guard weight != 0, let map else { return nil }
        let weight = weight, w = map.width, knownUser = data.isKnownUser, knownItem = data.isKnownItem
        return PriorWeight.Columns(width: w, user: { r, out in
                                       let u = Int(userIDs?[r] ?? Int32(r))
                                       guard knownUser[u] else { return }
                                       out.update(from: map.users.row(u), count: w)
                                   },
                                   item: { i, out in
                                       guard knownItem[i] else { return }
                                       let z = map.items.row(i)
                                       for j in 0..<w { out[j] = weight * z[j] }
                                   })
    }

    /// Multiples of the score/prior scale tried: the content term is a correction to a
    /// collaborative ranking, so lighter weights than a cold prior's are the ones in question.
    static let multiples: [Float] = [0, 0.05, 0.1, 0.25, 0.5, 1, 2]

    /// The weight with the best recall@`k` on `target` (validation warm users) when added to
    /// `users`·`items` — the towers' outputs with the warm prior's columns already appended;
    /// nil when the target has no users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, map: ContentAffinity,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: WarmContentPrior, recall: Double)? {
        guard target.userCount > 0 else { return nil }
        let unit = PriorWeight.unit(target: target, candidates: target.candidates ?? data.warmItems, users: users, items: items) { u, i in
            PriorWeight.dot(map.users.row(u), map.items.row(i), map.width)
        }
        guard let columns = WarmContentPrior(weight: 1, map: map).columns(data: data, userIDs: nil) else { return nil }
        return PriorWeight.best(unit: unit, multiples: multiples, { WarmContentPrior(weight: $0, map: map) }) { weights in
            PriorWeight.recalls(weights, columns: columns, target: target, users: users, items: items, evaluator: evaluator, k: k)
        }
    }
}

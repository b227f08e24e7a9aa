import Numerics

/// What an item's content says about a user who has history, added to warm pairs' scores
/// after the WMF teacher (`WarmPrior`): w·(a_u · z_i), with a_u and z_i from one of two content
/// scores, chosen on validation (`scoring.warm_content`):
/// - `ridgeMap`: the cold items' ridge map from item content to clicks (`ContentAffinity`,
///   a_u the user's profile over item content, z_i the item's content row);
/// - `towers`: the towers' own content path — each warm user's and item's embedding with its
///   preference dropped, the output dropout trains for cold rows.
///
/// Why: collaborative scores know an item by who clicked it, and a warm item with a handful of
/// clicks is known poorly; its content still says who would click it. Neither the towers with
/// their preference present nor the teacher rank warm pairs by content directly. On data whose
/// content is strong the content-only model out-ranked DropoutNet on *warm* users (sample-data
/// recall@20 0.176 against 0.161, seed 42), and the towers' own content path did too (0.164). Which
/// content score helps is data's business: the content path won on sample-data, the ridge map
/// on the MovieLens proxy, ml-latest-small and CiteULike (docs/design-notes.md has the
/// figures). w is chosen once, at the end of a run, on the validation warm users with the
/// teacher already in the score (0 allowed, ties to 0 and to the ridge map).
///
/// It travels as extra embedding columns — users: a_u if the user has history, else 0; items:
/// w·z_i if the item has history, else 0 — so cold rows are untouched.
public struct WarmContentPrior: Sendable, Equatable {
    /// Where a_u and z_i come from.
    public enum Source: Int, Sendable, CaseIterable {
        case ridgeMap = 0, towers = 1
    }

    public var weight: Float
    public var source: Source
    /// a_u (rows of `users`) and z_i (rows of `items`): the ridge map itself, or the towers'
    /// content-path embeddings in the same two matrices.
    public var map: ContentAffinity?

    public init(weight: Float = 0, source: Source = .ridgeMap, map: ContentAffinity? = nil) {
        self.weight = weight; self.source = source; self.map = map
    }

    public static func == (a: WarmContentPrior, b: WarmContentPrior) -> Bool {
        a.weight == b.weight && a.source == b.source && (a.map === b.map || a.source == .towers
            && a.map?.users.toArray() == b.map?.users.toArray() && a.map?.items.toArray() == b.map?.items.toArray())
    }

    /// The towers' content path for every user and item (`Source.towers`): `model`'s outputs
    /// with every preference dropped.
    public static func towersContentPath(_ model: TwoTowerModel) -> ContentAffinity {
        ContentAffinity(users: model.embedAllUsers(contentOnly: true), items: model.embedAllItems(contentOnly: true))
    }

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

    /// Training interactions up to which the end of a run searches the term, as it refits
    /// stiffer teachers (`WarmPrior.refitLimit`): on a MovieLens-25M-sized world the search
    /// (both sources' weights over the validation sample, the towers' content path of 220 k
    /// entities) added 12 s and 265 MB to a run of four and a half minutes.
    public static let searchLimit = WarmPrior.refitLimit

    /// Multiples of the score/prior scale tried: the content term is a correction to a
    /// collaborative ranking, so lighter weights than a cold prior's are the ones in question.
    static let multiples: [Float] = [0, 0.05, 0.1, 0.25, 0.5, 1, 2]

    /// The weight with the best recall@`k` on `target` (validation warm users) when added to
    /// `users`·`items` — the towers' outputs with the warm prior's columns already appended;
    /// nil when the target has no users.
    public static func select(users: Matrix, items: Matrix, data: TrainingData, map: ContentAffinity, source: Source = .ridgeMap,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: WarmContentPrior, recall: Double)? {
        guard target.userCount > 0 else { return nil }
        let unit = PriorWeight.unit(target: target, candidates: target.candidates ?? data.warmItems, users: users, items: items) { u, i in
            PriorWeight.dot(map.users.row(u), map.items.row(i), map.width)
        }
        guard let columns = WarmContentPrior(weight: 1, source: source, map: map).columns(data: data, userIDs: nil) else { return nil }
        return PriorWeight.best(unit: unit, multiples: multiples, { WarmContentPrior(weight: $0, source: source, map: map) }) { weights in
            PriorWeight.recalls(weights, columns: columns, target: target, users: users, items: items, evaluator: evaluator, k: k)
        }
    }

    /// The best of `candidates` (each source's a_u and z_i) with its weight, as `select` chooses
    /// each; a tie keeps the earlier candidate. nil when none could be scored.
    public static func select(_ candidates: [(source: Source, map: ContentAffinity)], users: Matrix, items: Matrix, data: TrainingData,
                              target: EvaluationTarget, evaluator: Evaluator, k: Int) -> (prior: WarmContentPrior, recall: Double)? {
        var best: (prior: WarmContentPrior, recall: Double)?
        for (source, map) in candidates {
            guard let chosen = select(users: users, items: items, data: data, map: map, source: source, target: target,
                                      evaluator: evaluator, k: k),
                  chosen.recall > (best?.recall ?? -1) + 1e-12
            else { continue }
            best = chosen
        }
        return best
    }
}

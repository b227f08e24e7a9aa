import Foundation
import Numerics

/// The items a user's content alone predicts: a ridge regression from the content of users
/// with training positives to the items they clicked, ranked for users the model knows
/// nothing about (`ColdUserPrior`).
///
/// Why a linear map beside the towers: a cold user's recall is bounded by how much a few
/// demographic fields say about taste, and on such data the towers' content-only path was
/// weaker than plain popularity conditioned on the fields. Measured on the exported splits of
/// the default (EasyRec) model, cold-user recall@20: the MovieLens proxy 0.185 with the log-
/// popularity prior, 0.201 with this map; sample-data 0.136 → 0.151; ml-latest-small (no user
/// content, so the map is one fixed list) 0.117 → 0.132. LightFM on the same splits: 0.196,
/// 0.143, 0.118.
///
/// The target is the user's click row, either as counts (every click weighs the same) or
/// divided by the user's number of clicks (every user weighs the same, which is what recall
/// averaged over users rewards; without content it is the per-user popularity list). Which
/// one, and the ridge λ, are chosen by recall@k of a seeded tenth of the training users,
/// held out of the fit and ranked from their content as if cold; then the map is refitted
/// on all of them. Wide content is first projected onto its top `maxContentColumns` SVD
/// directions (`ClickRegression.design`), so the map stays a few dozen columns: it travels as
/// extra embedding columns, and every warm user pays for them in scoring.
public final class ContentPopularity: @unchecked Sendable {
    public enum Target: String, Sendable, CaseIterable {
        /// Y[u][i] = 1 per click: heavy users weigh more.
        case counts
        /// Y[u][i] = 1 / |clicks of u|: every user weighs the same.
        case perUser = "per_user"
    }

    /// Design rows, users × width: the user's content (projected when wide), then 1.
    public let users: Matrix
    /// Map coefficients, items × width: user u's predicted clicks of item i are
    /// users.row(u) · items.row(i).
    public let items: Matrix
    public let target: Target
    /// λ as a multiple of the mean diagonal of the fitted design's Gram matrix.
    public let relativeRidge: Float
    /// Held-out recall@k of the chosen fit, with every candidate tried (nil: too few users to
    /// hold out, the defaults were used).
    public let heldOutRecall: Double?
    public let candidates: [(target: Target, relativeRidge: Float, recall: Double)]
    /// Seconds the fit took, selection included.
    public let seconds: Double

    public var width: Int { items.cols }

        /// Relative ridges tried when users have content (one suffices for the intercept alone).
    public static let relativeRidges: [Float] = [0.01, 0.03, 0.1, 0.3, 1, 3]
    /// Users held out for the choice are at most this many, at least `minimumHeldOut`.
    public static let maxHeldOutUsers = 2_000
    public static let minimumHeldOut = 10

    init(users: Matrix, items: Matrix, target: Target, relativeRidge: Float, heldOutRecall: Double?,
         candidates: [(target: Target, relativeRidge: Float, recall: Double)], seconds: Double) {
        self.users = users; self.items = items; self.target = target; self.relativeRidge = relativeRidge
        self.heldOutRecall = heldOutRecall; self.candidates = candidates; self.seconds = seconds
    }

    /// The map from stored matrices (a checkpoint's), without selection details.
    public convenience init(users: Matrix, items: Matrix) {
        self.init(users: users, items: items, target: .counts, relativeRidge: 0, heldOutRecall: nil, candidates: [], seconds: 0)
    }

    /// Fits the map on `data`'s training positives, choosing the target and λ on held-out
    /// training users by recall@`k` over the items with training positives.
    public static func fit(data: TrainingData, k: Int = 20, seed: UInt64) -> ContentPopularity {
        let started = DispatchTime.now().uptimeNanoseconds
        let known = (0..<data.userCount).filter { data.trainPositives.count($0) > 0 }
        let z = ClickRegression.design(data.userFeatures, known: known, seed: seed)
        let grid: [Float] = z.cols > 1 ? relativeRidges : [1]
        var candidates: [(target: Target, relativeRidge: Float, recall: Double)] = []
        let held = heldOutTenth(known, seed: seed)
        if held.count >= minimumHeldOut {
            let heldSet = Set(held)
            let fitted = known.filter { !heldSet.contains($0) }
            let items = data.warmItems
            for target in Target.allCases {
                let gram = ClickRegression(z, rows: fitted, clicks: data.trainPositives, otherCount: data.itemCount, perRow: target == .perUser)
                for rel in grid {
                    let w = gram.solve(relativeRidge: rel)
                    candidates.append((target, rel, recall(z, w, users: held, items: items, data: data, k: k)))
                }
            }
        }
        // The best held-out recall; a tie keeps the earlier candidate (counts, smaller λ).
        let best = candidates.reduce(nil as (target: Target, relativeRidge: Float, recall: Double)?) { b, c in
            b.map { c.recall > $0.recall + 1e-12 ? c : $0 } ?? c
        }
        let target = best?.target ?? .counts, rel = best?.relativeRidge ?? 1
        let w = ClickRegression(z, rows: known, clicks: data.trainPositives, otherCount: data.itemCount, perRow: target == .perUser)
            .solve(relativeRidge: rel)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9
        return ContentPopularity(users: z, items: w, target: target, relativeRidge: rel, heldOutRecall: best?.recall,
                                 candidates: candidates, seconds: seconds)
    }

    /// A seeded tenth of `known` (at most `maxHeldOutUsers`), sorted.
    static func heldOutTenth(_ known: [Int], seed: UInt64) -> [Int] {
        var pool = known
        var rng = SplitMix64(seed: seed ^ 0xC01D_05E5)
        let n = min(pool.count / 10, maxHeldOutUsers)
        for i in 0..<n { pool.swapAt(i, i + rng.nextInt(below: pool.count - i)) }
        return pool[0..<n].sorted()
    }

    /// Mean over `users` of |top-k ∩ training positives| / |training positives|, ranking `items`
    /// by the map's prediction — the evaluator's recall with the held-out users as a split.
    static func recall(_ z: Matrix, _ w: Matrix, users: [Int], items: [Int32], data: TrainingData, k: Int) -> Double {
        let held = Dictionary(uniqueKeysWithValues: users.map { (Int32($0), Array(data.trainPositives[$0])) })
        let target = EvaluationTarget(name: "held-out users", heldOut: held, candidates: items)
        let evaluator = Evaluator(targets: [target], ks: [k], itemCount: data.itemCount)
        return evaluator.evaluate(target, userEmbeddings: z, itemEmbeddings: w)?.recall(at: k) ?? 0
    }
}

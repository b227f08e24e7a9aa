import Foundation
import Numerics

/// The users a cold item's content predicts: a ridge regression from the content of items with
/// training positives to the users who clicked them, ranked for items the model knows nothing
/// about (`ColdItemPrior`). Per user it is the classic content-based profile (a linear model of
/// which item content the user clicks), fitted jointly in closed form.
///
/// Why beside the towers: blended into the towers' cold-item scores with a weight chosen on
/// validation cold items it added recall the towers miss. Measured in numpy on the exported
/// splits of the default model before building it, cold-item recall@20: the MovieLens proxy
/// 0.294 → 0.32, ml-latest-small 0.341 → 0.364, sample-data 0.266 → 0.272.
///
/// The target is counted clicks and the ridge λ the Gram matrix's mean diagonal: unlike the
/// user side (`ContentPopularity`), clicks per item lost on all three sets and λ from 0.01 to
/// 10 times that moved recall by under 0.005, so neither is chosen here.
///
/// The width is chosen: content wider than 64 columns is projected onto its top 64, 256 or
/// 1024 SVD directions (as many as it has, past the first), whichever ranks a seeded tenth of
/// the training items best when they are held out of the fit and ranked as if cold. A
/// vocabulary of tags needs the wider map (on CiteULike's cold split the map alone reached
/// recall@100 0.459 with 64 directions, 0.534 with 256 and 0.562 with 1024, in numpy on the
/// exported split), a few genres and tags do not (the MovieLens proxy's recall@20 0.331 with
/// 64, 0.322 with 150).
public final class ContentAffinity: @unchecked Sendable {
    /// Map coefficients, users × width: user u's predicted click of item i is
    /// users.row(u) · items.row(i).
    public let users: Matrix
    /// Design rows, items × width: the item's content (projected when wide), then 1.
    public let items: Matrix
    /// Seconds the fit took.
    public let seconds: Double
    /// The widths tried (design columns, the constant included) and the held-out recall of
    /// each; empty when there was no choice.
    public let heldOutRecalls: [(width: Int, recall: Double)]

    public var width: Int { users.cols }

    public static let relativeRidge: Float = 1

    public init(users: Matrix, items: Matrix, seconds: Double = 0, heldOutRecalls: [(width: Int, recall: Double)] = []) {
        self.users = users; self.items = items; self.seconds = seconds; self.heldOutRecalls = heldOutRecalls
    }

    /// The widths tried for wide content (`ClickRegression.design`'s column cap).
    public static let widths = [ClickRegression.maxContentColumns, 256, 1024]
    static let wideCoefficientLimit = 16_000_000

    /// Fits the map on `data`'s training positives, its width chosen on held-out training items
    /// by recall@`k`.
    public static func fit(data: TrainingData, k: Int = 20, seed: UInt64) -> ContentAffinity {
        let started = DispatchTime.now().uptimeNanoseconds
        let known = (0..<data.itemCount).filter { data.itemPopularity[$0] > 0 }
        let clicks = AdjacencyLists(rows: data.itemCount, pairs: data.positiveItems, data.positiveUsers)
        let content = data.itemFeatures.dense.cols + data.itemFeatures.sparse.cols
        var designs = [ClickRegression.design(data.itemFeatures, known: known, seed: seed)]
        // A wider map's normal equations hold users × (width + 1) doubles: each is tried up to
        // ~16 M of them (128 MB), so a MovieLens-25M-sized run keeps to its memory budget with
        // the narrow map, and 1024 directions are tried up to about 15,600 users.
        for width in widths.dropFirst() {
            // A wider cap adds nothing once the last candidate kept every content column.
            guard content > designs.last!.cols - 1, data.userCount * (width + 1) <= wideCoefficientLimit else { break }
            designs.append(ClickRegression.design(data.itemFeatures, known: known, seed: seed, maxColumns: width))
        }
        var z = designs[0]
        var tried: [(width: Int, recall: Double)] = []
        let held = ContentPopularity.heldOutTenth(known, seed: seed ^ 0x17E5)
        if designs.count > 1, held.count >= ContentPopularity.minimumHeldOut {
            let heldSet = Set(held)
            let fitted = known.filter { !heldSet.contains($0) }
            let recalls = designs.map { d in
                let w = ClickRegression(d, rows: fitted, clicks: clicks, otherCount: data.userCount, perRow: false)
                    .solve(relativeRidge: relativeRidge)
                return heldOutRecall(d, w, items: held, clicks: clicks, data: data, k: k)
            }
            // A tie keeps the narrower map (cheaper to score).
            var best = 0
            for j in recalls.indices.dropFirst() where recalls[j] > recalls[best] + 1e-12 { best = j }
            z = designs[best]
            tried = zip(designs, recalls).map { ($0.cols, $1) }
        }
        let w = ClickRegression(z, rows: known, clicks: clicks, otherCount: data.userCount, perRow: false)
            .solve(relativeRidge: relativeRidge)
        return ContentAffinity(users: w, items: z, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9,
                               heldOutRecalls: tried)
    }

    /// Recall@`k` of the users who clicked the held-out `items`, ranking only those items by
    /// the map — the evaluator's cold-item recall with them as the cold items.
    static func heldOutRecall(_ z: Matrix, _ w: Matrix, items: [Int], clicks: AdjacencyLists, data: TrainingData, k: Int) -> Double {
        var byUser: [Int32: [Int32]] = [:]
        for i in items { for u in clicks[i] { byUser[u, default: []].append(Int32(i)) } }
        let target = EvaluationTarget(name: "held-out items", heldOut: byUser, candidates: items.map(Int32.init))
        let evaluator = Evaluator(targets: [target], ks: [k], itemCount: data.itemCount)
        return evaluator.evaluate(target, userEmbeddings: w, itemEmbeddings: z)?.recall(at: k) ?? 0
    }
}

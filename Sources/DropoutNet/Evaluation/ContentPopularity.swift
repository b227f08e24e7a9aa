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
/// directions (`ContentProjection`), so the map stays a few dozen columns: it travels as
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

    /// Content columns beyond which the content is projected onto its top SVD directions.
    public static let maxContentColumns = 64
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
        let z = design(data.userFeatures, known: known, seed: seed)
        let grid: [Float] = z.cols > 1 ? relativeRidges : [1]
        var candidates: [(target: Target, relativeRidge: Float, recall: Double)] = []
        let held = heldOutUsers(known, seed: seed)
        if held.count >= minimumHeldOut {
            let heldSet = Set(held)
            let fitted = known.filter { !heldSet.contains($0) }
            let items = data.warmItems
            for target in Target.allCases {
                let gram = Gram(z, users: fitted, data: data, target: target)
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
        let w = Gram(z, users: known, data: data, target: target).solve(relativeRidge: rel)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9
        return ContentPopularity(users: z, items: w, target: target, relativeRidge: rel, heldOutRecall: best?.recall,
                                 candidates: candidates, seconds: seconds)
    }

    /// Every user's design row: dense content, sparse content (or its SVD projection fitted on
    /// `known` when the two are wider than `maxContentColumns`), then a constant 1.
    static func design(_ f: EncodedFeatures, known: [Int], seed: UInt64) -> Matrix {
        let rows = f.rows, content = f.dense.cols + f.sparse.cols
        if content <= maxContentColumns {
            let z = Matrix(rows: rows, cols: content + 1)
            for r in 0..<rows {
                let out = z.row(r)
                out.update(from: f.dense.row(r), count: f.dense.cols)
                for e in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] {
                    out[f.dense.cols + Int(f.sparse.columnIndices[e])] = f.sparse.values[e]
                }
                out[content] = 1
            }
            return z
        }
        // One sparse matrix of both blocks, so a single projection serves either layout.
        var entries = [[(Int, Float)]](repeating: [], count: rows)
        for r in 0..<rows {
            let dense = f.dense.row(r)
            for j in 0..<f.dense.cols where dense[j] != 0 { entries[r].append((j, dense[j])) }
            for e in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] {
                entries[r].append((f.dense.cols + Int(f.sparse.columnIndices[e]), f.sparse.values[e]))
            }
        }
        let all = SparseMatrix(rows: rows, cols: content, entries: entries)
        let projection = ContentProjection(fitting: all.gatherRows(known), rank: maxContentColumns, seed: seed)
        let z = Matrix(rows: rows, cols: maxContentColumns + 1)
        projection.project(all, into: z, column: 0)
        for r in 0..<rows { z[r, maxContentColumns] = 1 }
        return z
    }

    /// A seeded tenth of `known` (at most `maxHeldOutUsers`), sorted.
    static func heldOutUsers(_ known: [Int], seed: UInt64) -> [Int] {
        var pool = known
        var rng = SplitMix64(seed: seed ^ 0xC01D_05E5)
        let n = min(pool.count / 10, maxHeldOutUsers)
        for i in 0..<n { pool.swapAt(i, i + rng.nextInt(below: pool.count - i)) }
        return pool[0..<n].sorted()
    }

    /// Mean over `users` of |top-k ∩ training positives| / |training positives|, ranking `items`
    /// by the map's prediction (one GEMM per block of users).
    static func recall(_ z: Matrix, _ w: Matrix, users: [Int], items: [Int32], data: TrainingData, k: Int) -> Double {
        guard !users.isEmpty, !items.isEmpty else { return 0 }
        let block = 256, width = z.cols
        let wItems = Matrix(rows: items.count, cols: width)
        for (r, i) in items.enumerated() { wItems.row(r).update(from: w.row(Int(i)), count: width) }
        let zBlock = Matrix(rows: block, cols: width), scores = Matrix(rows: block, cols: items.count)
        let kk = min(k, items.count)
        var indices = [Int32](repeating: 0, count: kk), values = [Float](repeating: 0, count: kk)
        var total = 0.0
        for lo in stride(from: 0, to: users.count, by: block) {
            let n = min(block, users.count - lo)
            for r in 0..<n { zBlock.row(r).update(from: z.row(users[lo + r]), count: width) }
            let s = scores.rows(0..<n)
            Matrix.gemm(zBlock.rows(0..<n), wItems, transposeB: true, into: s)
            for r in 0..<n {
                let got = TopK.select(s.row(r), count: items.count, k: kk, indices: &indices, values: &values)
                let want = Set(data.trainPositives[users[lo + r]])
                let hits = indices[0..<got].filter { want.contains(items[Int($0)]) }.count
                total += Double(hits) / Double(want.count)
            }
        }
        return total / Double(users.count)
    }

    /// The normal equations of one fit: ZᵀZ over the fitted users and ZᵀY, in Double.
    struct Gram {
        let width: Int
        let itemCount: Int
        var zz: [Double]
        var zy: [Double]   // width × items, row-major

        init(_ z: Matrix, users: [Int], data: TrainingData, target: Target) {
            width = z.cols; itemCount = data.itemCount
            zz = [Double](repeating: 0, count: width * width)
            zy = [Double](repeating: 0, count: width * itemCount)
            for u in users {
                let row = z.row(u), clicks = data.trainPositives[u]
                let t = target == .perUser ? 1 / Double(max(clicks.count, 1)) : 1
                for a in 0..<width where row[a] != 0 {
                    let za = Double(row[a])
                    for b in 0..<width { zz[a * width + b] += za * Double(row[b]) }
                    let base = a * itemCount
                    for i in clicks { zy[base + Int(i)] += t * za }
                }
            }
        }

        /// W (items × width) = ((ZᵀZ + λI)⁻¹ ZᵀY)ᵀ with λ = `relativeRidge` × mean diagonal.
        func solve(relativeRidge: Float) -> Matrix {
            let meanDiagonal = (0..<width).reduce(0.0) { $0 + zz[$1 * width + $1] } / Double(max(width, 1))
            let lambda = Double(relativeRidge) * max(meanDiagonal, 1e-12)
            var a = zz.map(Float.init)
            for j in 0..<width { a[j * width + j] += Float(lambda) }
            let w = Matrix(rows: itemCount, cols: width)
            var x = [Float](repeating: 0, count: width)
            a.withUnsafeMutableBufferPointer { a in
                Cholesky.factor(a.baseAddress!, width)
                x.withUnsafeMutableBufferPointer { x in
                    for i in 0..<itemCount {
                        for j in 0..<width { x[j] = Float(zy[j * itemCount + i]) }
                        Cholesky.solve(a.baseAddress!, x.baseAddress!, width)
                        w.row(i).update(from: x.baseAddress!, count: width)
                    }
                }
            }
            return w
        }
    }
}

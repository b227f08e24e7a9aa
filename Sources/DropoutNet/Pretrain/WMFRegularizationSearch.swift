import Numerics

/// Chooses WMF's λ by recall on a held-out tenth of the training positives (`wmf.reg_search`).
///
/// Why: with the gated shortcut the classic model's warm recall *is* its WMF teacher's, and a
/// rank-200 WMF at λ = 1 overfits a small data set badly: ml-latest-small warm recall@20 0.125
/// at λ 1, 0.205 at 10, 0.268 at 50, 0.143 at 200 (popularity 0.146). No single λ suits
/// CiteULike's 200k positives and a few thousand alike, and the best one depends on rank, α and
/// density together, so it is measured rather than guessed.
///
/// Each candidate is fitted on the training positives less a seeded tenth of every user's (users
/// with at least two keep one or more), and scored by recall@K of the held-out ones over all
/// items, a user's remaining positives masked, on up to `maxUsers` users. The final factors are
/// then fitted on all positives with the winner; the cost is one extra fit per candidate.
public enum WMFRegularizationSearch {
    /// Candidates as multiples of the configured λ; ×4 more while the largest tried is best,
    /// up to `maxCandidates` fits.
    public static let multipliers: [Float] = [1, 4, 16, 64]
    public static let maxCandidates = 8

    public struct Outcome: Sendable {
        public var chosen: Float
        /// (λ, held-out recall@K) per candidate, in the order tried.
        public var recalls: [(lambda: Float, recall: Double)]
        /// Held-out positives the recalls are over.
        public var heldOut: Int
    }

    /// The λ among `multipliers × options.regularization` with the best held-out recall@k
    /// (the smaller λ on a tie); nil when too few positives can be held out to tell.
    public static func choose(_ r: SparseMatrix, options: WMFOptions, k: Int = 20, maxUsers: Int = 2_000,
                              seed: UInt64) throws -> Outcome? {
        let (fit, held) = split(r, seed: seed)
        var users = held.indices.filter { !held[$0].isEmpty }
        guard users.count >= 10 else { return nil }
        var rng = SplitMix64(seed: seed ^ 0x5EA2C4)
        if users.count > maxUsers {
            for i in stride(from: users.count - 1, to: 0, by: -1) { users.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            users = Array(users.prefix(maxUsers)).sorted()
        }
        var recalls: [(lambda: Float, recall: Double)] = []
        var candidates = multipliers[...]
        while let m = candidates.popFirst() {
            var o = options
            o.regularization = options.regularization * m
            let f = try WMF.fit(fit, options: o)
            recalls.append((o.regularization, recall(f, fit: fit, held: held, users: users, k: k)))
            // Still rising at the top of the grid: keep going up by the same factor.
            if candidates.isEmpty, recalls.count < maxCandidates,
               recalls.last!.recall > recalls.dropLast().map(\.recall).max() ?? -1 {
                candidates = [m * 4]
            }
        }
        let best = recalls.max { a, b in a.recall < b.recall || (a.recall == b.recall && a.lambda > b.lambda) }!
        return Outcome(chosen: best.lambda, recalls: recalls, heldOut: users.reduce(0) { $0 + held[$1].count })
    }

    /// The positives less a seeded tenth of each user's (at least one kept), and those held out.
    static func split(_ r: SparseMatrix, seed: UInt64) -> (fit: SparseMatrix, held: [[Int32]]) {
        var rng = SplitMix64(seed: seed)
        var entries: [[(Int, Float)]] = []
        var held: [[Int32]] = []
        entries.reserveCapacity(r.rows)
        for u in 0..<r.rows {
            let lo = r.rowPointers[u], hi = r.rowPointers[u + 1]
            var keep: [(Int, Float)] = [], out: [Int32] = []
            for e in lo..<hi {
                if hi - lo >= 2 && rng.nextFloat() < 0.1 { out.append(r.columnIndices[e]) } else { keep.append((Int(r.columnIndices[e]), r.values[e])) }
            }
            if keep.isEmpty, let first = out.popLast() { keep.append((Int(first), 1)) }
            entries.append(keep)
            held.append(out)
        }
        return (SparseMatrix(rows: r.rows, cols: r.cols, entries: entries), held)
    }

    /// Mean over `users` of |top-k ∩ held| / |held|, ranking every item the user has no fitted
    /// positive for, in blocks of users (one GEMM each).
    static func recall(_ f: WMFFactors, fit: SparseMatrix, held: [[Int32]], users: [Int], k: Int) -> Double {
        let block = 256, items = f.items.rows, rank = f.items.cols
        let u = Matrix(rows: block, cols: rank), scores = Matrix(rows: block, cols: items)
        let kk = min(k, items)
        var indices = [Int32](repeating: 0, count: kk), values = [Float](repeating: 0, count: kk)
        var total = 0.0
        var lo = 0
        while lo < users.count {
            let hi = min(users.count, lo + block), n = hi - lo
            for i in 0..<n { u.row(i).update(from: f.users.row(users[lo + i]), count: rank) }
            let s = scores.rows(0..<n)
            Matrix.gemm(u.rows(0..<n), f.items, transposeB: true, into: s)
            for i in 0..<n {
                let user = users[lo + i], row = s.row(i)
                for e in fit.rowPointers[user]..<fit.rowPointers[user + 1] { row[Int(fit.columnIndices[e])] = -.infinity }
                let got = TopK.select(row, count: items, k: kk, indices: &indices, values: &values)
                let want = Set(held[user])
                total += Double(indices[0..<got].filter { want.contains($0) }.count) / Double(want.count)
            }
            lo = hi
        }
        return total / Double(users.count)
    }
}

import Numerics

/// Scores users against candidate items and keeps each user's top-K in the same pass, then
/// averages recall / NDCG / precision / hit rate (DESIGN §5).
///
/// User blocks are handed to threads statically, each thread with its own `TopKScorer`, which
/// multiplies its block by the candidates a tile at a time and selects from each tile while it
/// is in cache — no score matrix, not even a block's, is ever held. At evaluation sizes this beats one multi-threaded GEMM per
/// block (no barrier per block), and the result does not depend on scheduling.
public final class Evaluator: @unchecked Sendable {
    public let targets: [EvaluationTarget]
    /// Sorted, distinct cut-offs.
    public let ks: [Int]
    public let itemCount: Int
    /// Users per scorer block: a block × `TopKScorer.tileColumns` tile of scores stays in L2.
    public var blockSize = 256
    public var threads = Parallel.threadCount

    public init(targets: [EvaluationTarget], ks: [Int], itemCount: Int) {
        self.targets = targets
        self.ks = Array(Set(ks.filter { $0 > 0 })).sorted()
        self.itemCount = itemCount
    }

    public var maxK: Int { ks.last ?? 0 }

    /// Evaluates every target (or those named) with the given embeddings (one row per user / item).
    public func evaluate(userEmbeddings: Matrix, itemEmbeddings: Matrix, only names: Set<String>? = nil) -> EvaluationReport {
        var report = EvaluationReport()
        for target in targets where names == nil || names!.contains(target.name) {
            report.order.append(target.name)
            report.splits[target.name] = evaluate(target, userEmbeddings: userEmbeddings, itemEmbeddings: itemEmbeddings)
        }
        return report
    }

    /// One split's metrics, or nil when it has no users.
    public func evaluate(_ target: EvaluationTarget, userEmbeddings: Matrix, itemEmbeddings: Matrix) -> SplitMetrics? {
        guard target.userCount > 0, maxK > 0 else { return nil }
        precondition(userEmbeddings.cols == itemEmbeddings.cols, "user and item embeddings differ in width")
        let candidates = target.candidates ?? Array(0..<Int32(itemCount))
        guard !candidates.isEmpty else { return nil }
        let dim = itemEmbeddings.cols, blockSize = self.blockSize, maxK = self.maxK
        let candidateEmbeddings = Evaluator.rows(of: itemEmbeddings, candidates, all: target.candidates == nil && itemEmbeddings.rows == itemCount)
        let sums = blocks(target, candidates: candidates, selections: 1) {
            let users = Matrix(rows: blockSize, cols: dim)
            let scorer = TopKScorer(items: candidateEmbeddings, maxRows: blockSize, k: maxK)
            return BlockRanker(rank: { lo, b, mc, mo in
                for i in 0..<b { users.row(i).update(from: userEmbeddings.row(Int(target.users[lo + i])), count: dim) }
                scorer.score(users: users.data, stride: dim, count: b, maskColumns: mc, maskOffsets: mo)
            }, result: { _, i in scorer.result(i).indices })
        }
        return SplitMetrics(sums: sums[0], ks: ks)
    }

    /// One split's metrics for each weight w of the scores users·itemsᵀ + w·(priorUsers·priorItemsᵀ)
    /// (`WeightedTopKScorer`): a scoring prior's candidate weights at the cost of little more than
    /// one evaluation. `priorUser(user, row)` writes a user's prior row (`priorItems.cols` wide,
    /// zeroed first) when the user is scored — only the split's users are asked, so a wide prior
    /// is never held for every user; rows of `priorItems` are items, as the embeddings'.
    /// - Returns: one entry per weight (all nil when the split has no users).
    public func evaluate(_ target: EvaluationTarget, userEmbeddings: Matrix, itemEmbeddings: Matrix,
                         priorUser: @escaping (Int, UnsafeMutablePointer<Float>) -> Void, priorItems: Matrix,
                         weights: [Float]) -> [SplitMetrics?] {
        guard let sums = weightedSums(target, userEmbeddings: userEmbeddings, itemEmbeddings: itemEmbeddings, priorUser: priorUser,
                                      priorItems: priorItems, weights: weights, perUser: nil)
        else { return weights.map { _ in nil } }
        return sums.map { SplitMetrics(sums: $0, ks: ks) }
    }

    /// Each user's recall@`k`, in `target.users` order, for each weight, ranked as the call above
    /// ranks them: what comparing two weights user by user needs (`WarmPrior.choose`). Empty
    /// lists when the split has no users or `k` is not one of the evaluator's cut-offs.
    public func userRecalls(_ target: EvaluationTarget, userEmbeddings: Matrix, itemEmbeddings: Matrix,
                            priorUser: @escaping (Int, UnsafeMutablePointer<Float>) -> Void, priorItems: Matrix,
                            weights: [Float], k: Int) -> [[Double]] {
        let n = target.userCount
        guard let kIndex = ks.firstIndex(of: k) else { return weights.map { _ in [] } }
        var recalls = [Double](repeating: 0, count: weights.count * n)
        let scored = recalls.withUnsafeMutableBufferPointer { out in
            weightedSums(target, userEmbeddings: userEmbeddings, itemEmbeddings: itemEmbeddings, priorUser: priorUser,
                         priorItems: priorItems, weights: weights, perUser: (kIndex, out.baseAddress!)) != nil
        }
        guard scored else { return weights.map { _ in [] } }
        return (0..<weights.count).map { Array(recalls[$0 * n..<($0 + 1) * n]) }
    }

    /// The metric sums behind both calls above, nil when nothing can be ranked; `perUser` also
    /// receives each user's recall at one cut-off (selection-major, `userCount` per selection).
    private func weightedSums(_ target: EvaluationTarget, userEmbeddings: Matrix, itemEmbeddings: Matrix,
                              priorUser: @escaping (Int, UnsafeMutablePointer<Float>) -> Void, priorItems: Matrix,
                              weights: [Float], perUser: PerUserRecall?) -> [MetricSums]? {
        guard target.userCount > 0, maxK > 0, !weights.isEmpty else { return nil }
        precondition(userEmbeddings.cols == itemEmbeddings.cols, "user and item embeddings differ in width")
        let candidates = target.candidates ?? Array(0..<Int32(itemCount))
        guard !candidates.isEmpty else { return nil }
        let dim = itemEmbeddings.cols, priorDim = priorItems.cols, blockSize = self.blockSize, maxK = self.maxK
        let all = target.candidates == nil && itemEmbeddings.rows == itemCount
        let candidateItems = Evaluator.rows(of: itemEmbeddings, candidates, all: all)
        let candidatePriors = Evaluator.rows(of: priorItems, candidates, all: all && priorItems.rows == itemCount)
        return blocks(target, candidates: candidates, selections: weights.count, perUser: perUser) {
            let users = Matrix(rows: blockSize, cols: dim), priors = Matrix(rows: blockSize, cols: priorDim)
            let scorer = WeightedTopKScorer(items: candidateItems, priorItems: candidatePriors, weights: weights, maxRows: blockSize, k: maxK)
            return BlockRanker(rank: { lo, b, mc, mo in
                for i in 0..<b {
                    let u = Int(target.users[lo + i])
                    users.row(i).update(from: userEmbeddings.row(u), count: dim)
                    priors.row(i).update(repeating: 0, count: priorDim)
                    priorUser(u, priors.row(i))
                }
                scorer.score(users: users.data, stride: dim, priorUsers: priors.data, priorStride: priorDim, count: b,
                             maskColumns: mc, maskOffsets: mo)
            }, result: { w, i in scorer.result(weight: w, row: i).indices })
        }
    }

    /// Where `blocks` writes each user's recall at the cut-off `ks[kIndex]`.
    private typealias PerUserRecall = (kIndex: Int, out: UnsafeMutablePointer<Double>)

    /// What one thread ranks a block with: `rank(first user, users, mask columns, mask offsets)`,
    /// then `result(selection, row)` the row's top candidate columns, best first.
    private struct BlockRanker {
        let rank: (Int, Int, UnsafePointer<Int32>?, UnsafePointer<Int>?) -> Void
        let result: (Int, Int) -> UnsafeBufferPointer<Int32>
    }

    /// `m`'s rows of `candidates`, or `m` itself when `all` (every item competes, in order).
    private static func rows(of m: Matrix, _ candidates: [Int32], all: Bool) -> Matrix {
        if all { return m }
        let out = Matrix(rows: candidates.count, cols: m.cols)
        for (c, item) in candidates.enumerated() { out.row(c).update(from: m.row(Int(item)), count: m.cols) }
        return out
    }

    /// The users of `target` in blocks, handed to threads statically, each thread with the
    /// ranker `makeRanker` builds; every block's masks are built here and each of the
    /// `selections` rankings is turned into metrics.
    private func blocks(_ target: EvaluationTarget, candidates: [Int32], selections: Int, perUser: PerUserRecall? = nil,
                        makeRanker: @escaping () -> BlockRanker) -> [MetricSums] {
        // Item id → column among the candidates (−1 when not a candidate), for masking.
        var column = [Int32](repeating: -1, count: itemCount)
        for (c, item) in candidates.enumerated() { column[Int(item)] = Int32(c) }
        let blocks = (target.userCount + blockSize - 1) / blockSize
        let workers = max(1, min(threads, blocks))
        let empty = [MetricSums](repeating: MetricSums(kCount: ks.count), count: selections)
        var partial = [[MetricSums]](repeating: empty, count: workers)
        let ks = self.ks, maxK = self.maxK, blockSize = self.blockSize
        partial.withUnsafeMutableBufferPointer { sums in
            Parallel.forEach(chunks: workers, threads: workers) { w in
                let ranker = makeRanker()
                var topItems = [Int32](repeating: 0, count: maxK)
                var maskColumns: [Int32] = []
                var maskOffsets = [Int](repeating: 0, count: blockSize + 1)
                var local = empty
                var block = w
                while block < blocks {
                    let lo = block * blockSize
                    let hi = min(target.userCount, lo + blockSize)
                    let b = hi - lo
                    maskColumns.removeAll(keepingCapacity: true)
                    for i in 0..<b {
                        let first = maskColumns.count
                        for item in target.excluded(ofUserAt: lo + i) {
                            let c = column[Int(item)]
                            if c >= 0 { maskColumns.append(c) }
                        }
                        // Sorted item ids are sorted columns when every item competes.
                        if target.candidates != nil { maskColumns[first...].sort() }
                        maskOffsets[i + 1] = maskColumns.count
                    }
                    maskColumns.withUnsafeBufferPointer { mc in
                        maskOffsets.withUnsafeBufferPointer { mo in ranker.rank(lo, b, mc.baseAddress, mo.baseAddress) }
                    }
                    for i in 0..<b {
                        let heldOut = target.heldOut(ofUserAt: lo + i)
                        for s in 0..<selections {
                            let top = ranker.result(s, i)
                            let n = top.count
                            for r in 0..<n { topItems[r] = candidates[Int(top[r])] }
                            topItems.withUnsafeBufferPointer { ranked in
                                RankingMetrics.accumulate(
                                    ranked: UnsafeBufferPointer(rebasing: ranked[0..<n]), relevantCount: heldOut.count, ks: ks,
                                    isRelevant: { item in Evaluator.sortedContains(heldOut, item) }, into: &local[s])
                            }
                            if let perUser, !heldOut.isEmpty {
                                var hits = 0
                                for r in 0..<min(ks[perUser.kIndex], n) where Evaluator.sortedContains(heldOut, topItems[r]) { hits += 1 }
                                perUser.out[s * target.userCount + lo + i] = Double(hits) / Double(heldOut.count)
                            }
                        }
                    }
                    block += workers
                }
                sums[w] = local
            }
        }
        var total = empty
        for p in partial { for s in 0..<selections { total[s].add(p[s]) } }
        return total
    }

    @inlinable
    static func sortedContains(_ items: ArraySlice<Int32>, _ x: Int32) -> Bool {
        var lo = items.startIndex, hi = items.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < items.endIndex && items[lo] == x
    }
}

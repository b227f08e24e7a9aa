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
        let dim = itemEmbeddings.cols
        let candidateEmbeddings: Matrix
        if target.candidates == nil && itemEmbeddings.rows == itemCount {
            candidateEmbeddings = itemEmbeddings
        } else {
            candidateEmbeddings = Matrix(rows: candidates.count, cols: dim)
            for (c, item) in candidates.enumerated() {
                candidateEmbeddings.row(c).update(from: itemEmbeddings.row(Int(item)), count: dim)
            }
        }
        // Item id → column among the candidates (−1 when not a candidate), for masking.
        var column = [Int32](repeating: -1, count: itemCount)
        for (c, item) in candidates.enumerated() { column[Int(item)] = Int32(c) }

        let blocks = (target.userCount + blockSize - 1) / blockSize
        let workers = max(1, min(threads, blocks))
        var partial = [MetricSums](repeating: MetricSums(kCount: ks.count), count: workers)
        let ks = self.ks, maxK = self.maxK, blockSize = self.blockSize
        partial.withUnsafeMutableBufferPointer { sums in
            Parallel.forEach(chunks: workers, threads: workers) { w in
                let users = Matrix(rows: blockSize, cols: dim)
                let scorer = TopKScorer(items: candidateEmbeddings, maxRows: blockSize, k: maxK)
                var topItems = [Int32](repeating: 0, count: maxK)
                var maskColumns: [Int32] = []
                var maskOffsets = [Int](repeating: 0, count: blockSize + 1)
                var local = MetricSums(kCount: ks.count)
                var block = w
                while block < blocks {
                    let lo = block * blockSize
                    let hi = min(target.userCount, lo + blockSize)
                    let b = hi - lo
                    maskColumns.removeAll(keepingCapacity: true)
                    for i in 0..<b {
                        users.row(i).update(from: userEmbeddings.row(Int(target.users[lo + i])), count: dim)
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
                        maskOffsets.withUnsafeBufferPointer { mo in
                            scorer.score(users: users.data, stride: dim, count: b,
                                         maskColumns: mc.baseAddress, maskOffsets: mo.baseAddress)
                        }
                    }
                    for i in 0..<b {
                        let top = scorer.result(i).indices
                        let n = top.count
                        for r in 0..<n { topItems[r] = candidates[Int(top[r])] }
                        let heldOut = target.heldOut(ofUserAt: lo + i)
                        topItems.withUnsafeBufferPointer { ranked in
                            RankingMetrics.accumulate(
                                ranked: UnsafeBufferPointer(rebasing: ranked[0..<n]), relevantCount: heldOut.count, ks: ks,
                                isRelevant: { item in Evaluator.sortedContains(heldOut, item) }, into: &local)
                        }
                    }
                    block += workers
                }
                sums[w] = local
            }
        }
        var total = MetricSums(kCount: ks.count)
        for p in partial { total.add(p) }
        return SplitMetrics(sums: total, ks: ks)
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

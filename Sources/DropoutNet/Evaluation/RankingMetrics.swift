/// Ranking metrics of one user's top-K list against that user's held-out items (DESIGN §5).
///
/// Recall uses the DropoutNet definition, |top-K ∩ test| / |test| (not divided by min(K, |test|)),
/// so numbers compare with the paper's tables.
public enum RankingMetrics {
    /// Adds one user's metrics for every K in `ks` into `sums` (laid out as `MetricSums`).
    /// `ranked` holds the top item ids best first (at least max(ks) long unless fewer candidates);
    /// `isRelevant` answers membership in the user's held-out set, of size `relevantCount`.
    @inlinable
    public static func accumulate(ranked: UnsafeBufferPointer<Int32>, relevantCount: Int, ks: [Int],
                                  isRelevant: (Int32) -> Bool, into sums: inout MetricSums) {
        guard relevantCount > 0 else { return }
        var hits = 0
        var dcg = 0.0
        var kIndex = 0
        let maxK = ks.last ?? 0
        var position = 0
        while kIndex < ks.count {
            let k = ks[kIndex]
            while position < min(k, ranked.count) {
                if isRelevant(ranked[position]) {
                    hits += 1
                    dcg += 1 / log2(Double(position) + 2)
                }
                position += 1
            }
            var idcg = 0.0
            for r in 0..<min(k, relevantCount) { idcg += 1 / log2(Double(r) + 2) }
            let recall = Double(hits) / Double(relevantCount)
            sums.recall[kIndex] += recall
            sums.recallSquares[kIndex] += recall * recall
            sums.precision[kIndex] += Double(hits) / Double(k)
            sums.ndcg[kIndex] += idcg > 0 ? dcg / idcg : 0
            sums.hitRate[kIndex] += hits > 0 ? 1 : 0
            kIndex += 1
        }
        _ = maxK
        sums.users += 1
    }
}

/// Running sums of the four metrics for each K (index-aligned with the evaluator's sorted ks).
public struct MetricSums: Sendable {
    public var recall: [Double]
    public var precision: [Double]
    public var ndcg: [Double]
    public var hitRate: [Double]
    /// Users' squared recalls, for the standard error of the mean (`SplitMetrics`).
    public var recallSquares: [Double]
    public var users: Int = 0

    public init(kCount: Int) {
        recall = Array(repeating: 0, count: kCount)
        recallSquares = recall
        precision = recall
        ndcg = recall
        hitRate = recall
    }

    public mutating func add(_ other: MetricSums) {
        for i in recall.indices {
            recall[i] += other.recall[i]
            recallSquares[i] += other.recallSquares[i]
            precision[i] += other.precision[i]
            ndcg[i] += other.ndcg[i]
            hitRate[i] += other.hitRate[i]
        }
        users += other.users
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

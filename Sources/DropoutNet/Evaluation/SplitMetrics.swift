/// Averaged metrics of one evaluation split (warm, cold-user, cold-item, validation, few-shot).
public struct SplitMetrics: Sendable, Equatable, Codable {
    public var users: Int
    public var ks: [Int]
    public var recall: [Double]
    public var precision: [Double]
    public var ndcg: [Double]
    public var hitRate: [Double]

    public init(sums: MetricSums, ks: [Int]) {
        let n = Double(max(sums.users, 1))
        users = sums.users
        self.ks = ks
        recall = sums.recall.map { $0 / n }
        precision = sums.precision.map { $0 / n }
        ndcg = sums.ndcg.map { $0 / n }
        hitRate = sums.hitRate.map { $0 / n }
    }

    /// The value of `metric` ("recall", "ndcg", "precision", "hit_rate") at K, if K was evaluated.
    public func value(_ metric: String, at k: Int) -> Double? {
        guard let i = ks.firstIndex(of: k) else { return nil }
        switch metric {
        case "recall": return recall[i]
        case "ndcg": return ndcg[i]
        case "precision": return precision[i]
        case "hit_rate", "hitrate": return hitRate[i]
        default: return nil
        }
    }

    public func recall(at k: Int) -> Double? { value("recall", at: k) }

    /// Flat "metric@K" → value pairs, the shape of the `--json` output and the run store.
    public var flat: [(String, Double)] {
        var out: [(String, Double)] = []
        for (i, k) in ks.enumerated() {
            out.append(("recall@\(k)", recall[i]))
            out.append(("ndcg@\(k)", ndcg[i]))
            out.append(("precision@\(k)", precision[i]))
            out.append(("hit_rate@\(k)", hitRate[i]))
        }
        return out
    }
}

/// The result of one evaluation: each split's metrics, nil for a split with no users.
public struct EvaluationReport: Sendable, Equatable {
    /// Split names in evaluation order ("warm", "cold_user", "cold_item", …).
    public var order: [String]
    public var splits: [String: SplitMetrics?]

    public init(order: [String] = [], splits: [String: SplitMetrics?] = [:]) {
        self.order = order
        self.splits = splits
    }

    public subscript(split: String) -> SplitMetrics? {
        splits[split] ?? nil
    }
}

/// Averaged metrics of one evaluation split (warm, cold-user, cold-item, validation, few-shot).
public struct SplitMetrics: Sendable, Equatable, Codable {
    public var users: Int
    public var ks: [Int]
    public var recall: [Double]
    public var precision: [Double]
    public var ndcg: [Double]
    public var hitRate: [Double]
    /// The standard error of each `recall` as a mean over this split's users: how far another
    /// draw of as many test users would move it, so that a reader of one figure knows its
    /// precision (two models scored on the same users differ by less noise than this, since
    /// their users' recalls move together). 0 with fewer than two users; empty in metrics
    /// stored before it.
    public var recallStandardError: [Double]

    public init(sums: MetricSums, ks: [Int]) {
        let n = Double(max(sums.users, 1))
        users = sums.users
        self.ks = ks
        recall = sums.recall.map { $0 / n }
        precision = sums.precision.map { $0 / n }
        ndcg = sums.ndcg.map { $0 / n }
        hitRate = sums.hitRate.map { $0 / n }
        recallStandardError = zip(sums.recall, sums.recallSquares).map { sum, squares in
            guard sums.users > 1 else { return 0 }
            let mean = sum / n
            let variance = max(squares / n - mean * mean, 0) * n / (n - 1)
            return (variance / n).squareRoot()
        }
    }

    private enum CodingKeys: String, CodingKey { case users, ks, recall, precision, ndcg, hitRate, recallStandardError }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decode(Int.self, forKey: .users)
        ks = try c.decode([Int].self, forKey: .ks)
        recall = try c.decode([Double].self, forKey: .recall)
        precision = try c.decode([Double].self, forKey: .precision)
        ndcg = try c.decode([Double].self, forKey: .ndcg)
        hitRate = try c.decode([Double].self, forKey: .hitRate)
        recallStandardError = try c.decodeIfPresent([Double].self, forKey: .recallStandardError) ?? []
    }

    /// The standard error of recall@K, if K was evaluated (and the metrics carry it).
    public func recallStandardError(at k: Int) -> Double? {
        guard let i = ks.firstIndex(of: k), i < recallStandardError.count else { return nil }
        return recallStandardError[i]
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

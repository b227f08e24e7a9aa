import Foundation

/// What a sweep maximises: validation recall@K of one split, or a weighted mix of the warm,
/// cold-user and cold-item validation splits.
///
/// Splits without users (a split the data has none of) are left out and the remaining weights
/// renormalised, so a mix stays a weighted mean of what could be measured.
public struct SweepObjective: Sendable, Equatable {
    /// Test-split names ("warm", "cold_user", "cold_item") with their weights, in that order.
    public var weights: [(split: String, weight: Double)]
    public var k: Int

    public static let splits = EvaluationSplit.test.map(\.rawValue)

    public init(weights: [(split: String, weight: Double)], k: Int = 20) {
        self.weights = weights
        self.k = k
    }

    /// The three splits weighted equally (the trainer's own model-selection score).
    public static let mean = SweepObjective(weights: splits.map { ($0, 1.0) })

    public static func == (a: SweepObjective, b: SweepObjective) -> Bool {
        a.k == b.k && a.weights.map(\.split) == b.weights.map(\.split) && a.weights.map(\.weight) == b.weights.map(\.weight)
    }

    /// Validation recall@K per test-split name, for the splits of `report` that have users.
    public func recalls(_ report: EvaluationReport) -> [String: Double] {
        var out: [String: Double] = [:]
        for split in SweepObjective.splits {
            if let m = report["validation_" + split], m.users > 0, let r = m.recall(at: k), r.isFinite { out[split] = r }
        }
        return out
    }

    /// The objective of per-split recalls (nil when no weighted split was measured).
    public func value(recalls: [String: Double]) -> Double? {
        var sum = 0.0, total = 0.0
        for (split, w) in weights where w > 0 {
            guard let r = recalls[split] else { continue }
            sum += w * r
            total += w
        }
        return total > 0 ? sum / total : nil
    }

    public func value(_ report: EvaluationReport) -> Double? { value(recalls: recalls(report)) }

    /// "recall@20 of cold_item" or "recall@20 of 0.5·warm + 0.5·cold_item".
    public var description: String {
        let used = weights.filter { $0.weight > 0 }
        if used.count == 1 { return "validation recall@\(k) of \(used[0].split)" }
        return "validation recall@\(k) of " + used.map { "\(SweepParameter.text($0.weight))·\($0.split)" }.joined(separator: " + ")
    }
}

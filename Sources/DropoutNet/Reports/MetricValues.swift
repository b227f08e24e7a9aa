/// One split's metrics as reports print them: `{"users": n, "recall@20": x, "ndcg@20": x, …}`,
/// with `recall_se@K` the standard error of `recall@K` over the split's users.
/// A value that is not a finite number is `null` (DESIGN §10); a split with no users is not a
/// `MetricValues` at all but `null` where it would be.
public struct MetricValues: Codable, Equatable, Sendable {
    public var users: Int
    /// "metric@K" → value; nil for a value that was not finite.
    public var values: [String: Double?]

    public init(users: Int, values: [String: Double?]) {
        self.users = users
        self.values = values
    }

    public init(_ m: SplitMetrics) {
        users = m.users
        values = Dictionary(m.flat.map { ($0.0, $0.1.isFinite ? $0.1 : nil) }, uniquingKeysWith: { _, last in last })
        for k in m.ks { if let se = m.recallStandardError(at: k) { values["recall_se@\(k)"] = se.isFinite ? se : nil } }
    }

    /// `nil` (printed as null) for a split with no users.
    public static func of(_ m: SplitMetrics?) -> MetricValues? { m.map(MetricValues.init) }

    /// The three test splits of a report, each present as a key (null when it has no users).
    public static func testSplits(of report: EvaluationReport) -> [String: MetricValues?] {
        var out: [String: MetricValues?] = [:]
        for split in EvaluationSplit.test.map(\.rawValue) { out[split] = .some(of(report[split])) }
        return out
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: DynamicCodingKey.self)
        try c.encode(users, forKey: DynamicCodingKey("users"))
        for (key, value) in values { try c.encodeNumber(value, forKey: DynamicCodingKey(key)) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicCodingKey.self)
        users = try c.decode(Int.self, forKey: DynamicCodingKey("users"))
        values = [:]
        for key in c.allKeys where key.stringValue != "users" {
            values[key.stringValue] = .some(try c.decodeIfPresent(Double.self, forKey: key))
        }
    }
}

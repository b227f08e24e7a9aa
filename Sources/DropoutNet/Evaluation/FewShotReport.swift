/// The few-shot curve: metrics of the cold-user test users with k interactions revealed, for
/// each k (nil for a k no user has more than k held-out items for).
public struct FewShotReport: Sendable, Equatable {
    /// The k values, in order.
    public var counts: [Int]
    public var metrics: [Int: SplitMetrics?]
    /// How the revealed interactions became a preference input ("stats", "wmf" or "id").
    public var preference: String

    public init(counts: [Int] = [], metrics: [Int: SplitMetrics?] = [:], preference: String = "") {
        self.counts = counts
        self.metrics = metrics
        self.preference = preference
    }

    public subscript(k: Int) -> SplitMetrics? { metrics[k] ?? nil }
}

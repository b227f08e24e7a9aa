/// One evaluation split as the evaluator needs it: which users, their held-out items, what to
/// mask and which items compete (DESIGN §5).
///
/// Kept independent of how the data was loaded so the same code evaluates the warm, cold-user,
/// cold-item, validation and few-shot splits and the baselines.
public struct EvaluationTarget: Sendable {
    public var name: String
    /// Users evaluated; each has at least one held-out item.
    public var users: [Int32]
    /// Held-out items of users[i]: `heldOutItems[heldOutOffsets[i] ..< heldOutOffsets[i + 1]]`, sorted.
    public var heldOutOffsets: [Int]
    public var heldOutItems: [Int32]
    /// Items never recommended to users[i] (their training positives in the warm split), same layout.
    public var excludeOffsets: [Int]
    public var excludeItems: [Int32]
    /// The competing items; nil means every item.
    public var candidates: [Int32]?

    /// Builds from per-user lists; users with no held-out item are dropped.
    public init(name: String, heldOut: [Int32: [Int32]], exclude: [Int32: [Int32]] = [:], candidates: [Int32]?) {
        self.name = name
        self.candidates = candidates
        let ordered = heldOut.keys.sorted().filter { !(heldOut[$0]?.isEmpty ?? true) }
        users = ordered
        heldOutOffsets = [0]
        heldOutItems = []
        excludeOffsets = [0]
        excludeItems = []
        for u in ordered {
            heldOutItems.append(contentsOf: Set(heldOut[u]!).sorted())
            heldOutOffsets.append(heldOutItems.count)
            excludeItems.append(contentsOf: Set(exclude[u] ?? []).sorted())
            excludeOffsets.append(excludeItems.count)
        }
    }

    /// Builds from interaction-parallel arrays of (user, item) pairs (the split's held-out positives)
    /// and an optional per-user exclusion lookup.
    public init(name: String, users heldOutUsers: [Int32], items heldOutItemsByPair: [Int32],
                exclude: ((Int32) -> [Int32])? = nil, candidates: [Int32]?) {
        var byUser: [Int32: [Int32]] = [:]
        for (u, i) in zip(heldOutUsers, heldOutItemsByPair) { byUser[u, default: []].append(i) }
        var ex: [Int32: [Int32]] = [:]
        if let exclude { for u in byUser.keys { ex[u] = exclude(u) } }
        self.init(name: name, heldOut: byUser, exclude: ex, candidates: candidates)
    }

    public var userCount: Int { users.count }

    public func heldOut(ofUserAt i: Int) -> ArraySlice<Int32> { heldOutItems[heldOutOffsets[i]..<heldOutOffsets[i + 1]] }
    public func excluded(ofUserAt i: Int) -> ArraySlice<Int32> { excludeItems[excludeOffsets[i]..<excludeOffsets[i + 1]] }
}

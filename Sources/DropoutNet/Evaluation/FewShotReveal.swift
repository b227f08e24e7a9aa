import Numerics

/// One point of the few-shot curve (DESIGN §5): cold-user test users reveal `k` of their
/// held-out items; the model sees a preference built from those alone and is evaluated on the
/// rest, among the cold-user candidates, with the revealed ones masked.
///
/// Users evaluated are those with more than max(k, `minimumHeldOut`) held-out items. The curve
/// passes the largest k as `minimumHeldOut`, so every point scores the same users and moves
/// only by what the revealed interactions add (otherwise the users with many items, whose
/// recall@K is lower by construction, would enter only the later points).
///
/// Which items a user reveals is a seeded shuffle of that user's held-out items, independent of
/// `k`, so the revealed sets are nested (k = 2 reveals k = 1's item and one more). With k = 0
/// the target is the cold-user test split restricted to those users (all of them when
/// `minimumHeldOut` is 0).
public struct FewShotReveal: Sendable {
    /// The reveal seed used unless one is given: fixed, so runs with different training seeds
    /// are scored on the same reveals.
    public static let defaultSeed: UInt64 = 0xF3_5407
    /// The curve's points.
    public static let defaultCounts = [0, 1, 2, 5, 10]

    public let k: Int
    /// Users evaluated, ascending; row i of the target (and of the user embeddings) is users[i].
    public let users: [Int32]
    /// The k revealed items of users[i] are `revealed[i * k ..< (i + 1) * k]`.
    public let revealed: [Int32]
    /// Held-out = the unrevealed items, exclude = the revealed ones; users renumbered 0..<n.
    public let target: EvaluationTarget

    /// - Parameter maxUsers: at most this many users (a seeded draw among those eligible, the
    ///   same for every k of one seed); 0: all of them.
    public init(data: TrainingData, k: Int, minimumHeldOut: Int? = nil, maxUsers: Int = 0, seed: UInt64 = FewShotReveal.defaultSeed,
                split: EvaluationSplit = .coldUser) {
        precondition(k >= 0, "k must be at least 0")
        self.k = k
        let lists = data.heldOut[split]!
        let root = SplitMix64(seed: seed)
        var users: [Int32] = [], revealed: [Int32] = []
        var heldOut: [Int32: [Int32]] = [:], exclude: [Int32: [Int32]] = [:]
        let floor = max(minimumHeldOut ?? 0, k)
        for u in FewShotReveal.draw(lists.nonEmptyRows.filter { lists.count(Int($0)) > floor }, maxUsers, root) {
            var items = Array(lists[Int(u)])
            var rng = root.split(UInt64(u))
            items.shuffle(using: &rng)
            let local = Int32(users.count)
            users.append(u)
            revealed += items[..<k]
            exclude[local] = Array(items[..<k])
            heldOut[local] = Array(items[k...])
        }
        self.users = users
        self.revealed = revealed
        target = EvaluationTarget(name: "few_shot_\(k)", heldOut: heldOut, exclude: exclude, candidates: data.candidates[split]!)
    }

    public func revealed(ofUserAt i: Int) -> ArraySlice<Int32> { revealed[i * k ..< (i + 1) * k] }

    /// `maxUsers` of the ascending `eligible` users, ascending (a partial Fisher–Yates draw from
    /// a stream of its own, so each user's reveal order is the same drawn or not); all when
    /// there are no more than that, or `maxUsers` is 0.
    static func draw(_ eligible: [Int32], _ maxUsers: Int, _ root: SplitMix64) -> [Int32] {
        guard maxUsers > 0, eligible.count > maxUsers else { return eligible }
        var picks = eligible
        var rng = root.split(0xD1A3_5EED)
        for i in 0..<maxUsers { picks.swapAt(i, i + rng.nextInt(below: picks.count - i)) }
        return picks[..<maxUsers].sorted()
    }
}

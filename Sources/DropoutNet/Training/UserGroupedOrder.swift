import Numerics

/// The epoch order of `batching = grouped`: the training rows as whole per-user groups, so a
/// batch holds a user's positives together with the same user's shown-not-clicked rows and the
/// hard-negative pairwise loss (pairs of one user, DESIGN §4.6) finds real pairs. Uniformly
/// shuffled rows almost never put two rows of one user in the same batch.
///
/// Each user's rows form a segment: its positives, then its label-0 rows. A segment of n rows is
/// dealt into c = ⌈n / cap⌉ groups by stride — group j takes the segment's rows j, j + c, j + 2c, …
/// — so no group exceeds `cap` rows (one heavy user cannot fill a batch, and a batch spans at
/// least B / cap users) and every group gets its share of both labels. Per epoch both runs of
/// every segment are reshuffled, the groups are put in a fresh random order and written out one
/// after another: a permutation of all rows, each row once. Everything is sized at construction;
/// `fill` allocates nothing.
struct UserGroupedOrder {
    let cap: Int
    /// Row indices by user: each user's positives, then its label-0 rows.
    private var rows: [Int32]
    /// Segment s is `rows[segmentStart[s] ..< segmentStart[s + 1]]`; its label-0 rows start at
    /// `negativeStart[s]`.
    private let segmentStart: [Int]
    private let negativeStart: [Int]
    /// The groups, shuffled per epoch: group g is the `groupIndex[g]`-th of segment
    /// `groupSegment[g]`'s c groups.
    private var groups: [Int32]
    private let groupSegment: [Int32]
    private let groupIndex: [Int32]

    /// The rows' users (ids ≥ 0) and labels (> 0: positive).
    init(users: [Int32], labels: [UInt8], cap: Int) {
        precondition(cap >= 1 && users.count == labels.count)
        self.cap = cap
        let userCount = Int(users.max() ?? -1) + 1
        var positives = [Int](repeating: 0, count: userCount), totals = [Int](repeating: 0, count: userCount)
        for (k, u) in users.enumerated() {
            totals[Int(u)] += 1
            if labels[k] > 0 { positives[Int(u)] += 1 }
        }
        var starts: [Int] = [], negatives: [Int] = []
        var userSegment = [Int](repeating: -1, count: userCount)
        var offset = 0
        for u in 0..<userCount where totals[u] > 0 {
            userSegment[u] = starts.count
            starts.append(offset)
            negatives.append(offset + positives[u])
            offset += totals[u]
        }
        starts.append(offset)
        // Place each row: positives from the segment's start, label-0 rows from its middle.
        var nextPositive = starts.dropLast().map { $0 }, nextNegative = negatives
        var placed = [Int32](repeating: 0, count: users.count)
        for (k, u) in users.enumerated() {
            let s = userSegment[Int(u)]
            if labels[k] > 0 { placed[nextPositive[s]] = Int32(k); nextPositive[s] += 1 }
            else { placed[nextNegative[s]] = Int32(k); nextNegative[s] += 1 }
        }
        rows = placed
        segmentStart = starts
        negativeStart = negatives
        var segmentOf: [Int32] = [], indexOf: [Int32] = []
        for s in 0..<negatives.count {
            let c = UserGroupedOrder.groupCount(rows: starts[s + 1] - starts[s], cap: cap)
            for j in 0..<c { segmentOf.append(Int32(s)); indexOf.append(Int32(j)) }
        }
        groupSegment = segmentOf
        groupIndex = indexOf
        groups = (0..<Int32(segmentOf.count)).map { $0 }
    }

    /// Groups a segment of `rows` rows is dealt into.
    static func groupCount(rows: Int, cap: Int) -> Int { (rows + cap - 1) / cap }

    /// Number of groups (≥ the number of users with rows).
    var groupCount: Int { groups.count }

    /// Writes a fresh epoch's order (every row index once) into `order` (capacity: all rows).
    mutating func fill(_ order: UnsafeMutableBufferPointer<Int32>, rng: inout SplitMix64) {
        precondition(order.count == rows.count)
        for s in 0..<negativeStart.count {
            rows.shuffle(segmentStart[s] ..< negativeStart[s], rng: &rng)
            rows.shuffle(negativeStart[s] ..< segmentStart[s + 1], rng: &rng)
        }
        groups.shuffle(0 ..< groups.count, rng: &rng)
        var k = 0
        rows.withUnsafeBufferPointer { r in
            for g in groups {
                let s = Int(groupSegment[Int(g)]), j = Int(groupIndex[Int(g)])
                let start = segmentStart[s], end = segmentStart[s + 1]
                let c = UserGroupedOrder.groupCount(rows: end - start, cap: cap)
                var t = start + j
                while t < end { order[k] = r[t]; k += 1; t += c }
            }
        }
    }
}

extension Array where Element == Int32 {
    /// Fisher–Yates over `range` in place. Swaps through a pointer: the standard library's
    /// `swapAt`, unspecialised in a debug build, allocates on every call there.
    mutating func shuffle(_ range: Range<Int>, rng: inout SplitMix64) {
        withUnsafeMutableBufferPointer { a in
            var i = range.upperBound - 1
            while i > range.lowerBound {
                let j = range.lowerBound + rng.nextInt(below: i - range.lowerBound + 1)
                let t = a[i]; a[i] = a[j]; a[j] = t
                i -= 1
            }
        }
    }
}

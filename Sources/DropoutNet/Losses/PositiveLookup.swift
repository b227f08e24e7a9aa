/// "Is `item` a known positive of `user`?" — what the false-negative mask asks for each rolled
/// negative (DESIGN §4.4, `negatives.mask_false`).
public protocol PositiveLookup {
    func isPositive(user: Int32, item: Int32) -> Bool
}

/// Any closure as a lookup (tests, or a trainer with its own index).
public struct PositiveLookupClosure: PositiveLookup {
    public let body: (Int32, Int32) -> Bool
    public init(_ body: @escaping (Int32, Int32) -> Bool) { self.body = body }
    public func isPositive(user: Int32, item: Int32) -> Bool { body(user, item) }
}

/// Each user's positive items, sorted, in one CSR array: a lookup is a binary search over that
/// user's items, so the mask costs O(log n_u) per negative and no hashing.
public struct SortedUserPositives: PositiveLookup, Sendable {
    /// Items of user u are `items[rowPointers[u] ..< rowPointers[u + 1]]`, ascending.
    public let rowPointers: [Int]
    public let items: [Int32]

    /// Collects the positives (label > 0) among `interactions` (indices into the arrays).
    public init(userCount: Int, users: [Int32], items: [Int32], labels: [UInt8], interactions: [Int32]) {
        var counts = [Int](repeating: 0, count: userCount + 1)
        for i in interactions where labels[Int(i)] > 0 {
            let u = Int(users[Int(i)])
            if u >= 0 && u < userCount { counts[u + 1] += 1 }
        }
        for u in 0..<userCount { counts[u + 1] += counts[u] }
        var fill = counts
        var flat = [Int32](repeating: 0, count: counts[userCount])
        for i in interactions where labels[Int(i)] > 0 {
            let u = Int(users[Int(i)])
            if u >= 0 && u < userCount { flat[fill[u]] = items[Int(i)]; fill[u] += 1 }
        }
        for u in 0..<userCount { flat[counts[u]..<counts[u + 1]].sort() }
        rowPointers = counts
        self.items = flat
    }

    /// The training positives of `dataset` restricted to `interactions` (e.g. `split.train`).
    public init(dataset: Dataset, interactions: [Int32]) {
        self.init(userCount: dataset.userCount, users: dataset.users, items: dataset.items,
                  labels: dataset.labels, interactions: interactions)
    }

    public func isPositive(user: Int32, item: Int32) -> Bool {
        let u = Int(user)
        guard u >= 0 && u + 1 < rowPointers.count else { return false }
        var lo = rowPointers[u], hi = rowPointers[u + 1]
        while lo < hi {
            let mid = (lo + hi) >> 1
            let v = items[mid]
            if v == item { return true }
            if v < item { lo = mid + 1 } else { hi = mid }
        }
        return false
    }
}

import Numerics

/// One item of a user's ranking.
public struct RankedItem: Sendable, Equatable {
    public var item: Int
    /// The model's score (dot product of the unit-norm embeddings, i.e. cosine).
    public var score: Float
    /// The item is among the user's held-out positives (test or validation).
    public var hit: Bool

    public init(item: Int, score: Float, hit: Bool) {
        self.item = item; self.score = score; self.hit = hit
    }
}

/// One user of an item's ranking ("which users would get this item?").
public struct RankedUser: Sendable, Equatable {
    public var user: Int
    public var score: Float
    /// The user actually interacted with the item in the held-out data (test or validation).
    public var hit: Bool

    public init(user: Int, score: Float, hit: Bool) {
        self.user = user; self.score = score; self.hit = hit
    }
}

/// The explorer's questions (DESIGN §6), as pure functions of the data and a model's user and
/// item embeddings (one row per user / item, as `embedAllUsers` / `embedAllItems` return them).
/// The workbench's Explore screen and `dropoutnet recommend` both ask them.
///
/// Rankings score one vector against every row and keep the best `k` by partial selection
/// (`TopK`), never a full sort: ties go to the lower index, so answers are deterministic.
public enum ExplorerQueries {
    /// The `k` best items for `user`, best first. Items the user has as training positives are
    /// left out (a warm user should be shown something new; a cold user has none); `candidates`
    /// restricts the ranking (nil: every item). Hits are the user's held-out positives.
    public static func topItems(forUser user: Int, data: TrainingData, userEmbeddings users: Matrix,
                                itemEmbeddings items: Matrix, k: Int, candidates: [Int32]? = nil) -> [RankedItem] {
        precondition(users.cols == items.cols, "user and item embeddings differ in width")
        var scores = scoreRows(of: items, against: users.row(user), candidates: candidates)
        if user < data.trainPositives.rows {
            for i in data.trainPositives[user] { scores[Int(i)] = -.infinity }
        }
        let held = Set(heldOutItems(ofUser: user, data: data))
        return select(scores, k: k).map { RankedItem(item: $0.index, score: $0.score, hit: held.contains(Int32($0.index))) }
    }

    /// The `k` users who would get `item` first (highest score), best first. Users who have it
    /// as a training positive are left out; `candidates` restricts the users (nil: every user).
    /// Hits are the users who have the item among their held-out positives.
    public static func topUsers(forItem item: Int, data: TrainingData, userEmbeddings users: Matrix,
                                itemEmbeddings items: Matrix, k: Int, candidates: [Int32]? = nil) -> [RankedUser] {
        precondition(users.cols == items.cols, "user and item embeddings differ in width")
        var scores = scoreRows(of: users, against: items.row(item), candidates: candidates)
        for u in 0..<min(users.rows, data.trainPositives.rows) where data.trainPositives.contains(u, Int32(item)) {
            scores[u] = -.infinity
        }
        let held = Set(heldOutUsers(ofItem: item, data: data))
        return select(scores, k: k).map { RankedUser(user: $0.index, score: $0.score, hit: held.contains(Int32($0.index))) }
    }

    /// Every held-out positive item of `user` (test and validation splits), ascending.
    public static func heldOutItems(ofUser user: Int, data: TrainingData) -> [Int32] {
        var out = Set<Int32>()
        for split in EvaluationSplit.allCases {
            if let lists = data.heldOut[split], user < lists.rows { out.formUnion(lists[user]) }
        }
        return out.sorted()
    }

    /// Every user with `item` among their held-out positives (test and validation), ascending.
    public static func heldOutUsers(ofItem item: Int, data: TrainingData) -> [Int32] {
        var out = Set<Int32>()
        for split in EvaluationSplit.allCases {
            guard let lists = data.heldOut[split] else { continue }
            for u in 0..<lists.rows where lists.contains(u, Int32(item)) { out.insert(Int32(u)) }
        }
        return out.sorted()
    }

    /// Held-out positive users per item (test and validation), one count per item: the item
    /// list's "n held out" column, in one pass over the held-out lists.
    public static func heldOutUserCounts(data: TrainingData) -> [Int] {
        var seen = Set<Int64>()
        var counts = [Int](repeating: 0, count: data.itemCount)
        for split in EvaluationSplit.allCases {
            guard let lists = data.heldOut[split] else { continue }
            for u in 0..<lists.rows {
                for i in lists[u] where seen.insert(Int64(u) << 32 | Int64(i)).inserted { counts[Int(i)] += 1 }
            }
        }
        return counts
    }

    /// "id title" for an item (just the id when the dataset has no titles).
    public static func itemLabel(_ item: Int, data: TrainingData) -> String {
        let id = data.dataset.itemIDs[item]
        if let title = data.dataset.itemContent.title(item), !title.isEmpty { return "\(id) \(title)" }
        return id
    }

    /// Dot products of `query` with each row of `rows`; rows outside `candidates` get −∞ (never
    /// selected).
    static func scoreRows(of rows: Matrix, against query: UnsafeMutablePointer<Float>, candidates: [Int32]?) -> [Float] {
        let width = rows.cols
        func dot(_ r: Int) -> Float {
            let v = rows.row(r)
            var s: Float = 0
            for d in 0..<width { s += query[d] * v[d] }
            return s
        }
        guard let candidates else { return (0..<rows.rows).map(dot) }
        var scores = [Float](repeating: -.infinity, count: rows.rows)
        for c in candidates where c >= 0 && Int(c) < rows.rows { scores[Int(c)] = dot(Int(c)) }
        return scores
    }

    /// The best `k` entries of `scores` (−∞ never), best first, ties by lower index.
    static func select(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        let k = max(0, min(k, scores.count))
        guard k > 0 else { return [] }
        var indices = [Int32](repeating: 0, count: k)
        var values = [Float](repeating: 0, count: k)
        let n = scores.withUnsafeBufferPointer { s in
            indices.withUnsafeMutableBufferPointer { ip in
                values.withUnsafeMutableBufferPointer { vp in
                    TopK.select(s.baseAddress!, count: s.count, k: k, indices: ip.baseAddress!, values: vp.baseAddress!)
                }
            }
        }
        return (0..<n).map { (Int(indices[$0]), values[$0]) }
    }
}

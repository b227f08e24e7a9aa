/// Per-row lists of ids in CSR form: row r's ids are `ids[offsets[r] ..< offsets[r + 1]]`,
/// sorted and distinct. Used for each user's training positives and held-out items.
public struct AdjacencyLists: Sendable, Equatable {
    public let offsets: [Int]
    public let ids: [Int32]

    public var rows: Int { offsets.count - 1 }
    /// Total ids over all rows.
    public var count: Int { ids.count }

    public init(offsets: [Int], ids: [Int32]) {
        precondition(offsets.first == 0 && offsets.last == ids.count, "offsets must span ids")
        self.offsets = offsets
        self.ids = ids
    }

    /// Groups `(row, id)` pairs into `rows` sorted, de-duplicated lists (counting sort by row).
    public init(rows: Int, pairs rowOf: [Int32], _ idOf: [Int32]) {
        precondition(rowOf.count == idOf.count)
        var counts = [Int](repeating: 0, count: rows + 1)
        for r in rowOf { counts[Int(r) + 1] += 1 }
        for r in 0..<rows { counts[r + 1] += counts[r] }
        var fill = counts
        var grouped = [Int32](repeating: 0, count: idOf.count)
        for (r, i) in zip(rowOf, idOf) { grouped[fill[Int(r)]] = i; fill[Int(r)] += 1 }
        var offsets = [0]
        offsets.reserveCapacity(rows + 1)
        var ids: [Int32] = []
        ids.reserveCapacity(grouped.count)
        for r in 0..<rows {
            let slice = grouped[counts[r]..<counts[r + 1]].sorted()
            var last: Int32 = -1
            for i in slice where i != last { ids.append(i); last = i }
            offsets.append(ids.count)
        }
        self.init(offsets: offsets, ids: ids)
    }

    public subscript(row: Int) -> ArraySlice<Int32> { ids[offsets[row]..<offsets[row + 1]] }

    public func count(_ row: Int) -> Int { offsets[row + 1] - offsets[row] }

    /// Rows with at least one id.
    public var nonEmptyRows: [Int32] { (0..<rows).filter { offsets[$0 + 1] > offsets[$0] }.map(Int32.init) }

    /// Whether `id` is in row `row` (binary search).
    public func contains(_ row: Int, _ id: Int32) -> Bool {
        var lo = offsets[row], hi = offsets[row + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else if ids[mid] > id { hi = mid } else { return true }
        }
        return false
    }
}

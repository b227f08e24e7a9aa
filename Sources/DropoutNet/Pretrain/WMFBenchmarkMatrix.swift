import Foundation
import Numerics

/// The seeded, popularity-skewed user × item matrix `bench wmf` times ALS on (50k × 20k × 1M by
/// default), and its plain binary export so another implementation can be timed on exactly
/// the same entries.
///
/// Item popularity follows a Zipf-like law (weight ∝ (rank + 1)^−0.8) and user activity a
/// flatter one ((rank + 10)^−0.6), over randomly permuted ids, so row lengths span a few
/// entries to a few thousand as in real click data, and heavy rows are not clustered.
public enum WMFBenchmarkMatrix {
    public static func generate(users: Int = 50_000, items: Int = 20_000, nonZeros: Int = 1_000_000,
                                seed: UInt64 = 1) -> SparseMatrix {
        precondition(users > 0 && items > 0 && nonZeros >= 0)
        var rng = SplitMix64(seed: seed)
        let maxPerUser = max(1, items / 4)
        let target = min(nonZeros, users * maxPerUser)

        // Per-user counts proportional to activity weights, summing exactly to `target`.
        let userRank = permutation(users, &rng)
        let activity = (0..<users).map { 1 / pow(Double(userRank[$0] + 10), 0.6) }
        let totalActivity = activity.reduce(0, +)
        var counts = activity.map { min(maxPerUser, Int(Double(target) * $0 / totalActivity)) }
        // The rounding remainder goes one each to the most active users first.
        var byRank = [Int](repeating: 0, count: users)
        for user in 0..<users { byRank[userRank[user]] = user }
        var missing = target - counts.reduce(0, +)
        var r = 0
        while missing > 0 {
            let user = byRank[r % users]
            if counts[user] < maxPerUser { counts[user] += 1; missing -= 1 }
            r += 1
        }

        // Item sampling by binary search on the cumulative popularity.
        let itemRank = permutation(items, &rng)
        var cumulative = [Double](repeating: 0, count: items)
        var acc = 0.0
        for i in 0..<items {
            acc += 1 / pow(Double(itemRank[i] + 1), 0.8)
            cumulative[i] = acc
        }
        var lastUser = [Int32](repeating: -1, count: items)
        var pointers = [0]
        pointers.reserveCapacity(users + 1)
        var columns: [Int32] = []
        columns.reserveCapacity(target)
        for user in 0..<users {
            var row: [Int32] = []
            row.reserveCapacity(counts[user])
            while row.count < counts[user] {
                let x = rng.nextDouble() * acc
                var lo = 0, hi = items - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
                }
                if lastUser[lo] == Int32(user) { continue }
                lastUser[lo] = Int32(user)
                row.append(Int32(lo))
            }
            row.sort()
            columns.append(contentsOf: row)
            pointers.append(columns.count)
        }
        return SparseMatrix(rows: users, cols: items, rowPointers: pointers, columnIndices: columns,
                            values: [Float](repeating: 1, count: columns.count))
    }

    private static func permutation(_ n: Int, _ rng: inout SplitMix64) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, rng.nextInt(below: i + 1)) }
        return p
    }

    /// Writes `m` as: "DNCSR\0\0\0", i64 rows, i64 cols, i64 nnz, i64 row pointers (rows + 1),
    /// i32 column indices (nnz), f32 values (nnz), all little-endian (numpy reads it with
    /// `frombuffer`).
    public static func export(_ m: SparseMatrix, to url: URL) throws {
        var d = Data(Array("DNCSR".utf8) + [0, 0, 0])
        func put<T: FixedWidthInteger>(_ v: T) { var le = v.littleEndian; withUnsafeBytes(of: &le) { d.append(contentsOf: $0) } }
        put(Int64(m.rows)); put(Int64(m.cols)); put(Int64(m.nonZeroCount))
        for p in m.rowPointers { put(Int64(p)) }
        for c in m.columnIndices { put(c) }
        for v in m.values { put(v.bitPattern) }
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try d.write(to: tmp)
        guard rename(tmp.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}

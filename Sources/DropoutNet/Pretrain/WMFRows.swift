import Numerics

/// One side's observed entries as raw CSR buffers: row r's entries (column, r value) for the
/// ALS half-step that solves the rows.
///
/// Copied out of `SparseMatrix`'s arrays once per fit so the inner loops index plain pointers
/// (no bounds checks or retain traffic in the per-entry loops).
final class WMFRows: @unchecked Sendable {
    let rows: Int
    let cols: Int
    let pointers: UnsafeMutableBufferPointer<Int>
    let columns: UnsafeMutableBufferPointer<Int32>
    let values: UnsafeMutableBufferPointer<Float>

    init(_ m: SparseMatrix) {
        rows = m.rows
        cols = m.cols
        pointers = .allocate(capacity: m.rowPointers.count)
        _ = pointers.initialize(from: m.rowPointers)
        columns = .allocate(capacity: max(m.columnIndices.count, 1))
        _ = columns.initialize(from: m.columnIndices)
        values = .allocate(capacity: max(m.values.count, 1))
        _ = values.initialize(from: m.values)
    }

    /// The rows of mᵀ (item × user from user × item) built straight into the buffers, so a fit
    /// holds no intermediate transposed `SparseMatrix`; a counting sort, O(nnz + rows + cols).
    init(transposing m: SparseMatrix) {
        rows = m.cols
        cols = m.rows
        pointers = .allocate(capacity: m.cols + 1)
        pointers.initialize(repeating: 0)
        for c in m.columnIndices { pointers[Int(c) + 1] += 1 }
        for c in 0..<m.cols { pointers[c + 1] += pointers[c] }
        columns = .allocate(capacity: max(m.nonZeroCount, 1))
        values = .allocate(capacity: max(m.nonZeroCount, 1))
        var next = Array(pointers.dropLast())
        for r in 0..<m.rows {
            for e in m.rowPointers[r]..<m.rowPointers[r + 1] {
                let c = Int(m.columnIndices[e])
                columns[next[c]] = Int32(r)
                values[next[c]] = m.values[e]
                next[c] += 1
            }
        }
    }

    deinit {
        pointers.deallocate()
        columns.deallocate()
        values.deallocate()
    }

    @inline(__always) func range(_ r: Int) -> Range<Int> { pointers[r]..<pointers[r + 1] }

    var maxRowLength: Int {
        var m = 0
        for r in 0..<rows { m = max(m, pointers[r + 1] - pointers[r]) }
        return m
    }
}

extension WMF {
    /// The transpose of a CSR matrix (item × user from user × item), entries sorted by column
    /// within each row; a counting sort, O(nnz + rows + cols).
    public static func transpose(_ m: SparseMatrix) -> SparseMatrix {
        var counts = [Int](repeating: 0, count: m.cols + 1)
        for c in m.columnIndices { counts[Int(c) + 1] += 1 }
        for c in 0..<m.cols { counts[c + 1] += counts[c] }
        let pointers = counts
        var next = counts
        var idx = [Int32](repeating: 0, count: m.nonZeroCount)
        var val = [Float](repeating: 0, count: m.nonZeroCount)
        for r in 0..<m.rows {
            for e in m.rowPointers[r]..<m.rowPointers[r + 1] {
                let c = Int(m.columnIndices[e])
                idx[next[c]] = Int32(r)
                val[next[c]] = m.values[e]
                next[c] += 1
            }
        }
        return SparseMatrix(rows: m.cols, cols: m.rows, rowPointers: pointers, columnIndices: idx, values: val)
    }

    /// The user × item matrix of training positives that WMF factorises, from parallel
    /// interaction arrays (e.g. a split's training positives). Duplicate (user, item) pairs are
    /// summed, so repeated clicks raise the confidence 1 + α·r. `values` defaults to 1 each.
    ///
    /// Throws `WMFError.invalidInput` for an id outside the given counts or a negative or
    /// non-finite value (a negative r would make the confidence, and the solve, meaningless).
    public static func preferenceMatrix(users: [Int32], items: [Int32], values: [Float]? = nil,
                                        userCount: Int, itemCount: Int) throws -> SparseMatrix {
        guard users.count == items.count, values.map({ $0.count == users.count }) ?? true else {
            throw WMFError.invalidInput("users, items and values differ in length")
        }
        var counts = [Int](repeating: 0, count: userCount + 1)
        for (n, u) in users.enumerated() {
            guard u >= 0 && Int(u) < userCount else {
                throw WMFError.invalidInput("interaction \(n): user index \(u) outside 0..<\(userCount)")
            }
            let i = items[n]
            guard i >= 0 && Int(i) < itemCount else {
                throw WMFError.invalidInput("interaction \(n): item index \(i) outside 0..<\(itemCount)")
            }
            if let v = values?[n], !(v >= 0 && v.isFinite) {
                throw WMFError.invalidInput("interaction \(n): value \(v) is not a finite number ≥ 0")
            }
            counts[Int(u) + 1] += 1
        }
        for u in 0..<userCount { counts[u + 1] += counts[u] }
        var next = counts
        var idx = [Int32](repeating: 0, count: users.count)
        var val = [Float](repeating: 1, count: users.count)
        for n in 0..<users.count {
            let u = Int(users[n])
            idx[next[u]] = items[n]
            if let values { val[next[u]] = values[n] }
            next[u] += 1
        }
        // Sort each row by item and merge duplicates.
        var outPtr = [Int](repeating: 0, count: userCount + 1)
        var outIdx: [Int32] = []
        var outVal: [Float] = []
        outIdx.reserveCapacity(users.count)
        outVal.reserveCapacity(users.count)
        var order: [Int] = []
        for u in 0..<userCount {
            let lo = counts[u], hi = counts[u + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: lo..<hi)
            order.sort { idx[$0] < idx[$1] || (idx[$0] == idx[$1] && $0 < $1) }
            for e in order {
                if let last = outIdx.last, outIdx.count > outPtr[u], last == idx[e] {
                    outVal[outVal.count - 1] += val[e]
                } else {
                    outIdx.append(idx[e])
                    outVal.append(val[e])
                }
            }
            outPtr[u + 1] = outIdx.count
        }
        return SparseMatrix(rows: userCount, cols: itemCount, rowPointers: outPtr, columnIndices: outIdx, values: outVal)
    }

    /// The training positives of `split` in `dataset` (label 1, value = the interaction weight).
    public static func preferenceMatrix(dataset: Dataset, split: Split) throws -> SparseMatrix {
        var users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        for t in split.train {
            let n = Int(t)
            guard n >= 0 && n < dataset.interactionCount else {
                throw WMFError.invalidInput("split refers to interaction \(n), dataset has \(dataset.interactionCount)")
            }
            guard dataset.labels[n] > 0 else { continue }
            users.append(dataset.users[n])
            items.append(dataset.items[n])
            values.append(dataset.weights[n])
        }
        return try preferenceMatrix(users: users, items: items, values: values,
                                    userCount: dataset.userCount, itemCount: dataset.itemCount)
    }
}

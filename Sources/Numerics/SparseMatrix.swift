/// A compressed-sparse-row matrix of Float32: the multi-hot and tf-idf content inputs.
///
/// Immutable after construction; rows are the entities (users or items), columns features.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// `rowPointers[r] ..< rowPointers[r + 1]` indexes row r's entries; `rows + 1` values.
    public let rowPointers: [Int]
    public let columnIndices: [Int32]
    public let values: [Float]

    public var nonZeroCount: Int { values.count }

    public init(rows: Int, cols: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rowPointers.count == rows + 1, "CSR needs rows + 1 row pointers")
        precondition(columnIndices.count == values.count, "CSR index/value count mismatch")
        self.rows = rows
        self.cols = cols
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// An all-zero matrix (a side with no sparse features still has the right row count).
    public static func empty(rows: Int, cols: Int = 0) -> SparseMatrix {
        SparseMatrix(rows: rows, cols: cols, rowPointers: Array(repeating: 0, count: rows + 1), columnIndices: [], values: [])
    }

    /// Builds from per-row (column, value) lists; duplicate columns in a row are summed.
    public init(rows: Int, cols: Int, entries: [[(Int, Float)]]) {
        precondition(entries.count == rows)
        var ptr = [0]
        ptr.reserveCapacity(rows + 1)
        var idx: [Int32] = []
        var val: [Float] = []
        for rowEntries in entries {
            let sorted = rowEntries.sorted { $0.0 < $1.0 }
            var i = 0
            while i < sorted.count {
                var j = i
                var sum: Float = 0
                while j < sorted.count && sorted[j].0 == sorted[i].0 { sum += sorted[j].1; j += 1 }
                precondition(sorted[i].0 >= 0 && sorted[i].0 < cols, "column \(sorted[i].0) outside 0..<\(cols)")
                idx.append(Int32(sorted[i].0))
                val.append(sum)
                i = j
            }
            ptr.append(idx.count)
        }
        self.init(rows: rows, cols: cols, rowPointers: ptr, columnIndices: idx, values: val)
    }

    /// The sub-matrix made of the given rows, in order (a batch's sparse input).
    public func gatherRows(_ rowIndices: [Int]) -> SparseMatrix {
        var ptr = [0]
        ptr.reserveCapacity(rowIndices.count + 1)
        var idx: [Int32] = []
        var val: [Float] = []
        for r in rowIndices {
            let range = rowPointers[r]..<rowPointers[r + 1]
            idx.append(contentsOf: columnIndices[range])
            val.append(contentsOf: values[range])
            ptr.append(idx.count)
        }
        return SparseMatrix(rows: rowIndices.count, cols: cols, rowPointers: ptr, columnIndices: idx, values: val)
    }

    /// Dense copy (tests and small matrices only).
    public func toDense() -> Matrix {
        let m = Matrix(rows: rows, cols: cols)
        for r in 0..<rows {
            for e in rowPointers[r]..<rowPointers[r + 1] { m[r, Int(columnIndices[e])] += values[e] }
        }
        return m
    }
}

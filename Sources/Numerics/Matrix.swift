import Foundation

/// Owns the aligned memory behind one or more `Matrix` values.
public final class MatrixStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let capacity: Int

    init(capacity: Int) {
        let n = max(capacity, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: n)
        pointer.initialize(repeating: 0, count: n)
        self.capacity = n
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// A dense row-major Float32 matrix over shared, 64-byte aligned storage.
///
/// Reference semantics on purpose (like `UnsafeMutableBufferPointer`): training works on
/// preallocated buffers that layers fill in place, and a row-range view (`rows(_:)`) aliases its
/// parent. A view is a struct holding a retained storage reference, so making one allocates
/// nothing; copy-on-write would hide allocations in the hot loop. Use `copy()` for a deep copy.
public struct Matrix: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    /// First element; row `r` starts at `data + r * cols`.
    public let data: UnsafeMutablePointer<Float>
    /// Keeps the memory alive for as long as any view of it exists.
    public let storage: MatrixStorage

    public var count: Int { rows * cols }

    /// A zero-filled `rows × cols` matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = MatrixStorage(capacity: rows * cols)
        self.data = storage.pointer
    }

    /// A matrix holding `values` (row-major, `rows * cols` of them).
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "expected \(rows * cols) values, got \(values.count)")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A matrix from nested rows (tests and small literals).
    public init(_ rowsOfValues: [[Float]]) {
        let r = rowsOfValues.count
        let c = rowsOfValues.first?.count ?? 0
        self.init(rows: r, cols: c, values: rowsOfValues.flatMap { $0 })
    }

    private init(storage: MatrixStorage, data: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        self.data = data
        self.storage = storage
    }

    /// Rows `range` as a matrix sharing this one's storage (no copy).
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range \(range) outside 0..<\(rows)")
        return Matrix(storage: storage, data: data + range.lowerBound * cols, rows: range.count, cols: cols)
    }

    /// The same storage seen with another shape (rows * cols must match).
    public func reshaped(rows r: Int, cols c: Int) -> Matrix {
        precondition(r * c == count, "cannot reshape \(rows)x\(cols) to \(r)x\(c)")
        return Matrix(storage: storage, data: data, rows: r, cols: c)
    }

    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get { data[r * cols + c] }
        nonmutating set { data[r * cols + c] = newValue }
    }

    /// Pointer to the first element of row `r`.
    @inlinable
    public func row(_ r: Int) -> UnsafeMutablePointer<Float> { data + r * cols }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    public func fill(_ value: Float) { data.update(repeating: value, count: count) }
    public func zero() { fill(0) }

    /// Copies all values of `other` (same element count) into this matrix.
    public func copy(from other: Matrix) {
        precondition(other.count == count, "copy: \(other.rows)x\(other.cols) into \(rows)x\(cols)")
        data.update(from: other.data, count: count)
    }

    /// An owning deep copy.
    public func copy() -> Matrix {
        let m = Matrix(rows: rows, cols: cols)
        m.copy(from: self)
        return m
    }

    public func toArray() -> [Float] { Array(buffer) }
    public func rowArray(_ r: Int) -> [Float] { Array(UnsafeBufferPointer(start: row(r), count: cols)) }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        var s = "Matrix(\(rows)x\(cols))"
        for r in 0..<min(rows, 6) {
            s += "\n  " + (0..<min(cols, 8)).map { String(format: "%9.4f", Double(self[r, $0])) }.joined(separator: " ")
        }
        return s
    }
}

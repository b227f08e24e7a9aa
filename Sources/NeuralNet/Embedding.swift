import Numerics

/// A lookup table: row `id` of a `count × dim` matrix per input id.
///
/// The gradient is sparse: `backward` adds into the rows the batch used and records them once
/// each in `table.touchedRows`, so `Parameter.zeroGrad` and lazy optimizers touch only those rows
/// instead of the whole table. Ids must lie in 0..<count.
///
/// As a `Layer` the input is a one-column matrix of ids stored as floats (exact below 2²⁴);
/// `forward(ids:)` is the direct form. Ids have no gradient: `backward` returns an empty matrix.
public final class Embedding: Layer {
    public let count: Int
    public let dim: Int
    public var inputSize: Int { 1 }
    public var outputSize: Int { dim }
    public let table: Parameter
    public let parameters: [Parameter]

    private let outputBuffer: Matrix
    private let noGradInput = Matrix(rows: 0, cols: 1)
    private let ids: UnsafeMutableBufferPointer<Int32>
    private var batch = 0
    private var touched: TouchedRowRecorder

    public init(name: String = "embedding", count: Int, dim: Int, maxBatch: Int,
                initializer: WeightInit = .uniform(limit: 0.05), rng: inout SplitMix64) {
        precondition(count > 0 && dim > 0 && maxBatch > 0, "Embedding: sizes must be positive")
        self.count = count
        self.dim = dim
        table = Parameter(name: "\(name).table", rows: count, cols: dim, role: .embedding)
        initializer.fill(table.value, fanIn: count, fanOut: dim, rng: &rng)
        parameters = [table]
        outputBuffer = Matrix(rows: maxBatch, cols: dim)
        ids = .allocate(capacity: maxBatch)
        ids.initialize(repeating: 0)
        touched = TouchedRowRecorder(rows: count, expectedPerStep: maxBatch)
        table.touchedRows.reserveCapacity(maxBatch)
    }

    deinit { ids.deallocate() }

    /// out[i, :] = table[ids[i], :].
    public func forward(ids input: UnsafeBufferPointer<Int32>) -> Matrix {
        precondition(input.count <= outputBuffer.rows, "Embedding: batch \(input.count) exceeds maxBatch \(outputBuffer.rows)")
        batch = input.count
        let out = outputBuffer.rows(0..<batch)
        for i in 0..<batch {
            let id = Int(input[i])
            precondition(id >= 0 && id < count, "Embedding: id \(id) outside 0..<\(count)")
            ids[i] = input[i]
            out.row(i).update(from: table.value.row(id), count: dim)
        }
        return out
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == 1 && input.rows <= outputBuffer.rows, "Embedding: input must be one column of ids")
        batch = input.rows
        for i in 0..<batch {
            let v = input.data[i]
            precondition(v >= 0 && v < Float(count) && v == v.rounded(), "Embedding: id \(v) is not an integer in 0..<\(count)")
            ids[i] = Int32(v)
        }
        return forward(ids: UnsafeBufferPointer(start: ids.baseAddress, count: batch))
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == batch && gradOutput.cols == dim, "Embedding: gradient shape")
        touched.begin(table)
        for i in 0..<batch {
            let id = ids[i]
            let g = table.grad.row(Int(id)), dy = gradOutput.row(i)
            for j in 0..<dim { g[j] += dy[j] }
            touched.record(id, in: table)
        }
        return noGradInput
    }
}

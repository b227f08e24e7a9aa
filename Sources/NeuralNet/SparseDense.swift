import Numerics

/// A dense layer over sparse (CSR) input: y = S[rows]·W + b, for multi-hot and tf-idf features.
///
/// The batch is a list of row indices into one `SparseMatrix` (the whole dataset's features), so a
/// batch never builds its own CSR copy. There is no input gradient (the input is data), so
/// `backward` only accumulates the weight and bias gradients. Only the kernel rows of features
/// present in the batch receive gradient, so the kernel has role `.embedding`: its touched rows
/// are recorded and `zeroGrad` and the optimizers visit only those (with a vocabulary of tens of
/// thousands of words, a dense update of the whole kernel would dominate the step).
public final class SparseDense {
    public let inputSize: Int
    public let outputSize: Int
    public let maxBatch: Int
    public let kernel: Parameter
    public let bias: Parameter?
    public let parameters: [Parameter]

    private let outputBuffer: Matrix
    /// The batch's row indices, copied so the caller's buffer need not outlive `forward`.
    private let rowIndices: UnsafeMutableBufferPointer<Int32>
    private var batch = 0
    private var features: SparseMatrix?
    private var touched: TouchedRowRecorder

    public init(name: String = "sparse_dense", inputSize: Int, outputSize: Int, maxBatch: Int, bias: Bool = true,
                initializer: WeightInit = .glorotUniform, rng: inout SplitMix64) {
        precondition(inputSize > 0 && outputSize > 0 && maxBatch > 0, "SparseDense: sizes must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.maxBatch = maxBatch
        kernel = Parameter(name: "\(name).kernel", rows: inputSize, cols: outputSize, role: .embedding)
        initializer.fill(kernel.value, fanIn: inputSize, fanOut: outputSize, rng: &rng)
        self.bias = bias ? Parameter(name: "\(name).bias", rows: 1, cols: outputSize, role: .bias) : nil
        parameters = [kernel] + (self.bias.map { [$0] } ?? [])
        outputBuffer = Matrix(rows: maxBatch, cols: outputSize)
        rowIndices = .allocate(capacity: maxBatch)
        rowIndices.initialize(repeating: 0)
        touched = TouchedRowRecorder(rows: inputSize, expectedPerStep: maxBatch * 8)
        kernel.touchedRows.reserveCapacity(maxBatch * 8)
    }

    deinit { rowIndices.deallocate() }

    /// y[i, :] = features[rows[i], :]·W + b.
    public func forward(features: SparseMatrix, rows: UnsafeBufferPointer<Int32>) -> Matrix {
        precondition(features.cols == inputSize, "SparseDense: features have \(features.cols) columns, expected \(inputSize)")
        precondition(rows.count <= maxBatch, "SparseDense: batch \(rows.count) exceeds maxBatch \(maxBatch)")
        batch = rows.count
        if batch > 0 { _ = UnsafeMutableBufferPointer(rebasing: rowIndices[0..<batch]).update(fromContentsOf: rows) }
        self.features = features
        let out = outputBuffer.rows(0..<batch)
        features.gatherMultiply(rowIndices: currentRows, kernel.value, into: out)
        if let bias { addRowVector(bias.value.data, to: out) }
        return out
    }

    /// Accumulates dW += S[rows]ᵀ·dy and db += Σ dy for the last `forward`.
    public func backward(_ gradOutput: Matrix) {
        precondition(gradOutput.rows == batch && gradOutput.cols == outputSize, "SparseDense: gradient shape")
        guard let features else { preconditionFailure("SparseDense: backward before forward") }
        features.gatherTransposeMultiplyAdd(rowIndices: currentRows, gradOutput, into: kernel.grad)
        touched.begin(kernel)
        features.columnIndices.withUnsafeBufferPointer { columns in
            for i in 0..<batch {
                let r = Int(rowIndices[i])
                for e in features.rowPointers[r]..<features.rowPointers[r + 1] { touched.record(columns[e], in: kernel) }
            }
        }
        if let bias { addColumnSums(of: gradOutput, to: bias.grad.data) }
    }

    private var currentRows: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: rowIndices.baseAddress, count: batch)
    }
}

import Numerics

/// A fully connected layer, y = x·W + b, with W stored inputSize × outputSize.
///
/// Forward is one GEMM plus a bias broadcast; backward is two GEMMs (xᵀ·dy accumulated into the
/// kernel gradient, dy·Wᵀ for the input gradient) and a column sum for the bias.
public final class Dense: Layer {
    public let inputSize: Int
    public let outputSize: Int
    public let maxBatch: Int
    public let kernel: Parameter
    public let bias: Parameter?
    public let parameters: [Parameter]
    /// Skip the dy·Wᵀ GEMM when nothing needs the input gradient (a network's first layer);
    /// `backward` then returns an empty (0-row) matrix.
    public var computesInputGradient = true

    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    private var input: Matrix

    public init(name: String = "dense", inputSize: Int, outputSize: Int, maxBatch: Int, bias: Bool = true,
                initializer: WeightInit = .glorotUniform, rng: inout SplitMix64) {
        precondition(inputSize > 0 && outputSize > 0 && maxBatch > 0, "Dense: sizes must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.maxBatch = maxBatch
        kernel = Parameter(name: "\(name).kernel", rows: inputSize, cols: outputSize, role: .kernel)
        initializer.fill(kernel.value, fanIn: inputSize, fanOut: outputSize, rng: &rng)
        self.bias = bias ? Parameter(name: "\(name).bias", rows: 1, cols: outputSize, role: .bias) : nil
        parameters = [kernel] + (self.bias.map { [$0] } ?? [])
        outputBuffer = Matrix(rows: maxBatch, cols: outputSize)
        gradInputBuffer = Matrix(rows: maxBatch, cols: inputSize)
        input = Matrix(rows: 0, cols: inputSize)
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == inputSize, "Dense: input has \(input.cols) columns, expected \(inputSize)")
        precondition(input.rows <= maxBatch, "Dense: batch \(input.rows) exceeds maxBatch \(maxBatch)")
        self.input = input
        let out = outputBuffer.rows(0..<input.rows)
        Matrix.gemm(input, kernel.value, into: out)
        if let bias {
            addRowVector(bias.value.data, to: out)
        }
        return out
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        let batch = input.rows
        precondition(gradOutput.rows == batch && gradOutput.cols == outputSize, "Dense: gradient shape")
        Matrix.gemm(input, transposeA: true, gradOutput, into: kernel.grad, beta: 1)
        if let bias {
            addColumnSums(of: gradOutput, to: bias.grad.data)
        }
        if !computesInputGradient { return gradInputBuffer.rows(0..<0) }
        let gradInput = gradInputBuffer.rows(0..<batch)
        Matrix.gemm(gradOutput, kernel.value, transposeB: true, into: gradInput)
        return gradInput
    }
}

/// m[r, :] += v for every row (bias broadcast), rows split across threads.
func addRowVector(_ v: UnsafePointer<Float>, to m: Matrix) {
    Parallel.forRanges(m.rows, minChunk: max(1, Parallel.elementGrain / max(m.cols, 1)),
                       body: AddRowVector(v: v, m: m.data, cols: m.cols))
}

/// out[j] += Σ_r m[r, j] (bias gradient), columns split across threads (each column's sum
/// keeps its row order, so the split changes no bit).
func addColumnSums(of m: Matrix, to out: UnsafeMutablePointer<Float>) {
    Parallel.forRanges(m.cols, minChunk: Parallel.columnChunk(rows: m.rows), alignment: 16,
                       body: AddColumnSums(m: m.data, rows: m.rows, cols: m.cols, out: out))
}

private struct AddRowVector: ParallelRangeBody {
    let v: UnsafePointer<Float>
    let m: UnsafeMutablePointer<Float>
    let cols: Int
    func run(_ rows: Range<Int>) {
        let n = cols
        for r in rows {
            let row = m + r * n
            for j in 0..<n { row[j] += v[j] }
        }
    }
}

private struct AddColumnSums: ParallelRangeBody {
    let m: UnsafeMutablePointer<Float>
    let rows, cols: Int
    let out: UnsafeMutablePointer<Float>
    func run(_ columns: Range<Int>) {
        let n = cols, lo = columns.lowerBound, hi = columns.upperBound
        for r in 0..<rows {
            let row = m + r * n
            for j in lo..<hi { out[j] += row[j] }
        }
    }
}

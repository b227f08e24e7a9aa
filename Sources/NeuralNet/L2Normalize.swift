import Numerics

/// y = x / √max(‖x‖², ε) per row, as TensorFlow's `l2_normalize` (so dot products are cosines).
///
/// Backward: for rows with ‖x‖² > ε, dx = (dy − y·⟨y, dy⟩) / ‖x‖ (the projection removes the
/// radial component); rows at the ε floor are a plain scaling, dx = dy / √ε.
public final class L2Normalize: Layer {
    public let features: Int
    public var inputSize: Int { features }
    public var outputSize: Int { features }
    public let epsilon: Float
    public let parameters: [Parameter] = []

    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    /// Per row: 1/√max(‖x‖², ε), negative when the row sat at the ε floor.
    private let inverseNorms: UnsafeMutablePointer<Float>
    private var batch = 0

    public init(features: Int, maxBatch: Int, epsilon: Float = 1e-12) {
        precondition(features > 0 && maxBatch > 0 && epsilon > 0, "L2Normalize: sizes and epsilon must be positive")
        self.features = features
        self.epsilon = epsilon
        outputBuffer = Matrix(rows: maxBatch, cols: features)
        gradInputBuffer = Matrix(rows: maxBatch, cols: features)
        inverseNorms = .allocate(capacity: maxBatch)
        inverseNorms.initialize(repeating: 0, count: maxBatch)
    }

    deinit { inverseNorms.deallocate() }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == features && input.rows <= outputBuffer.rows, "L2Normalize: input shape")
        batch = input.rows
        let out = outputBuffer.rows(0..<batch)
        Parallel.forRanges(batch, minChunk: rowChunk, body: NormalizeRows(
            x: input.data, y: out.data, inverseNorms: inverseNorms, cols: features, epsilon: epsilon))
        return out
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == batch && gradOutput.cols == features, "L2Normalize: gradient shape")
        let gradInput = gradInputBuffer.rows(0..<batch)
        Parallel.forRanges(batch, minChunk: rowChunk, body: NormalizeRowsBackward(
            dy: gradOutput.data, y: outputBuffer.data, dx: gradInput.data, inverseNorms: inverseNorms, cols: features))
        return gradInput
    }

    /// Rows per thread: each row is a sum, a scale and (backward) a dot, ~3 passes over it.
    private var rowChunk: Int { max(16, Parallel.elementGrain / (2 * features)) }
}

/// Forward over a range of rows (row-local: the split changes no bit).
private struct NormalizeRows: ParallelRangeBody {
    let x, y, inverseNorms: UnsafeMutablePointer<Float>
    let cols: Int
    let epsilon: Float

    func run(_ rows: Range<Int>) {
        let n = cols
        for r in rows {
            let xr = x + r * n, yr = y + r * n
            var s: Float = 0
            for j in 0..<n { s += xr[j] * xr[j] }
            let floored = s <= epsilon
            let inv = 1 / max(s, epsilon).squareRoot()
            inverseNorms[r] = floored ? -inv : inv
            for j in 0..<n { yr[j] = xr[j] * inv }
        }
    }
}

private struct NormalizeRowsBackward: ParallelRangeBody {
    let dy, y, dx, inverseNorms: UnsafeMutablePointer<Float>
    let cols: Int

    func run(_ rows: Range<Int>) {
        let n = cols
        for r in rows {
            let dyr = dy + r * n, yr = y + r * n, dxr = dx + r * n
            let signedInv = inverseNorms[r]
            if signedInv < 0 {
                for j in 0..<n { dxr[j] = dyr[j] * -signedInv }
                continue
            }
            var dot: Float = 0
            for j in 0..<n { dot += yr[j] * dyr[j] }
            for j in 0..<n { dxr[j] = (dyr[j] - yr[j] * dot) * signedInv }
        }
    }
}

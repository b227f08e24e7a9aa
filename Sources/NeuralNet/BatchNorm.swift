import Numerics

/// Batch normalisation over the batch dimension, Keras conventions (as EasyRec uses it).
///
/// Training: each feature is standardised with the batch mean and (biased) variance, then scaled
/// by γ and shifted by β; the running statistics move towards the batch's by
/// `running = momentum·running + (1 − momentum)·batch`. Evaluation (`training == false`) uses
/// the running statistics, so the layer is a fixed affine map. The running mean and variance are
/// `Parameter`s with role `.statistic`: checkpoints save them, optimizers skip them.
public final class BatchNorm: Layer {
    public let features: Int
    public var inputSize: Int { features }
    public var outputSize: Int { features }
    public let momentum: Float
    public let epsilon: Float
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let parameters: [Parameter]

    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    /// x̂ of the last forward (needed by both backward formulas).
    private let normalised: Matrix
    /// Per-feature scratch: mean, then 1/√(σ² + ε) of the last forward; two sums in backward.
    private let mean: Matrix
    private let inverseStd: Matrix
    private let sumGrad: Matrix
    private let sumGradXhat: Matrix
    private var batch = 0
    private var lastWasTraining = false

    public init(name: String = "batch_norm", features: Int, maxBatch: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
        precondition(features > 0 && maxBatch > 0, "BatchNorm: sizes must be positive")
        precondition(momentum >= 0 && momentum <= 1 && epsilon > 0, "BatchNorm: momentum in [0, 1], epsilon > 0")
        self.features = features
        self.momentum = momentum
        self.epsilon = epsilon
        gamma = Parameter(name: "\(name).gamma", rows: 1, cols: features, role: .scale)
        gamma.value.fill(1)
        beta = Parameter(name: "\(name).beta", rows: 1, cols: features, role: .bias)
        runningMean = Parameter(name: "\(name).moving_mean", rows: 1, cols: features, role: .statistic)
        runningVariance = Parameter(name: "\(name).moving_variance", rows: 1, cols: features, role: .statistic)
        runningVariance.value.fill(1)
        parameters = [gamma, beta, runningMean, runningVariance]
        outputBuffer = Matrix(rows: maxBatch, cols: features)
        gradInputBuffer = Matrix(rows: maxBatch, cols: features)
        normalised = Matrix(rows: maxBatch, cols: features)
        mean = Matrix(rows: 1, cols: features)
        inverseStd = Matrix(rows: 1, cols: features)
        sumGrad = Matrix(rows: 1, cols: features)
        sumGradXhat = Matrix(rows: 1, cols: features)
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == features && input.rows <= outputBuffer.rows, "BatchNorm: input shape")
        batch = input.rows
        lastWasTraining = training
        let out = outputBuffer.rows(0..<batch)
        let body = ForwardColumns(
            x: input.data, xhat: normalised.data, y: out.data, rows: batch, cols: features,
            mean: mean.data, inverseStd: inverseStd.data, gamma: gamma.value.data, beta: beta.value.data,
            runningMean: runningMean.value.data, runningVariance: runningVariance.value.data,
            momentum: momentum, epsilon: epsilon, training: training && batch > 0)
        Parallel.forRanges(features, minChunk: Parallel.columnChunk(rows: batch), alignment: 16, body: body)
        return out
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == batch && gradOutput.cols == features, "BatchNorm: gradient shape")
        let gradInput = gradInputBuffer.rows(0..<batch)
        let body = BackwardColumns(
            dy: gradOutput.data, xhat: normalised.data, dx: gradInput.data, rows: batch, cols: features,
            sumGrad: sumGrad.data, sumGradXhat: sumGradXhat.data, gamma: gamma.value.data,
            inverseStd: inverseStd.data, dGamma: gamma.grad.data, dBeta: beta.grad.data,
            training: lastWasTraining && batch > 0)
        Parallel.forRanges(features, minChunk: Parallel.columnChunk(rows: batch), alignment: 16, body: body)
        return gradInput
    }
}

/// The forward pass over a range of feature columns (every column's statistics and outputs
/// depend on that column alone, so columns split across threads without changing a bit).
private struct ForwardColumns: ParallelRangeBody {
    let x, xhat, y: UnsafeMutablePointer<Float>
    let rows, cols: Int
    let mean, inverseStd, gamma, beta, runningMean, runningVariance: UnsafeMutablePointer<Float>
    let momentum, epsilon: Float
    let training: Bool

    func run(_ columns: Range<Int>) {
        let mu = mean, inv = inverseStd, n = cols
        let lo = columns.lowerBound, hi = columns.upperBound
        if training {
            // Two passes (mean, then centred squares) for accuracy at large means.
            for j in lo..<hi { mu[j] = 0 }
            for r in 0..<rows { let xr = x + r * n; for j in lo..<hi { mu[j] += xr[j] } }
            let scale = 1 / Float(rows)
            for j in lo..<hi { mu[j] *= scale }
            for j in lo..<hi { inv[j] = 0 }
            for r in 0..<rows {
                let xr = x + r * n
                for j in lo..<hi { let d = xr[j] - mu[j]; inv[j] += d * d }
            }
            let rm = runningMean, rv = runningVariance
            for j in lo..<hi {
                let variance = inv[j] * scale
                rm[j] = momentum * rm[j] + (1 - momentum) * mu[j]
                rv[j] = momentum * rv[j] + (1 - momentum) * variance
                inv[j] = 1 / (variance + epsilon).squareRoot()
            }
        } else {
            let rm = runningMean, rv = runningVariance
            for j in lo..<hi {
                mu[j] = rm[j]
                inv[j] = 1 / (rv[j] + epsilon).squareRoot()
            }
        }
        let g = gamma, b = beta
        for r in 0..<rows {
            let xr = x + r * n, xh = xhat + r * n, yr = y + r * n
            for j in lo..<hi {
                let h = (xr[j] - mu[j]) * inv[j]
                xh[j] = h
                yr[j] = g[j] * h + b[j]
            }
        }
    }
}

/// The backward pass over a range of feature columns (column-local, like the forward).
private struct BackwardColumns: ParallelRangeBody {
    let dy, xhat, dx: UnsafeMutablePointer<Float>
    let rows, cols: Int
    let sumGrad, sumGradXhat, gamma, inverseStd, dGamma, dBeta: UnsafeMutablePointer<Float>
    let training: Bool

    func run(_ columns: Range<Int>) {
        let sg = sumGrad, sgx = sumGradXhat, n = cols
        let lo = columns.lowerBound, hi = columns.upperBound
        for j in lo..<hi { sg[j] = 0; sgx[j] = 0 }
        for r in 0..<rows {
            let dyr = dy + r * n, xh = xhat + r * n
            for j in lo..<hi { sg[j] += dyr[j]; sgx[j] += dyr[j] * xh[j] }
        }
        for j in lo..<hi { dGamma[j] += sgx[j]; dBeta[j] += sg[j] }
        let g = gamma, inv = inverseStd
        if training {
            // dx = γ·invσ/N · (N·dy − Σdy − x̂·Σ(dy·x̂)): the batch statistics depend on x too.
            let scale = 1 / Float(rows)
            for j in lo..<hi { sg[j] *= scale; sgx[j] *= scale }
            for r in 0..<rows {
                let dyr = dy + r * n, xh = xhat + r * n, dxr = dx + r * n
                for j in lo..<hi { dxr[j] = g[j] * inv[j] * (dyr[j] - sg[j] - xh[j] * sgx[j]) }
            }
        } else {
            for r in 0..<rows {
                let dyr = dy + r * n, dxr = dx + r * n
                for j in lo..<hi { dxr[j] = g[j] * inv[j] * dyr[j] }
            }
        }
    }
}

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
        let n = features
        let mu = mean.data, inv = inverseStd.data
        if training && batch > 0 {
            // Two passes (mean, then centred squares) for accuracy at large means.
            mu.update(repeating: 0, count: n)
            for r in 0..<batch { let x = input.row(r); for j in 0..<n { mu[j] += x[j] } }
            let scale = 1 / Float(batch)
            for j in 0..<n { mu[j] *= scale }
            inv.update(repeating: 0, count: n)
            for r in 0..<batch {
                let x = input.row(r)
                for j in 0..<n { let d = x[j] - mu[j]; inv[j] += d * d }
            }
            let rm = runningMean.value.data, rv = runningVariance.value.data
            for j in 0..<n {
                let variance = inv[j] * scale
                rm[j] = momentum * rm[j] + (1 - momentum) * mu[j]
                rv[j] = momentum * rv[j] + (1 - momentum) * variance
                inv[j] = 1 / (variance + epsilon).squareRoot()
            }
        } else {
            let rm = runningMean.value.data, rv = runningVariance.value.data
            for j in 0..<n {
                mu[j] = rm[j]
                inv[j] = 1 / (rv[j] + epsilon).squareRoot()
            }
        }
        let out = outputBuffer.rows(0..<batch)
        let g = gamma.value.data, b = beta.value.data
        for r in 0..<batch {
            let x = input.row(r), xh = normalised.row(r), y = out.row(r)
            for j in 0..<n {
                let h = (x[j] - mu[j]) * inv[j]
                xh[j] = h
                y[j] = g[j] * h + b[j]
            }
        }
        return out
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == batch && gradOutput.cols == features, "BatchNorm: gradient shape")
        let n = features
        let sg = sumGrad.data, sgx = sumGradXhat.data
        sg.update(repeating: 0, count: n)
        sgx.update(repeating: 0, count: n)
        for r in 0..<batch {
            let dy = gradOutput.row(r), xh = normalised.row(r)
            for j in 0..<n { sg[j] += dy[j]; sgx[j] += dy[j] * xh[j] }
        }
        let dGamma = gamma.grad.data, dBeta = beta.grad.data
        for j in 0..<n { dGamma[j] += sgx[j]; dBeta[j] += sg[j] }

        let gradInput = gradInputBuffer.rows(0..<batch)
        let g = gamma.value.data, inv = inverseStd.data
        if lastWasTraining && batch > 0 {
            // dx = γ·invσ/N · (N·dy − Σdy − x̂·Σ(dy·x̂)): the batch statistics depend on x too.
            let scale = 1 / Float(batch)
            for j in 0..<n { sg[j] *= scale; sgx[j] *= scale }
            for r in 0..<batch {
                let dy = gradOutput.row(r), xh = normalised.row(r), dx = gradInput.row(r)
                for j in 0..<n { dx[j] = g[j] * inv[j] * (dy[j] - sg[j] - xh[j] * sgx[j]) }
            }
        } else {
            for r in 0..<batch {
                let dy = gradOutput.row(r), dx = gradInput.row(r)
                for j in 0..<n { dx[j] = g[j] * inv[j] * dy[j] }
            }
        }
        return gradInput
    }
}

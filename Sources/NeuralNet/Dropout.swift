import Numerics

/// Inverted dropout: in training each entry is zeroed with probability `rate` and survivors are
/// scaled by 1/(1 − rate), so evaluation (`training == false`) is the identity.
///
/// The mask comes from the layer's own seeded generator, advanced once per entry, so a fixed seed
/// gives the same masks run after run whatever the thread count. `rng` is public so a gradient
/// check can replay one mask.
public final class Dropout: Layer {
    public let features: Int
    public var inputSize: Int { features }
    public var outputSize: Int { features }
    public let rate: Float
    public var rng: SplitMix64
    public let parameters: [Parameter] = []

    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    /// 0 or 1/(1 − rate) per entry of the last training forward.
    private let mask: Matrix
    private var batch = 0
    private var lastWasTraining = false

    public init(features: Int, maxBatch: Int, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1)")
        self.features = features
        self.rate = rate
        rng = SplitMix64(seed: seed)
        outputBuffer = Matrix(rows: maxBatch, cols: features)
        gradInputBuffer = Matrix(rows: maxBatch, cols: features)
        mask = Matrix(rows: maxBatch, cols: features)
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == features && input.rows <= outputBuffer.rows, "Dropout: input shape")
        batch = input.rows
        lastWasTraining = training && rate > 0
        guard lastWasTraining else { return input }
        let out = outputBuffer.rows(0..<batch)
        let keep = 1 / (1 - rate)
        let m = mask.data, x = input.data, y = out.data
        for i in 0..<input.count {
            m[i] = rng.nextFloat() < rate ? 0 : keep
            y[i] = x[i] * m[i]
        }
        return out
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == batch && gradOutput.cols == features, "Dropout: gradient shape")
        guard lastWasTraining else { return gradOutput }
        let gradInput = gradInputBuffer.rows(0..<batch)
        let m = mask.data, g = gradOutput.data, d = gradInput.data
        for i in 0..<gradOutput.count { d[i] = g[i] * m[i] }
        return gradInput
    }
}

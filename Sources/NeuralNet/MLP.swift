import Numerics

/// A stack of DNN blocks, Dense → BatchNorm (optional) → activation → Dropout (optional), one
/// per width; with `lastLinear` the last block is a Dense layer alone (a tower's output layer).
///
/// With an empty `widths` the MLP is the identity (output = input), which is how an absent
/// sub-network of a tower is expressed. A Dense followed by BatchNorm has no bias: BN's β makes
/// it redundant. Set `computesInputGradient = false` when the input is data, to skip one GEMM.
public final class MLP: Layer {
    public let inputSize: Int
    public let outputSize: Int
    public let layers: [Layer]
    public let parameters: [Parameter]

    public init(name: String = "mlp", inputSize: Int, widths: [Int], activation: Activation = .relu,
                batchNorm: Bool = true, lastLinear: Bool = false, dropoutRate: Float = 0,
                maxBatch: Int, initializer: WeightInit = .glorotUniform, rng: inout SplitMix64) {
        precondition(inputSize > 0 && widths.allSatisfy { $0 > 0 }, "MLP: sizes must be positive")
        self.inputSize = inputSize
        outputSize = widths.last ?? inputSize
        var layers: [Layer] = []
        var fanIn = inputSize
        for (i, width) in widths.enumerated() {
            let isLast = i == widths.count - 1
            let linearOnly = isLast && lastLinear
            let useBN = batchNorm && !linearOnly
            layers.append(Dense(name: "\(name).\(i).dense", inputSize: fanIn, outputSize: width, maxBatch: maxBatch,
                                bias: !useBN, initializer: initializer, rng: &rng))
            if !linearOnly {
                if useBN { layers.append(BatchNorm(name: "\(name).\(i).batch_norm", features: width, maxBatch: maxBatch)) }
                layers.append(activation.makeLayer(features: width, maxBatch: maxBatch))
                if dropoutRate > 0 {
                    layers.append(Dropout(features: width, maxBatch: maxBatch, rate: dropoutRate, seed: rng.next()))
                }
            }
            fanIn = width
        }
        self.layers = layers
        parameters = layers.flatMap(\.parameters)
    }

    /// Whether `backward` returns the gradient with respect to the MLP's input (default true;
    /// false saves the first layer's dy·Wᵀ GEMM and `backward` then returns an empty matrix).
    public var computesInputGradient: Bool {
        get { (layers.first as? Dense)?.computesInputGradient ?? true }
        set { (layers.first as? Dense)?.computesInputGradient = newValue }
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == inputSize, "MLP: input has \(input.cols) columns, expected \(inputSize)")
        var x = input
        for layer in layers { x = layer.forward(x, training: training) }
        return x
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        var g = gradOutput
        for layer in layers.reversed() { g = layer.backward(g) }
        return g
    }
}

import NeuralNet
import Numerics

/// One tower's content sub-network (DESIGN §4.1): the entity's encoded content — a dense block
/// and a sparse (multi-hot, tf-idf) block — through the `content_dnn` blocks.
///
/// The first block's linear map is split by input kind and summed, Wd·x_dense + Ws·x_sparse:
/// the sparse part multiplies only the non-zeros of the batch's rows (a vocabulary of tens of
/// thousands of words would make a dense GEMM the whole step). With an empty `content_dnn` the
/// content passes through unchanged when it is dense only; a sparse block still needs a linear
/// projection, to `projectionWidth` columns.
public final class ContentNetwork {
    public let features: EncodedFeatures
    public let outputSize: Int
    public let denseLayer: Dense?
    public let sparseLayer: SparseDense?
    /// BN, activation and the remaining content blocks after the first linear map.
    public let post: [Layer]
    public var hasParameters: Bool { denseLayer != nil || sparseLayer != nil }
    public let parameters: [Parameter]

    private let maxBatch: Int
    private let gathered: Matrix
    private let sum: Matrix

    /// Nil when the side has no content at all.
    public init?(name: String, features: EncodedFeatures, widths: [Int], activation: Settings.Activation,
                 batchNorm: Bool, projectionWidth: Int, maxBatch: Int, rng: inout SplitMix64) {
        let dd = features.dense.cols, sc = features.sparse.cols
        if dd == 0 && sc == 0 { return nil }
        self.features = features
        self.maxBatch = maxBatch
        gathered = Matrix(rows: maxBatch, cols: dd)
        if widths.isEmpty && sc == 0 {
            outputSize = dd
            denseLayer = nil; sparseLayer = nil; post = []
            sum = Matrix(rows: 0, cols: 0)
            parameters = []
            return
        }
        let hidden = !widths.isEmpty
        let w0 = widths.first ?? projectionWidth
        let useBN = hidden && batchNorm
        // One bias for the sum (none before BN: its β is the bias).
        denseLayer = dd > 0 ? Dense(name: "\(name).dense", inputSize: dd, outputSize: w0, maxBatch: maxBatch,
                                    bias: !useBN, rng: &rng) : nil
        sparseLayer = sc > 0 ? SparseDense(name: "\(name).sparse", inputSize: sc, outputSize: w0, maxBatch: maxBatch,
                                           bias: !useBN && dd == 0, rng: &rng) : nil
        denseLayer?.computesInputGradient = false
        var layers: [Layer] = []
        if hidden {
            if useBN { layers.append(BatchNorm(name: "\(name).0.batch_norm", features: w0, maxBatch: maxBatch)) }
            layers.append(activation.makeLayer(features: w0, maxBatch: maxBatch))
            if widths.count > 1 {
                layers.append(MLP(name: "\(name).mlp", inputSize: w0, widths: Array(widths.dropFirst()),
                                  activation: activation.layerKind, batchNorm: batchNorm, maxBatch: maxBatch, rng: &rng))
            }
        }
        post = layers
        outputSize = widths.last ?? projectionWidth
        sum = Matrix(rows: maxBatch, cols: w0)
        parameters = (denseLayer?.parameters ?? []) + (sparseLayer?.parameters ?? []) + layers.flatMap(\.parameters)
    }

    public func forward(ids: UnsafeBufferPointer<Int32>, training: Bool) -> Matrix {
        let b = ids.count
        precondition(b <= maxBatch, "content: batch \(b) exceeds \(maxBatch)")
        let dd = features.dense.cols
        var x: Matrix
        let g = gathered.rows(0..<b)
        if dd > 0 {
            let src = features.dense
            for i in 0..<b { g.row(i).update(from: src.row(Int(ids[i])), count: dd) }
        }
        switch (denseLayer, sparseLayer) {
        case (nil, nil):
            return g
        case (let d?, nil):
            x = d.forward(g, training: training)
        case (nil, let s?):
            x = s.forward(features: features.sparse, rows: ids)
        case (let d?, let s?):
            let a = d.forward(g, training: training)
            let c = s.forward(features: features.sparse, rows: ids)
            x = sum.rows(0..<b)
            let n = x.cols
            for i in 0..<b {
                let out = x.row(i), pa = a.row(i), pc = c.row(i)
                for j in 0..<n { out[j] = pa[j] + pc[j] }
            }
        }
        for layer in post { x = layer.forward(x, training: training) }
        return x
    }

    public func backward(_ gradOutput: Matrix) {
        guard hasParameters else { return }
        var g = gradOutput
        for layer in post.reversed() { g = layer.backward(g) }
        _ = denseLayer?.backward(g)
        sparseLayer?.backward(g)
    }
}

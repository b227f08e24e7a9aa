import NeuralNet
import Numerics

/// One side (user or item) of the two-tower model (DESIGN §4.1): preference and content
/// sub-networks, concatenated, then the tower MLP whose last layer is linear, then (EasyRec
/// model) L2 normalisation so the dot product of two outputs is their cosine. The classic model
/// scores raw dot products against WMF scores, so its towers skip the normalisation.
public final class Tower {
    public let name: String
    public let preference: PreferenceNetwork
    public let content: ContentNetwork?
    public let mlp: MLP
    public let normalize: L2Normalize
    /// Whether outputs are L2-normalised (false for the classic model).
    public let normalizesOutput: Bool
    public let parameters: [Parameter]
    public var outputSize: Int { mlp.outputSize }
    /// The classic model's fixed preference shortcut, when `classic.residual` is on.
    public let residual: PreferenceResidual?
    /// `classic.residual = gated`: rows whose own preference is present output the shortcut alone.
    public let gated: Bool
    private var present: [Bool]
    /// Entities with training interactions (the shortcut's notion of a preference being present).
    private let known: [Bool]?
    private let gradGated: Matrix
    public let maxBatch: Int

    private let concat: Matrix
    private let gradPreference: Matrix
    private let gradContent: Matrix
    private var batch = 0

    public init(name: String, preference: PreferenceNetwork, content: ContentNetwork?, widths: [Int],
                activation: Settings.Activation, batchNorm: Bool, normalizesOutput: Bool = true,
                initializer: WeightInit = .glorotUniform, residual: Settings.ClassicResidual = .off, known: [Bool]? = nil,
                maxBatch: Int, rng: inout SplitMix64) {
        self.name = name
        self.normalizesOutput = normalizesOutput
        self.preference = preference
        self.content = content
        self.maxBatch = maxBatch
        let p = preference.outputSize, c = content?.outputSize ?? 0
        mlp = MLP(name: "\(name).tower", inputSize: p + c, widths: widths, activation: activation.layerKind,
                  batchNorm: batchNorm, lastLinear: true, maxBatch: maxBatch, initializer: initializer, rng: &rng)
        mlp.computesInputGradient = preference.hasParameters || (content?.hasParameters ?? false)
        normalize = L2Normalize(features: mlp.outputSize, maxBatch: maxBatch)
        concat = Matrix(rows: maxBatch, cols: p + c)
        gradPreference = Matrix(rows: maxBatch, cols: p)
        gradContent = Matrix(rows: maxBatch, cols: c)
        precondition(residual == .off || preference.outputSize == widths.last!, "residual: the preference input must be as wide as the output")
        self.residual = residual == .off ? nil : PreferenceResidual(name: name, width: widths.last!)
        gated = residual == .gated
        self.known = known
        present = [Bool](repeating: false, count: maxBatch)
        gradGated = Matrix(rows: gated ? maxBatch : 0, cols: widths.last!)
        parameters = preference.parameters + (content?.parameters ?? []) + mlp.parameters + (self.residual.map { [$0.map] } ?? [])
    }

    /// Embeddings (b × outputSize) of the entities `ids`: unit rows when `normalizesOutput`.
    public func forward(ids: UnsafeBufferPointer<Int32>, dropoutRate: Float, scaling: Bool, training: Bool,
                        keepPreference: [Bool]?, rng: inout SplitMix64) -> Matrix {
        let b = ids.count
        batch = b
        let pOut = preference.forward(ids: ids, dropoutRate: dropoutRate, scaling: scaling, training: training,
                                      keep: keepPreference, rng: &rng)
        var x = pOut
        if let content {
            let cOut = content.forward(ids: ids, training: training)
            x = concat.rows(0..<b)
            let p = pOut.cols, c = cOut.cols
            for i in 0..<b {
                let row = x.row(i)
                row.update(from: pOut.row(i), count: p)
                (row + p).update(from: cOut.row(i), count: c)
            }
        }
        let y = mlp.forward(x, training: training)
        if let residual, residual.isEnabled {
            // Present: the entity's own preference reached the tower — not dropped, not a transform
            // row, and either an entity with training interactions (one with negatives only has a
            // zero WMF factor, and keeps it: shown and not liked is not "unknown") or a non-zero
            // input given for it (a few-shot user's fold-in). Gated, its output is its raw factor.
            for i in 0..<b {
                let id = Int(ids[i])
                present[i] = preference.keptScale(row: i) != 0 && !preference.usedTransform(row: i)
                    && ((known?[id] ?? false) || Tower.isNonZero(pOut.row(i), pOut.cols))
                if gated && present[i] { y.row(i).update(repeating: 0, count: y.cols) }
            }
            residual.add(preference: pOut, ids: ids, present: present, known: known, to: y)
        }
        return normalizesOutput ? normalize.forward(y, training: training) : y
    }

    /// Backpropagates dLoss/d(embedding) through the whole tower, accumulating parameter grads.
    public func backward(_ gradOutput: Matrix) {
        var top = normalizesOutput ? normalize.backward(gradOutput) : gradOutput
        if gated && residual?.isEnabled == true {
            // A present row's output does not depend on the MLP: no gradient reaches it.
            let g = gradGated.rows(0..<batch)
            for i in 0..<batch {
                if present[i] { g.row(i).update(repeating: 0, count: g.cols) } else { g.row(i).update(from: top.row(i), count: g.cols) }
            }
            top = g
        }
        let g = mlp.backward(top)
        guard mlp.computesInputGradient else { return }
        let b = batch, p = preference.outputSize
        if let content, content.hasParameters {
            let c = content.outputSize
            let gc = gradContent.rows(0..<b)
            for i in 0..<b { gc.row(i).update(from: g.row(i) + p, count: c) }
            content.backward(gc)
        }
        if preference.hasParameters {
            if content == nil {
                preference.backward(g)
            } else {
                let gp = gradPreference.rows(0..<b)
                for i in 0..<b { gp.row(i).update(from: g.row(i), count: p) }
                preference.backward(gp)
            }
        }
    }

    static func isNonZero(_ row: UnsafeMutablePointer<Float>, _ n: Int) -> Bool {
        for j in 0..<n where row[j] != 0 { return true }
        return false
    }
}

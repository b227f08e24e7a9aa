import NeuralNet
import Numerics

/// One tower's preference sub-network (DESIGN §4.1–§4.2): the entity's preference vector —
/// behaviour statistics, standardised WMF factors, or a learned ID embedding — after
/// whole-vector preference dropout, through the `preference_dnn` MLP (identity when empty).
///
/// Dropout is per sample: with probability `rate` the whole vector is zeroed, so the tower
/// learns to embed an entity from content alone — exactly what a cold entity presents at
/// inference (its preference vector is zero). Kept rows are scaled by 1/(1 − rate) (inverted
/// dropout, EasyRec ≥ 0.8.5) unless `scaling` is off (EasyRec before 0.8.5).
///
/// With a `transform` (classic DropoutNet's optional user/item transforms, DESIGN §4.3) half of
/// the dropped rows get the entity's transform row instead of zeros — the mean preference of
/// the other side over its training positives — which teaches the tower what an entity with a
/// few interactions looks like.
public final class PreferenceNetwork {
    public enum Source {
        /// A fixed matrix, one row per entity (stats or WMF); cold rows are zeros.
        case matrix(Matrix)
        /// A learned table; rows of entities without training interactions are never used.
        case embedding(Embedding, known: [Bool])
    }

    public let source: Source
    public let mlp: MLP?
    public let inputSize: Int
    /// Replacement rows for dropped entities (training only), one per entity; `.matrix` sources only.
    public let transform: Matrix?
    public var outputSize: Int { mlp?.outputSize ?? inputSize }
    /// Whether backward has anything to update (a DNN or an ID table).
    public let hasParameters: Bool
    public var parameters: [Parameter] {
        var p = mlp?.parameters ?? []
        if case .embedding(let e, _) = source { p += e.parameters }
        return p
    }

    private let maxBatch: Int
    private let input: Matrix
    private let gradInput: Matrix
    /// Per row of the batch: 0 (dropped or cold) or the kept rows' scale.
    private let rowScale: UnsafeMutablePointer<Float>
    /// Per row of the batch: whether its input is the transform row.
    private let rowTransformed: UnsafeMutablePointer<Bool>
    /// Rows of the last forward pass (`keptScale` answers for these).
    public private(set) var batch = 0

    public init(name: String, source: Source, widths: [Int], activation: Settings.Activation, batchNorm: Bool,
                transform: Matrix? = nil, maxBatch: Int, rng: inout SplitMix64) {
        self.source = source
        if let transform, case .matrix(let m) = source {
            precondition(transform.rows == m.rows && transform.cols == m.cols, "preference transform must match the source's shape")
            self.transform = transform
        } else {
            precondition(transform == nil, "a preference transform needs a matrix source")
            self.transform = nil
        }
        self.maxBatch = maxBatch
        switch source {
        case .matrix(let m): inputSize = m.cols
        case .embedding(let e, _): inputSize = e.dim
        }
        if widths.isEmpty {
            mlp = nil
        } else {
            let m = MLP(name: "\(name).mlp", inputSize: inputSize, widths: widths, activation: activation.layerKind,
                        batchNorm: batchNorm, maxBatch: maxBatch, rng: &rng)
            if case .matrix = source { m.computesInputGradient = false }
            mlp = m
        }
        if case .embedding = source { hasParameters = true } else { hasParameters = mlp != nil }
        input = Matrix(rows: maxBatch, cols: inputSize)
        gradInput = Matrix(rows: maxBatch, cols: inputSize)
        rowScale = .allocate(capacity: maxBatch)
        rowScale.initialize(repeating: 1, count: maxBatch)
        rowTransformed = .allocate(capacity: maxBatch)
        rowTransformed.initialize(repeating: false, count: maxBatch)
    }

    deinit { rowScale.deallocate(); rowTransformed.deallocate() }

    /// Evaluation only: when set, batch row i reads row i of this matrix (inputSize columns)
    /// instead of the entity's own preference vector. The few-shot curve feeds preferences built
    /// from a user's revealed interactions this way (`TwoTowerModel.embedUsers(ids:preference:)`).
    public var inputRows: Matrix?

    /// When set, every row's input is zeros in training and evaluation alike — no dropout draw,
    /// no transform row, no `inputRows`, no ID lookup — so nothing an entity did reaches the
    /// tower (`TwoTowerModel.ignoresPreference`, the content-only baseline).
    public var ignoresInput = false

    /// The dropout decision of the last forward: 0 for dropped rows (tests read it).
    public func keptScale(row i: Int) -> Float { rowScale[i] }

    /// Whether the last forward gave row `i` its transform row (a dropped row, training only).
    public func usedTransform(row i: Int) -> Bool { rowTransformed[i] }

    /// - Parameters:
    ///   - ids: entity of each batch row.
    ///   - dropoutRate: probability of zeroing a row's whole preference vector (training only).
    ///   - keep: evaluation only — false drops that entity's preference (content-only scoring).
    public func forward(ids: UnsafeBufferPointer<Int32>, dropoutRate: Float, scaling: Bool, training: Bool,
                        keep: [Bool]?, rng: inout SplitMix64) -> Matrix {
        let b = ids.count
        precondition(b <= maxBatch, "preference: batch \(b) exceeds \(maxBatch)")
        batch = b
        if ignoresInput {
            let x = input.rows(0..<b)
            for i in 0..<b {
                rowScale[i] = 0
                rowTransformed[i] = false
                x.row(i).update(repeating: 0, count: inputSize)
            }
            return mlp?.forward(x, training: training) ?? x
        }
        let kept: Float = training && scaling && dropoutRate < 1 ? 1 / (1 - dropoutRate) : 1
        for i in 0..<b {
            var s: Float = 1
            if training {
                if dropoutRate >= 1 { s = 0 } else if dropoutRate > 0 { s = rng.nextFloat() < dropoutRate ? 0 : kept }
            } else if let keep, !keep[Int(ids[i])] {
                s = 0
            }
            rowScale[i] = s
            // Half of the dropped rows take the transform instead of zeros.
            rowTransformed[i] = training && s == 0 && transform != nil && rng.nextFloat() < 0.5
        }
        let x = input.rows(0..<b), d = inputSize
        if let rows = inputRows, !training {
            precondition(rows.rows >= b && rows.cols == d, "preference: input rows \(rows.rows)×\(rows.cols), need \(b)×\(d)")
            for i in 0..<b { scaleRow(rows.row(i), rowScale[i], into: x.row(i), d) }
            return mlp?.forward(x, training: false) ?? x
        }
        switch source {
        case .matrix(let m):
            for i in 0..<b {
                if rowTransformed[i], let transform {
                    x.row(i).update(from: transform.row(Int(ids[i])), count: d)
                } else {
                    scaleRow(m.row(Int(ids[i])), rowScale[i], into: x.row(i), d)
                }
            }
        case .embedding(let table, let known):
            let e = table.forward(ids: ids)
            for i in 0..<b {
                if !known[Int(ids[i])] { rowScale[i] = 0 }
                scaleRow(e.row(i), rowScale[i], into: x.row(i), d)
            }
        }
        return mlp?.forward(x, training: training) ?? x
    }

    /// Backpropagates into the DNN and the ID table (a no-op for a fixed input without DNN).
    public func backward(_ gradOutput: Matrix) {
        var g = gradOutput
        if let mlp { g = mlp.backward(gradOutput) }
        guard case .embedding(let table, _) = source, !ignoresInput else { return }
        let gi = gradInput.rows(0..<batch)
        for i in 0..<batch { scaleRow(g.row(i), rowScale[i], into: gi.row(i), inputSize) }
        _ = table.backward(gi)
    }
}

@inline(__always)
func scaleRow(_ x: UnsafePointer<Float>, _ s: Float, into y: UnsafeMutablePointer<Float>, _ n: Int) {
    if s == 0 { y.update(repeating: 0, count: n); return }
    if s == 1 { y.update(from: x, count: n); return }
    for j in 0..<n { y[j] = s * x[j] }
}

extension Settings.Activation {
    /// The NeuralNet activation of this setting.
    var layerKind: NeuralNet.Activation {
        switch self {
        case .relu: return .relu
        case .tanh: return .tanh
        }
    }

    func makeLayer(features: Int, maxBatch: Int) -> Layer {
        switch self {
        case .relu: return ReLU(features: features, maxBatch: maxBatch)
        case .tanh: return Tanh(features: features, maxBatch: maxBatch)
        }
    }
}

import NeuralNet
import Numerics

/// A model that cannot be built from these settings and data: says which setting and why.
public struct ModelError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// EasyRec's DropoutNet (DESIGN §4.2): a user tower and an item tower, each mixing content and
/// (dropped-out) preference, with unit-norm outputs scored by cosine.
///
/// The classic DropoutNet (DESIGN §4.3, `model = classic`) is the same two towers with its own
/// settings (empty preference and content DNNs, a tanh MLP with a linear output) and raw,
/// unnormalised outputs scored by dot product; `settings.model` decides, so a checkpoint's
/// settings rebuild either.
///
/// Built for a fixed maximum batch: every buffer of the forward and backward passes is
/// allocated here, so a training step allocates nothing.
public final class TwoTowerModel {
    public let user: Tower
    public let item: Tower
    public let maxBatch: Int
    public var embeddingDim: Int { user.outputSize }
    /// Every parameter, statistics included (checkpoints, rollback), in a stable order.
    public let parameters: [Parameter]
    /// What the optimizer updates.
    public let trainableParameters: [Parameter]
    /// Dense kernels (the L2 penalty's).
    public let kernels: [Parameter]
    public let userCount: Int
    public let itemCount: Int
    /// Whether embeddings are L2-normalised (EasyRec) or raw (classic).
    public var normalizesOutput: Bool { user.normalizesOutput }
    /// Whether both towers ignore every preference input, in training and evaluation alike:
    /// the content-only baseline's model (DESIGN §4.8), the same towers trained as if preference
    /// dropout were 1 and scored from content alone. Set it before training.
    public var ignoresPreference: Bool {
        get { user.preference.ignoresInput && item.preference.ignoresInput }
        set { user.preference.ignoresInput = newValue; item.preference.ignoresInput = newValue }
    }

    /// - Parameters:
    ///   - wmf: standardised WMF factors (users, items), required when a side's preference is `wmf`.
    public init(data: TrainingData, settings s: Settings, wmf: (users: Matrix, items: Matrix)? = nil,
                maxBatch: Int? = nil) throws {
        let mb = maxBatch ?? s.batchSize
        guard s.userTower.last == s.itemTower.last else {
            throw ModelError("user_tower \(s.value(of: "user_tower")) and item_tower \(s.value(of: "item_tower")) must end in the same width (the embedding dimension)")
        }
        var rng = SplitMix64(seed: s.seed).split(0)
        let classic = s.model == .classic
        var transforms: (users: Matrix, items: Matrix)?
        if classic && s.classicTransform {
            guard s.userPreference == .wmf && s.itemPreference == .wmf, let wmf else {
                throw ModelError("classic.transform averages WMF vectors: it needs preference = wmf on both sides")
            }
            transforms = PreferenceTransform.transforms(data: data, users: wmf.users, items: wmf.items)
        }
        func preferenceSource(_ kind: Settings.PreferenceKind, side: String, stats: Matrix, known: [Bool],
                              factors: Matrix?) throws -> PreferenceNetwork.Source {
            switch kind {
            case .stats: return .matrix(stats)
            case .wmf:
                guard let factors else { throw ModelError("\(side)_preference = wmf needs WMF factors (pretrain them first)") }
                guard factors.rows == known.count else {
                    throw ModelError("WMF factors have \(factors.rows) \(side) rows, the data has \(known.count)")
                }
                return .matrix(factors)
            case .id:
                let e = Embedding(name: "\(side).preference.id", count: max(known.count, 1), dim: s.preferenceDim,
                                  maxBatch: mb, rng: &rng)
                return .embedding(e, known: known)
            }
        }
        func makeTower(_ side: String, kind: Settings.PreferenceKind, stats: Matrix, known: [Bool], factors: Matrix?,
                       features: EncodedFeatures, widths: [Int], transform: Matrix?) throws -> Tower {
            let source = try preferenceSource(kind, side: side, stats: stats, known: known, factors: factors)
            let pref = PreferenceNetwork(name: "\(side).preference", source: source, widths: s.preferenceDNN,
                                         activation: s.activation, batchNorm: s.batchNorm, transform: transform,
                                         maxBatch: mb, rng: &rng)
            let content = ContentNetwork(name: "\(side).content", features: features, widths: s.contentDNN,
                                         activation: s.activation, batchNorm: s.batchNorm,
                                         projectionWidth: s.embeddingDim, maxBatch: mb, rng: &rng)
            return Tower(name: side, preference: pref, content: content, widths: widths, activation: s.activation,
                         batchNorm: s.batchNorm, normalizesOutput: !classic,
                         initializer: classic ? TwoTowerModel.classicInitializer : .glorotUniform,
                         residual: s.residualApplies ? s.classicResidual : .off, known: known, maxBatch: mb, rng: &rng)
        }
        user = try makeTower("user", kind: s.userPreference, stats: data.userStats, known: data.isKnownUser,
                             factors: wmf?.users, features: data.userFeatures, widths: s.userTower,
                             transform: transforms?.users)
        item = try makeTower("item", kind: s.itemPreference, stats: data.itemStats, known: data.isKnownItem,
                             factors: wmf?.items, features: data.itemFeatures, widths: s.itemTower,
                             transform: transforms?.items)
        self.maxBatch = mb
        userCount = data.userCount
        itemCount = data.itemCount
        parameters = user.parameters + item.parameters
        trainableParameters = parameters.filter(\.trainable)
        kernels = parameters.filter { $0.role == .kernel }
    }

    /// Points each tower's preference shortcut (`classic.residual`) at the raw WMF factors the
    /// standardised inputs came from; a model without shortcuts ignores it.
    public func setResidual(raw: WMFFactors, users: PreferenceInputs.ColumnScale, items: PreferenceInputs.ColumnScale) {
        user.residual?.set(scale: users.std, shift: users.mean, raw: raw.users)
        item.residual?.set(scale: items.std, shift: items.mean, raw: raw.items)
    }

    /// Starts each tower's linear cold path (`Tower.hasLinearColdPath`) at the ridge map from its
    /// content to the raw WMF factors of its entities with training positives; a tower without
    /// one is left as it is. Returns the fitted maps by side ("user", "item").
    @discardableResult
    public func startColdPaths(raw: WMFFactors, data: TrainingData, seed: UInt64) -> [(side: String, map: ContentRidge)] {
        var fitted: [(side: String, map: ContentRidge)] = []
        let users = (0..<data.userCount).filter { data.trainPositives.count($0) > 0 }.map(Int32.init)
        let items = (0..<data.itemCount).filter { data.itemPopularity[$0] > 0 }.map(Int32.init)
        for (side, tower, rows, targets) in [("user", user, users, raw.users), ("item", item, items, raw.items)]
        where tower.hasLinearColdPath && !rows.isEmpty {
            let map = ContentRidge.fit(features: tower.content!.features, targets: targets, rows: rows, seed: seed)
            tower.startColdPath(from: map)
            fitted.append((side, map))
        }
        return fitted
    }

    /// The classic towers' kernels start as the reference's, N(0, 0.01²) truncated: the raw dot
    /// product of two 200-wide outputs then starts near 0, on the scale of the WMF targets. With
    /// Glorot's scale it starts in the tens, and SGD with momentum on that MSE diverges.
    static let classicInitializer = WeightInit.truncatedNormal(stddev: 0.01)

    /// Training or evaluation forward pass of one batch of (user, item) rows.
    /// - Returns: embeddings U, V (b × D; unit rows unless classic), views of the towers' buffers.
    public func forward(userIDs: UnsafeBufferPointer<Int32>, itemIDs: UnsafeBufferPointer<Int32>,
                        userDropout: Float, itemDropout: Float, scaling: Bool, training: Bool,
                        rng: inout SplitMix64) -> (users: Matrix, items: Matrix) {
        let u = user.forward(ids: userIDs, dropoutRate: userDropout, scaling: scaling, training: training,
                             keepPreference: nil, rng: &rng)
        let v = item.forward(ids: itemIDs, dropoutRate: itemDropout, scaling: scaling, training: training,
                             keepPreference: nil, rng: &rng)
        return (u, v)
    }

    /// Backpropagates dLoss/dU and dLoss/dV into every parameter's gradient (accumulating).
    public func backward(gradUsers: Matrix, gradItems: Matrix) {
        user.backward(gradUsers)
        item.backward(gradItems)
    }

    public func zeroGrad() {
        for p in trainableParameters { p.zeroGrad() }
    }

    /// Embeddings of every user (evaluation mode: no dropout, BN running statistics), in
    /// chunks of `maxBatch`. `preferenceMask[u] == false` drops user u's preference, as for a cold
    /// user; `contentOnly` drops it for all (the content-only baseline).
    public func embedAllUsers(preferenceMask: [Bool]? = nil, contentOnly: Bool = false) -> Matrix {
        embedAll(user, count: userCount, mask: contentOnly ? [Bool](repeating: false, count: userCount) : preferenceMask)
    }

    /// Embeddings of every item; see `embedAllUsers`.
    public func embedAllItems(preferenceMask: [Bool]? = nil, contentOnly: Bool = false) -> Matrix {
        embedAll(item, count: itemCount, mask: contentOnly ? [Bool](repeating: false, count: itemCount) : preferenceMask)
    }

    private func embedAll(_ tower: Tower, count: Int, mask: [Bool]?) -> Matrix {
        if let mask { precondition(mask.count == count, "preference mask has \(mask.count) entries, expected \(count)") }
        let out = Matrix(rows: count, cols: tower.outputSize)
        var ids = [Int32](repeating: 0, count: maxBatch)
        var rng = SplitMix64(seed: 0)
        var lo = 0
        while lo < count {
            let hi = min(count, lo + maxBatch)
            for i in lo..<hi { ids[i - lo] = Int32(i) }
            ids.withUnsafeBufferPointer { p in
                let e = tower.forward(ids: UnsafeBufferPointer(rebasing: p[0..<(hi - lo)]), dropoutRate: 0, scaling: false,
                                      training: false, keepPreference: mask, rng: &rng)
                out.rows(lo..<hi).copy(from: e)
            }
            lo = hi
        }
        return out
    }
}

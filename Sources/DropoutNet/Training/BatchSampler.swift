import Numerics

/// What a training step reads: one mini-batch of (user, item, label, sample weight) rows at a
/// time, of a fixed size, refilled in place. `labels` are 1/0 clicks for the EasyRec model and
/// the WMF score targets for the classic one.
public protocol TrainingBatches: AnyObject {
    var batchSize: Int { get }
    var stepsPerEpoch: Int { get }
    /// 0-based epoch of the current batch.
    var epoch: Int { get }
    var userIDs: UnsafeBufferPointer<Int32> { get }
    var itemIDs: UnsafeBufferPointer<Int32> { get }
    var labels: UnsafeBufferPointer<Float> { get }
    /// Each row's sample weight (≥ 0), which every loss weighs the row's terms by.
    var sampleWeights: UnsafeBufferPointer<Float> { get }
    /// Refills the buffers with the next batch.
    func next()
}

/// Epochs of training interactions in full batches (DESIGN §4.2, issue "Training").
///
/// Every training interaction — positives and shown-not-clicked rows — is visited once per
/// epoch in a fresh random order: uniformly shuffled rows (`shuffled`), or whole per-user groups
/// of rows (`grouped`, `UserGroupedOrder`) so a user's positives meet its shown-not-clicked rows
/// in the hard-negative pairwise loss. The last partial batch is dropped, so every step has
/// exactly B rows and all buffers keep one shape. The batch arrays are preallocated and refilled.
///
/// A grouped batch is a run of whole groups, its rows then shuffled within the batch: the
/// rolled in-batch negatives (row i − s) would otherwise mostly be the anchor's own user's
/// rows — its other positives, false negatives of the softmax. The hard-negative loss pairs rows
/// by user id, not by position, so the shuffle does not cost it a pair.
public final class BatchSampler: TrainingBatches {
    public let batchSize: Int
    public let stepsPerEpoch: Int
    public private(set) var epoch = 0
    /// Next batch index within the epoch.
    public private(set) var position = 0
    public let batching: Settings.Batching
    /// Rows per user group of `grouped` batching (see `UserGroupedOrder`). 16 keeps at least
    /// B/16 users in a batch (32 at the default B = 512) and a roll's chance of landing on the
    /// anchor's own user near 15/B, while a group still holds ~8 positives against ~8
    /// shown-not-clicked rows (~60 pairs) when the user has both.
    public static let defaultGroupCap = 16
    /// Shuffle a grouped batch's rows within the batch (off: the groups in order, for tests and
    /// `bench batches --unmixed`).
    public var mixesGroupedBatch = true

    private let users: [Int32]
    private let items: [Int32]
    private let sourceLabels: [UInt8]
    private let weights: [Float]
    private var order: [Int32]
    private var grouped: UserGroupedOrder?
    private var rng: SplitMix64
    private let batchUserStore: UnsafeMutableBufferPointer<Int32>
    private let batchItemStore: UnsafeMutableBufferPointer<Int32>
    private let batchLabelStore: UnsafeMutableBufferPointer<Float>
    private let batchWeightStore: UnsafeMutableBufferPointer<Float>

    /// The current batch (valid until the next `next()`); 1 = positive, 0 = shown only.
    public var userIDs: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(batchUserStore) }
    public var itemIDs: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(batchItemStore) }
    public var labels: UnsafeBufferPointer<Float> { UnsafeBufferPointer(batchLabelStore) }
    public var sampleWeights: UnsafeBufferPointer<Float> { UnsafeBufferPointer(batchWeightStore) }

    /// - Parameters:
    ///   - weights: each interaction's sample weight (nil: all 1).
    ///   - groupCap: rows per user group when `batching` is `grouped`.
    public init(users: [Int32], items: [Int32], labels: [UInt8], weights: [Float]? = nil, batchSize: Int,
                batching: Settings.Batching = .shuffled, groupCap: Int = BatchSampler.defaultGroupCap,
                rng: SplitMix64) throws {
        precondition(users.count == items.count && items.count == labels.count && (weights?.count ?? users.count) == users.count)
        guard users.count >= batchSize else {
            throw SettingsError(key: "batch_size", message: "batch_size \(batchSize) exceeds the \(users.count) training interactions; choose at most \(users.count)")
        }
        self.users = users; self.items = items; self.sourceLabels = labels
        self.weights = weights ?? [Float](repeating: 1, count: users.count)
        self.batchSize = batchSize
        self.batching = batching
        stepsPerEpoch = users.count / batchSize
        order = (0..<Int32(users.count)).map { $0 }
        if batching == .grouped { grouped = UserGroupedOrder(users: users, labels: labels, cap: groupCap) }
        self.rng = rng
        batchUserStore = .allocate(capacity: batchSize); batchUserStore.initialize(repeating: 0)
        batchItemStore = .allocate(capacity: batchSize); batchItemStore.initialize(repeating: 0)
        batchLabelStore = .allocate(capacity: batchSize); batchLabelStore.initialize(repeating: 0)
        batchWeightStore = .allocate(capacity: batchSize); batchWeightStore.initialize(repeating: 0)
        newEpochOrder()
    }

    deinit {
        batchUserStore.deallocate(); batchItemStore.deallocate(); batchLabelStore.deallocate(); batchWeightStore.deallocate()
    }

    private func newEpochOrder() {
        if grouped != nil {
            order.withUnsafeMutableBufferPointer { grouped!.fill($0, rng: &rng) }
        } else {
            order.shuffle(0 ..< order.count, rng: &rng)
        }
    }

    /// Fills `userIDs`, `itemIDs`, `labels`, `sampleWeights` with the next batch, starting a
    /// new (reordered) epoch when the current one is used up.
    public func next() {
        if position == stepsPerEpoch {
            epoch += 1
            position = 0
            newEpochOrder()
        }
        let base = position * batchSize
        if grouped != nil && mixesGroupedBatch { order.shuffle(base ..< base + batchSize, rng: &rng) }
        let bu = batchUserStore, bi = batchItemStore, bl = batchLabelStore, bw = batchWeightStore
        order.withUnsafeBufferPointer { o in
            for r in 0..<batchSize {
                let k = Int(o[base + r])
                bu[r] = users[k]; bi[r] = items[k]; bl[r] = sourceLabels[k] > 0 ? 1 : 0; bw[r] = weights[k]
            }
        }
        position += 1
    }
}

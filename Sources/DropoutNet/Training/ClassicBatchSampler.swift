import Numerics

/// Mini-batches of the classic DropoutNet (DESIGN §4.3), as its reference code builds them:
/// training users are taken in shuffled groups; for each user of a group, its top-k warm items
/// by raw WMF score U_u·V_i plus k items drawn uniformly from the warm items, each row with its
/// raw WMF score as the regression target (`labels`); the group's rows are shuffled and handed
/// out `batchSize` at a time, running on into the next group (and epoch) so every batch is full.
///
/// Every row has sample weight 1: its rows are made from WMF scores (a random item is usually
/// no interaction at all), so there is no interaction whose weight would apply.
///
/// A group's scores are one GEMM (group × rank times rank × warm items) and its top-k the
/// partial selection of `TopK` — no full sort. The top-k rows teach the towers the order of a
/// user's best items, the random rows the low scores of the rest. Every buffer is sized at
/// construction: refilling a group and handing out a batch allocate nothing.
public final class ClassicBatchSampler: TrainingBatches {
    public let batchSize: Int
    /// Items per user from the top of its WMF ranking (and as many random ones): `top_k`,
    /// capped at the number of warm items.
    public let topK: Int
    /// Users per group (one GEMM and top-k pass each).
    public let groupSize: Int
    public let stepsPerEpoch: Int
    public private(set) var epoch = 0
    /// Users with at least one training positive, the ones sampled.
    public let users: [Int32]
    /// Candidate items: those with training interactions (cold items are never seen in training).
    public let items: [Int32]
    /// Shuffle each group's rows (tests turn it off to read rows in build order: per user its
    /// top-k best first, then its k random items).
    var shufflesRows = true

    private let userFactors: Matrix
    /// Raw factors of `items`, gathered once (W × rank).
    private let candidateFactors: Matrix
    private let groupFactors: Matrix
    private let scores: Matrix
    private let topIndex: UnsafeMutablePointer<Int32>
    private let topValue: UnsafeMutablePointer<Float>
    private let poolUsers: UnsafeMutablePointer<Int32>
    private let poolItems: UnsafeMutablePointer<Int32>
    private let poolTargets: UnsafeMutablePointer<Float>
    private var poolCount = 0
    private var poolPosition = 0
    private var userOrder: [Int32]
    private var userPosition = 0
    private var rng: SplitMix64
    private let batchUserStore: UnsafeMutableBufferPointer<Int32>
    private let batchItemStore: UnsafeMutableBufferPointer<Int32>
    private let batchTargetStore: UnsafeMutableBufferPointer<Float>
    private let batchWeightStore: UnsafeMutableBufferPointer<Float>

    public var userIDs: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(batchUserStore) }
    public var itemIDs: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(batchItemStore) }
    /// The raw WMF score U_u·V_i of each row: the MSE target.
    public var labels: UnsafeBufferPointer<Float> { UnsafeBufferPointer(batchTargetStore) }
    /// All 1 (see above).
    public var sampleWeights: UnsafeBufferPointer<Float> { UnsafeBufferPointer(batchWeightStore) }

    /// Largest score block of a group (floats): bounds memory on catalogues of 10⁵ items.
    static let maxGroupScores = 1 << 23

    /// - Parameters:
    ///   - userFactors, itemFactors: raw WMF factors (all users × rank, all items × rank).
    ///   - users: the users to sample (those with training positives).
    ///   - items: the candidate items (warm items).
    public init(userFactors: Matrix, itemFactors: Matrix, users: [Int32], items: [Int32], topK: Int,
                batchSize: Int, groupSize requested: Int = 1000, rng: SplitMix64) throws {
        precondition(userFactors.cols == itemFactors.cols, "user and item factors differ in rank")
        guard !users.isEmpty, !items.isEmpty else {
            throw SettingsError(key: "model", message: "the classic model needs training users and items with positives; the training split has \(users.count) users and \(items.count) items")
        }
        guard topK >= 1 else { throw SettingsError(key: "classic.top_k", message: "expected at least 1, got \(topK)") }
        self.batchSize = batchSize
        self.topK = min(topK, items.count)
        self.users = users
        self.items = items
        self.userFactors = userFactors
        let w = items.count, rank = userFactors.cols
        let groupSize = max(1, min(requested, users.count, ClassicBatchSampler.maxGroupScores / w))
        self.groupSize = groupSize
        let perUser = 2 * self.topK
        stepsPerEpoch = max(1, users.count * perUser / batchSize)
        candidateFactors = Matrix(rows: w, cols: rank)
        for (c, i) in items.enumerated() { candidateFactors.row(c).update(from: itemFactors.row(Int(i)), count: rank) }
        groupFactors = Matrix(rows: groupSize, cols: rank)
        scores = Matrix(rows: groupSize, cols: w)
        topIndex = .allocate(capacity: groupSize * self.topK)
        topValue = .allocate(capacity: groupSize * self.topK)
        let pool = groupSize * perUser
        poolUsers = .allocate(capacity: pool); poolUsers.initialize(repeating: 0, count: pool)
        poolItems = .allocate(capacity: pool); poolItems.initialize(repeating: 0, count: pool)
        poolTargets = .allocate(capacity: pool); poolTargets.initialize(repeating: 0, count: pool)
        userOrder = users
        self.rng = rng
        batchUserStore = .allocate(capacity: batchSize); batchUserStore.initialize(repeating: 0)
        batchItemStore = .allocate(capacity: batchSize); batchItemStore.initialize(repeating: 0)
        batchTargetStore = .allocate(capacity: batchSize); batchTargetStore.initialize(repeating: 0)
        batchWeightStore = .allocate(capacity: batchSize); batchWeightStore.initialize(repeating: 1)
        shuffleUsers()
    }

    deinit {
        topIndex.deallocate(); topValue.deallocate()
        poolUsers.deallocate(); poolItems.deallocate(); poolTargets.deallocate()
        batchUserStore.deallocate(); batchItemStore.deallocate(); batchTargetStore.deallocate(); batchWeightStore.deallocate()
    }

    public func next() {
        for r in 0..<batchSize {
            if poolPosition == poolCount { refill() }
            batchUserStore[r] = poolUsers[poolPosition]
            batchItemStore[r] = poolItems[poolPosition]
            batchTargetStore[r] = poolTargets[poolPosition]
            poolPosition += 1
        }
    }

    /// Builds the next group's rows (starting a new epoch when every user has had its turn).
    private func refill() {
        if userPosition == userOrder.count {
            epoch += 1
            userPosition = 0
            shuffleUsers()
        }
        let g = min(groupSize, userOrder.count - userPosition)
        let rank = userFactors.cols, w = items.count, k = topK
        for i in 0..<g {
            groupFactors.row(i).update(from: userFactors.row(Int(userOrder[userPosition + i])), count: rank)
        }
        let s = scores.rows(0..<g)
        Matrix.gemm(groupFactors.rows(0..<g), candidateFactors, transposeB: true, into: s)
        TopK.selectRows(s, k: k, indices: topIndex, values: topValue)
        var n = 0
        for i in 0..<g {
            let u = userOrder[userPosition + i]
            let row = s.row(i)
            for j in 0..<k {
                // Every score is finite, so each row has all k slots selected.
                let c = Int(topIndex[i * k + j])
                poolUsers[n] = u; poolItems[n] = items[c]; poolTargets[n] = topValue[i * k + j]
                n += 1
            }
            for _ in 0..<k {
                let c = rng.nextInt(below: w)
                poolUsers[n] = u; poolItems[n] = items[c]; poolTargets[n] = row[c]
                n += 1
            }
        }
        userPosition += g
        poolCount = n
        poolPosition = 0
        if shufflesRows { shufflePool() }
    }

    private func shufflePool() {
        var i = poolCount - 1
        while i > 0 {
            let j = rng.nextInt(below: i + 1)
            poolUsers.swapAt(i, j); poolItems.swapAt(i, j); poolTargets.swapAt(i, j)
            i -= 1
        }
    }

    private func shuffleUsers() {
        var i = userOrder.count - 1
        while i > 0 {
            userOrder.swapAt(i, rng.nextInt(below: i + 1))
            i -= 1
        }
    }
}

private extension UnsafeMutablePointer {
    @inline(__always)
    func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}

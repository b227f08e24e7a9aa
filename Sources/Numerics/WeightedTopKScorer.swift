/// The top-K items of each of a block of users under several weights of a second score at
/// once: for each weight w, the scores users·itemsᵀ + w·(priorUsers·priorItemsᵀ).
///
/// Why: a scoring prior's weight is chosen by ranking the same validation users once per
/// candidate weight (eight of them). Ranked one weight at a time, every weight paid the full
/// product over the model's and the prior's columns; here each tile's two products are made
/// once and only the mix and the selection are repeated per weight — the selection is a
/// fraction of the product's cost. The mix rounds differently from one product over the
/// columns side by side (the two sums are added once, at the end), a difference at the last bit
/// of a score; weight 0 gives exactly the model's own scores.
///
/// Masked items and selection are `TopKScorer`'s (one per weight). Allocates only in `init`.
public final class WeightedTopKScorer {
    public let weights: [Float]
    private let items: Matrix
    private let priorItems: Matrix
    private let scorers: [TopKScorer]
    private let modelTile: UnsafeMutablePointer<Float>
    private let priorTile: UnsafeMutablePointer<Float>
    private let maxRows: Int

    /// - Parameters:
    ///   - items: one row per candidate, as wide as the users.
    ///   - priorItems: one row per candidate, as wide as the prior's user rows.
    public init(items: Matrix, priorItems: Matrix, weights: [Float], maxRows: Int, k: Int) {
        precondition(items.rows == priorItems.rows, "WeightedTopKScorer: \(items.rows) items but \(priorItems.rows) prior rows")
        self.items = items
        self.priorItems = priorItems
        self.weights = weights
        self.maxRows = max(maxRows, 1)
        scorers = weights.map { _ in TopKScorer(items: items, maxRows: maxRows, k: k) }
        let size = self.maxRows * TopKScorer.tileColumns
        modelTile = .allocate(capacity: size)
        modelTile.initialize(repeating: 0, count: size)
        priorTile = .allocate(capacity: size)
        priorTile.initialize(repeating: 0, count: size)
    }

    deinit {
        modelTile.deallocate()
        priorTile.deallocate()
    }

    /// Scores `count` users (rows of `users` and of `priorUsers`, each `stride`/`priorStride`
    /// floats apart) under every weight; read them with `result(weight:row:)`. Masks as
    /// `TopKScorer.score`.
    public func score(users: UnsafePointer<Float>, stride: Int, priorUsers: UnsafePointer<Float>, priorStride: Int, count: Int,
                      maskColumns: UnsafePointer<Int32>? = nil, maskOffsets: UnsafePointer<Int>? = nil) {
        precondition(count <= maxRows, "more users than the scorer was built for")
        for s in scorers { s.begin(count: count, maskOffsets: maskOffsets) }
        guard count > 0, !scorers.isEmpty, scorers[0].k > 0 else { return }
        let tc = TopKScorer.tileColumns, n = items.rows
        var j0 = 0
        while j0 < n {
            let width = min(tc, n - j0)
            TopKScorer.product(users, stride, items, from: j0, width: width, count: count, into: modelTile)
            TopKScorer.product(priorUsers, priorStride, priorItems, from: j0, width: width, count: count, into: priorTile)
            for (w, scorer) in zip(weights, scorers) {
                for r in 0..<count {
                    let a = modelTile + r * tc, b = priorTile + r * tc, out = scorer.tile + r * tc
                    if w == 0 {
                        out.update(from: a, count: width)
                    } else {
                        for j in 0..<width { out[j] = a[j] + w * b[j] }
                    }
                }
                scorer.select(width: width, base: j0, maskColumns: maskColumns, maskOffsets: maskOffsets)
            }
            j0 += tc
        }
        for s in scorers { s.finish() }
    }

    /// Row r's selection under weight number `w` from the last `score`: item columns and
    /// scores, best first.
    public func result(weight w: Int, row r: Int) -> (indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        scorers[w].result(r)
    }
}

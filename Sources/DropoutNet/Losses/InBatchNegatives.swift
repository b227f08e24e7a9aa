import Numerics

/// In-batch negatives by rolling the item rows (DESIGN §4.4).
///
/// A batch has B rows (user_i, item_i, label_i) with unit embeddings U, V (B×D). Rolling V down
/// by s rows pairs row i with item row (i − s) mod B, never itself when s ≢ 0. With M rolls
/// s_1 … s_M every row gets M negatives at the cost of M dot products: no sampling, no extra
/// towers. Per step:
///
/// 1. `prepare`: shifts s_k = k·N mod B (k = 1…M), or M distinct random shifts from 1…B−1;
///    anchors = rows with label > 0 (P of them). Label-0 rows are never anchors, but their
///    items still serve as negatives.
/// 2. `score`: the P×(1+M) cosines — column 0 the anchor's own item u_i·v_i, column k the
///    rolled negative u_i·v_{(i − s_k) mod B}.
/// 3. `applyOffsets`: what the softmax adds to γ·g before normalising — −log p(item) (logQ
///    correction) and −∞ for masked false negatives.
/// 4. A softmax loss writes dLoss/dscore into `scoreGradients`.
/// 5. `backward`: dLoss/dU and dLoss/dV, through both the user and every item row it touched.
///
/// Scores come from direct dot products for small M, or from one P×B GEMM gathered by the
/// roll when M is a sizeable fraction of B (`strategy`). Buffers are allocated for the
/// largest batch and M seen so far and reused; a step allocates nothing.
public final class InBatchNegatives {
    /// How the cosines are computed; `automatic` picks GEMM when (1+M) ≥ B / `gemmBatchFraction`.
    public enum ScoringStrategy: Sendable { case automatic, direct, gemm }
    public var strategy: ScoringStrategy = .automatic
    /// Measured crossover: `dropoutnet bench loss` (at B = 1024, D = 128 direct wins up to M ≈ 128, GEMM from M ≈ 256).
    public static let gemmBatchFraction = 6

    /// B, M, P of the prepared step.
    public private(set) var batchSize = 0
    public private(set) var negativesPerAnchor = 0
    public private(set) var anchorCount = 0
    /// Whether the prepared step scores with a GEMM.
    public private(set) var usesGEMM = false

    private var rowCapacity = 0
    private var negativeCapacity = 0
    private var shiftPointer: UnsafeMutablePointer<Int>
    private var shiftScratch: UnsafeMutablePointer<Int>
    private var anchorRowPointer: UnsafeMutablePointer<Int32>
    /// anchor index r of batch row i, or −1.
    private var anchorOfRowPointer: UnsafeMutablePointer<Int32>
    private var scoreStore: Matrix
    private var offsetStore: Matrix
    private var gradientStore: Matrix
    // GEMM path (allocated on first use): anchors' user rows, all-pairs scores, their gradient.
    private var gemmUsers = Matrix(rows: 0, cols: 0)
    private var gemmScores = Matrix(rows: 0, cols: 0)
    private var gemmUserGradient = Matrix(rows: 0, cols: 0)

    public init(maxBatchSize: Int, maxNegatives: Int) {
        shiftPointer = .allocate(capacity: 1)
        shiftScratch = .allocate(capacity: 1)
        anchorRowPointer = .allocate(capacity: 1)
        anchorOfRowPointer = .allocate(capacity: 1)
        scoreStore = Matrix(rows: 0, cols: 1)
        offsetStore = scoreStore
        gradientStore = scoreStore
        reserve(batchSize: maxBatchSize, negatives: maxNegatives)
    }

    deinit {
        shiftPointer.deallocate(); shiftScratch.deallocate()
        anchorRowPointer.deallocate(); anchorOfRowPointer.deallocate()
    }

    /// Grows the buffers (only ever up) so a step of `batchSize` rows and M = `negatives` fits.
    public func reserve(batchSize: Int, negatives: Int) {
        let rows = max(batchSize, rowCapacity, 1)
        let m = max(negatives, negativeCapacity)
        if rows > rowCapacity {
            shiftScratch.deallocate(); shiftScratch = .allocate(capacity: rows)
            anchorRowPointer.deallocate(); anchorRowPointer = .allocate(capacity: rows)
            anchorOfRowPointer.deallocate(); anchorOfRowPointer = .allocate(capacity: rows)
        }
        if m > negativeCapacity || rowCapacity == 0 {
            shiftPointer.deallocate(); shiftPointer = .allocate(capacity: max(m, 1))
        }
        if rows > rowCapacity || m > negativeCapacity || scoreStore.rows == 0 {
            let cells = rows * (1 + m)
            scoreStore = Matrix(rows: cells, cols: 1)
            offsetStore = Matrix(rows: cells, cols: 1)
            gradientStore = Matrix(rows: cells, cols: 1)
        }
        rowCapacity = rows
        negativeCapacity = m
    }

    // MARK: Step 1 — shifts and anchors

    /// Picks this step's shifts and anchors. Throws `InBatchShiftCheck`'s message when N and M
    /// do not fit the batch (e.g. the short last batch of an epoch); never traps on them.
    public func prepare(labels: UnsafeBufferPointer<Float>, n: Int, m: Int, mode: Settings.ShiftMode,
                        rng: inout SplitMix64) throws {
        let b = labels.count
        if m > 0 { try InBatchShiftCheck.validate(n: n, m: m, batch: b, mode: mode) }
        reserve(batchSize: b, negatives: m)
        batchSize = b
        negativesPerAnchor = m
        switch mode {
        case .stride:
            for k in 0..<m { shiftPointer[k] = ((k + 1) * n) % b }
        case .random:
            drawDistinctShifts(m, batch: b, rng: &rng)
        }
        collectAnchors(labels)
    }

    /// Prepares a step with given shifts (replaying a step, worked examples); each must be in 1…B−1.
    public func prepare(labels: UnsafeBufferPointer<Float>, shifts given: [Int]) throws {
        let b = labels.count
        for s in given where s < 1 || s >= b {
            throw SettingsError(key: "negatives.shifts", message: "shift \(s) is outside 1...\(b - 1) for a batch of \(b)")
        }
        reserve(batchSize: b, negatives: given.count)
        batchSize = b
        negativesPerAnchor = given.count
        for (k, s) in given.enumerated() { shiftPointer[k] = s }
        collectAnchors(labels)
    }

    private func collectAnchors(_ labels: UnsafeBufferPointer<Float>) {
        let b = labels.count, m = negativesPerAnchor
        var p = 0
        for i in 0..<b {
            if labels[i] > 0 {
                anchorRowPointer[p] = Int32(i)
                anchorOfRowPointer[i] = Int32(p)
                p += 1
            } else {
                anchorOfRowPointer[i] = -1
            }
        }
        anchorCount = p
        usesGEMM = switch strategy {
        case .direct: false
        case .gemm: m > 0
        case .automatic: m > 0 && (1 + m) * InBatchNegatives.gemmBatchFraction >= b
        }
    }

    /// M distinct shifts uniform over 1…B−1: a partial Fisher–Yates shuffle of that range.
    private func drawDistinctShifts(_ m: Int, batch b: Int, rng: inout SplitMix64) {
        for s in 1..<max(b, 2) { shiftScratch[s - 1] = s }
        for k in 0..<m {
            let j = k + rng.nextInt(below: b - 1 - k)
            let s = shiftScratch[j]
            shiftScratch[j] = shiftScratch[k]
            shiftScratch[k] = s
            shiftPointer[k] = s
        }
    }

    /// s_1 … s_M of the prepared step.
    public var shifts: UnsafeBufferPointer<Int> { UnsafeBufferPointer(start: shiftPointer, count: negativesPerAnchor) }

    /// The batch row of each anchor, ascending (the rows with label > 0).
    public var anchorRows: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: anchorRowPointer, count: anchorCount) }

    /// The item row that is row i's k-th negative (k = 1…M): (i − s_k) mod B.
    @inline(__always)
    public func negativeRow(of i: Int, _ k: Int) -> Int {
        let j = i - shiftPointer[k - 1]
        return j < 0 ? j + batchSize : j
    }

    // MARK: Steps 2–3 — scores and their offsets

    /// P×(1+M) cosines of the prepared step (row r = anchor `anchorRows[r]`).
    public var scores: Matrix { view(scoreStore) }
    /// P×(1+M) additive logit terms: −log p(item) when logQ is on, −∞ where masked, else 0.
    public var logitOffsets: Matrix { view(offsetStore) }
    /// P×(1+M) dLoss/dscore; `score` zeroes it and the softmax losses add into it.
    public var scoreGradients: Matrix { view(gradientStore) }

    private func view(_ store: Matrix) -> Matrix {
        let cols = 1 + negativesPerAnchor
        return store.rows(0..<anchorCount * cols).reshaped(rows: anchorCount, cols: cols)
    }

    /// Fills `scores` from U and V (B×D, rows = the batch) and zeroes `scoreGradients`.
    public func score(users: Matrix, items: Matrix) {
        precondition(users.rows == batchSize && items.rows == batchSize && users.cols == items.cols,
                     "score: users \(users.rows)x\(users.cols), items \(items.rows)x\(items.cols), batch \(batchSize)")
        let p = anchorCount, cols = 1 + negativesPerAnchor, d = users.cols
        let out = scoreStore.data, anchors = anchorRowPointer
        scoreGradients.zero()
        if p == 0 { return }
        if usesGEMM {
            scoreWithGEMM(users: users, items: items)
            return
        }
        Parallel.forRanges(p, minChunk: max(16, lossParallelGrain / (cols * max(d, 1))), body: ScoreAnchors(
            users: users.data, items: items.data, d: d, batch: batchSize, cols: cols, anchors: anchors,
            shifts: shiftPointer, out: out))
    }

    private func ensureGEMMBuffers(dimension d: Int) {
        if gemmUsers.rows < rowCapacity || gemmUsers.cols != d {
            gemmUsers = Matrix(rows: rowCapacity, cols: d)
            gemmUserGradient = Matrix(rows: rowCapacity, cols: d)
        }
        if gemmScores.count < rowCapacity * rowCapacity {
            gemmScores = Matrix(rows: rowCapacity * rowCapacity, cols: 1)
        }
    }

    /// S = U_anchors · Vᵀ (P×B) in one GEMM, then gathered by the roll.
    private func scoreWithGEMM(users: Matrix, items: Matrix) {
        let p = anchorCount, b = batchSize, cols = 1 + negativesPerAnchor, d = users.cols
        ensureGEMMBuffers(dimension: d)
        let ua = gemmUsers.rows(0..<p)
        for r in 0..<p { ua.row(r).update(from: users.row(Int(anchorRowPointer[r])), count: d) }
        let s = gemmScores.rows(0..<p * b).reshaped(rows: p, cols: b)
        Matrix.gemm(ua, items, transposeB: true, into: s)
        let out = scoreStore.data
        for r in 0..<p {
            let i = Int(anchorRowPointer[r])
            let srow = s.row(r), row = out + r * cols
            row[0] = srow[i]
            for k in 1..<cols { row[k] = srow[negativeRow(of: i, k)] }
        }
    }

    /// Fills `logitOffsets`: −log p(item) for every column when `prior` is given (logQ), and −∞
    /// for a negative whose item is the anchor's own item or, with `positives`, a known positive
    /// of the anchor's user (when `maskFalseNegatives`).
    public func applyOffsets(userIDs: UnsafeBufferPointer<Int32>, itemIDs: UnsafeBufferPointer<Int32>,
                             prior: ItemSamplingPrior?, maskFalseNegatives: Bool, positives: PositiveLookup?) {
        let cols = 1 + negativesPerAnchor
        let out = offsetStore.data
        for r in 0..<anchorCount {
            let i = Int(anchorRowPointer[r])
            let row = out + r * cols
            let user = userIDs[i], ownItem = itemIDs[i]
            row[0] = prior.map { -$0.logP(ownItem) } ?? 0
            for k in 1..<cols {
                let item = itemIDs[negativeRow(of: i, k)]
                if maskFalseNegatives && (item == ownItem || positives?.isPositive(user: user, item: item) == true) {
                    row[k] = -.infinity
                } else {
                    row[k] = prior.map { -$0.logP(item) } ?? 0
                }
            }
        }
    }

    // MARK: Step 5 — gradients

    /// Writes dLoss/dU and dLoss/dV (B×D, overwritten) from `scoreGradients` and from
    /// `diagonalGradient[i]` = dLoss/d(u_i·v_i) of the losses that score only a row's own pair.
    ///
    /// Row i of dU gathers its positive and its M negatives' item rows; item row j of dV gathers
    /// the anchors that rolled onto it, rows (j + s_k) mod B — a gather per output row, so
    /// rows split across threads without write conflicts.
    public func backward(users: Matrix, items: Matrix, diagonalGradient: UnsafePointer<Float>,
                         gradUsers: Matrix, gradItems: Matrix) {
        let b = batchSize, m = negativesPerAnchor, cols = 1 + m, d = users.cols
        precondition(gradUsers.rows == b && gradItems.rows == b && gradUsers.cols == d && gradItems.cols == d,
                     "backward: gradient buffers must be \(b)x\(d)")
        let g = gradientStore.data, anchorOf = anchorOfRowPointer
        let direct = !usesGEMM
        Parallel.forRanges(b, minChunk: max(16, lossParallelGrain / (2 * cols * max(d, 1))), body: GatherGradients(
            users: users.data, items: items.data, d: d, batch: b, m: m, direct: direct, scoreGradients: g,
            anchorOf: anchorOf, shifts: shiftPointer, diagonalGradient: diagonalGradient,
            gradUsers: gradUsers.data, gradItems: gradItems.data))
        if !direct { backwardWithGEMM(items: items, gradUsers: gradUsers, gradItems: gradItems) }
    }

    /// Negatives' part through the P×B score matrix: dU_anchors = G·V, dV += Gᵀ·U_anchors.
    private func backwardWithGEMM(items: Matrix, gradUsers: Matrix, gradItems: Matrix) {
        let p = anchorCount, b = batchSize, cols = 1 + negativesPerAnchor, d = items.cols
        if p == 0 { return }
        let gs = gemmScores.rows(0..<p * b).reshaped(rows: p, cols: b)
        gs.zero()
        let g = gradientStore.data
        for r in 0..<p {
            let i = Int(anchorRowPointer[r])
            let grow = gs.row(r)
            for k in 1..<cols { grow[negativeRow(of: i, k)] += g[r * cols + k] }
        }
        let ua = gemmUsers.rows(0..<p)
        let gua = gemmUserGradient.rows(0..<p)
        Matrix.gemm(gs, items, into: gua)
        Matrix.gemm(gs, transposeA: true, ua, into: gradItems, beta: 1)
        for r in 0..<p { Kernels.axpy(1, gua.row(r), gradUsers.row(Int(anchorRowPointer[r])), count: d) }
    }
}

/// Scores of a range of anchors: the own pair and the M rolled negatives (row-local).
private struct ScoreAnchors: ParallelRangeBody {
    let users, items: UnsafeMutablePointer<Float>
    let d, batch, cols: Int
    let anchors: UnsafeMutablePointer<Int32>
    let shifts: UnsafeMutablePointer<Int>
    let out: UnsafeMutablePointer<Float>

    func run(_ range: Range<Int>) {
        for r in range {
            let i = Int(anchors[r])
            let u = users + i * d
            let row = out + r * cols
            row[0] = Kernels.dot(u, items + i * d, count: d)
            for k in 1..<cols {
                var j = i - shifts[k - 1]
                if j < 0 { j += batch }
                row[k] = Kernels.dot(u, items + j * d, count: d)
            }
        }
    }
}

/// dLoss/dU and dLoss/dV of a range of batch rows: each output row is a gather, so rows split
/// across threads without write conflicts and each row's sum keeps its order.
private struct GatherGradients: ParallelRangeBody {
    let users, items: UnsafeMutablePointer<Float>
    let d, batch, m: Int
    let direct: Bool
    let scoreGradients: UnsafeMutablePointer<Float>
    let anchorOf: UnsafeMutablePointer<Int32>
    let shifts: UnsafeMutablePointer<Int>
    let diagonalGradient: UnsafePointer<Float>
    let gradUsers, gradItems: UnsafeMutablePointer<Float>

    func run(_ range: Range<Int>) {
        let b = batch, cols = 1 + m, g = scoreGradients
        for i in range {
            let r = Int(anchorOf[i])
            let own = diagonalGradient[i] + (r >= 0 ? g[r * cols] : 0)
            let gu = gradUsers + i * d, gv = gradItems + i * d
            Kernels.scale(own, items + i * d, into: gu, count: d)
            Kernels.scale(own, users + i * d, into: gv, count: d)
            guard direct, m > 0 else { continue }
            if r >= 0 {
                let grow = g + r * cols
                for k in 1...m where grow[k] != 0 {
                    var j = i - shifts[k - 1]
                    if j < 0 { j += b }
                    Kernels.axpy(grow[k], items + j * d, gu, count: d)
                }
            }
            for k in 1...m {
                var a = i + shifts[k - 1]
                if a >= b { a -= b }
                let ra = Int(anchorOf[a])
                if ra >= 0 {
                    let gk = g[ra * cols + k]
                    if gk != 0 { Kernels.axpy(gk, users + a * d, gv, count: d) }
                }
            }
        }
    }
}

import Numerics

/// Pairwise logistic losses on the rows' own scores s_i = u_i·v_i (DESIGN §4.6).
///
/// - Global (EasyRec PAIR_WISE_LOSS): every ordered pair (i, j) of the batch with y_i > y_j,
///   across users — a batch-level AUC surrogate.
/// - Hard-negative (ours): only pairs of the same user, a positive against that user's
///   shown-not-clicked rows — the negatives the user actually passed over.
///
/// A pair (i, j) weighs w_ij = w_i·w_j, the product of the rows' sample weights, and the loss is
/// the weighted mean Σ w_ij·ℓ_ij / Σ w_ij with ℓ_ij = log(1 + exp(−(s_i − s_j))); with every
/// weight 1 that is the plain mean over the pairs. The product, rather than the positive's
/// weight alone (what EasyRec's `pairwise_loss` does when given weights; its DropoutNet passes
/// none), is what sampling the two rows independently by their weights gives, and it lets a
/// weight of 0 take a shown-not-clicked row out of every pair — with the positive's weight alone
/// it would stay the negative of every positive. When only positives carry weights the two agree.
///
/// ∂/∂s_i = −w_ij·σ(−(s_i − s_j)) / Σw and ∂/∂s_j = +w_ij·σ(−(s_i − s_j)) / Σw for each pair.
/// Empty pair sets (or all-zero weights) give 0. Scratch is sized for the largest batch seen
/// and reused. The reported pair count is the pairs with a non-zero weight.
public final class PairwiseLoss {
    private var capacity = 0
    private var first: UnsafeMutablePointer<Float>
    private var second: UnsafeMutablePointer<Float>
    private var secondGrad: UnsafeMutablePointer<Float>
    private var firstWeight: UnsafeMutablePointer<Float>
    private var secondWeight: UnsafeMutablePointer<Float>
    private var firstRow: UnsafeMutablePointer<Int32>
    private var secondRow: UnsafeMutablePointer<Int32>
    private var keys: UnsafeMutablePointer<UInt64>

    public init(maxBatchSize: Int) {
        first = .allocate(capacity: 1); second = .allocate(capacity: 1); secondGrad = .allocate(capacity: 1)
        firstWeight = .allocate(capacity: 1); secondWeight = .allocate(capacity: 1)
        firstRow = .allocate(capacity: 1); secondRow = .allocate(capacity: 1); keys = .allocate(capacity: 1)
        reserve(maxBatchSize)
    }

    deinit {
        first.deallocate(); second.deallocate(); secondGrad.deallocate()
        firstWeight.deallocate(); secondWeight.deallocate()
        firstRow.deallocate(); secondRow.deallocate(); keys.deallocate()
    }

    public func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        first.deallocate(); first = .allocate(capacity: rows)
        second.deallocate(); second = .allocate(capacity: rows)
        secondGrad.deallocate(); secondGrad = .allocate(capacity: rows)
        firstWeight.deallocate(); firstWeight = .allocate(capacity: rows)
        secondWeight.deallocate(); secondWeight = .allocate(capacity: rows)
        firstRow.deallocate(); firstRow = .allocate(capacity: rows)
        secondRow.deallocate(); secondRow = .allocate(capacity: rows)
        keys.deallocate(); keys = .allocate(capacity: rows)
        capacity = rows
    }

    // MARK: Global pairwise

    /// Weighted mean pair loss over all pairs with y_i > y_j and their count; adds
    /// `weight`·dLoss/ds into `grad`. `w`: the rows' sample weights.
    public func global(scores s: UnsafePointer<Float>, labels y: UnsafeBufferPointer<Float>,
                       sampleWeights w: UnsafePointer<Float>, weight: Float,
                       grad: UnsafeMutablePointer<Float>) -> (loss: Double, pairs: Int) {
        let b = y.count
        reserve(b)
        var binary = true, bounded = true
        for i in 0..<b {
            if y[i] != 0 && y[i] != 1 { binary = false }
            if abs(s[i]) > 4 { bounded = false }
        }
        if binary && bounded { return binaryPairs(s, y, w, weight, grad) }
        var pairs = 0
        var weightSum = 0.0
        for i in 0..<b where w[i] != 0 {
            for j in 0..<b where y[i] > y[j] {
                let wij = w[i] * w[j]
                if wij != 0 { pairs += 1; weightSum += Double(wij) }
            }
        }
        if pairs == 0 { return (0, 0) }
        let scale = Float(Double(weight) / weightSum)
        var total = 0.0
        for i in 0..<b where w[i] != 0 {
            var rowLoss: Float = 0
            for j in 0..<b where y[i] > y[j] {
                let wij = w[i] * w[j]
                guard wij != 0 else { continue }
                let d = s[i] - s[j]
                rowLoss += wij * softplus(-d)
                let g = scale * wij * logistic(-d)
                grad[i] -= g
                grad[j] += g
            }
            total += Double(rowLoss)
        }
        return (total / weightSum, pairs)
    }

    /// Binary labels and |s| ≤ 4 (cosines): with a_i = e^{−s_i}, b_j = e^{s_j} a pair term is
    /// log(1 + a_i·b_j) and its sigmoid x/(1+x), x = a_i·b_j — no exponential per pair, and,
    /// when the negatives' weights are all equal (always, without a weight column), the logs of
    /// eight factors at a time fold into one (each factor ≤ 1 + e^8, so no overflow). Unequal
    /// negative weights take one log per pair. Rows of weight 0 are left out.
    private func binaryPairs(_ s: UnsafePointer<Float>, _ y: UnsafeBufferPointer<Float>, _ w: UnsafePointer<Float>,
                             _ weight: Float, _ grad: UnsafeMutablePointer<Float>) -> (loss: Double, pairs: Int) {
        let b = y.count
        var p = 0, n = 0
        var positiveWeight = 0.0, negativeWeight = 0.0
        for i in 0..<b where w[i] != 0 {
            if y[i] > 0 {
                first[p] = expf(-s[i]); firstWeight[p] = w[i]; firstRow[p] = Int32(i); p += 1
                positiveWeight += Double(w[i])
            } else {
                second[n] = expf(s[i]); secondWeight[n] = w[i]; secondRow[n] = Int32(i); secondGrad[n] = 0; n += 1
                negativeWeight += Double(w[i])
            }
        }
        let pairs = p * n
        if pairs == 0 { return (0, 0) }
        // Σ_ij w_i·w_j factorises; with every weight 1 it is exactly p·n.
        let weightSum = positiveWeight * negativeWeight
        let scale = Float(Double(weight) / weightSum)
        // Equal negative weights c (always 1 without a weight column): sum the logs unweighted,
        // folded eight at a time, and multiply by c once.
        var shared = true
        for j in 1..<n where secondWeight[j] != secondWeight[0] { shared = false; break }
        let c = secondWeight[0]
        let lanes = 8
        let full = n / lanes * lanes
        let rb = UnsafeRawPointer(second)
        let rw = UnsafeRawPointer(secondWeight)
        let rg = UnsafeMutableRawPointer(secondGrad)
        var total = 0.0
        for a in 0..<p {
            let ai = first[a], wa = firstWeight[a]
            let av = SIMD8<Float>(repeating: ai)
            let wav = SIMD8<Float>(repeating: wa)
            var sigmaSum = SIMD8<Float>(repeating: 0)
            var product = SIMD8<Float>(repeating: 1)
            var logSum: Float = 0
            var chunk = 0
            var j = 0
            while j < full {
                let x = av * rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                let wj = rw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                let onePlus = x + 1
                let sigma = x / onePlus
                sigmaSum += wj * sigma
                let gj = rg.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) + wav * sigma
                rg.storeBytes(of: gj, toByteOffset: j * 4, as: SIMD8<Float>.self)
                if shared {
                    product *= onePlus
                    chunk += 1
                    if chunk == 8 {
                        for l in 0..<lanes { logSum += logf(product[l]) }
                        product = SIMD8<Float>(repeating: 1)
                        chunk = 0
                    }
                } else {
                    for l in 0..<lanes { logSum += wj[l] * log1pf(x[l]) }
                }
                j += lanes
            }
            if chunk > 0 { for l in 0..<lanes { logSum += logf(product[l]) } }
            var tailSigma: Float = 0
            while j < n {
                let x = ai * second[j]
                let sigma = x / (1 + x)
                tailSigma += secondWeight[j] * sigma
                secondGrad[j] += wa * sigma
                logSum += shared ? log1pf(x) : secondWeight[j] * log1pf(x)
                j += 1
            }
            if shared { logSum *= c }
            grad[Int(firstRow[a])] -= scale * wa * (sigmaSum.sum() + tailSigma)
            total += Double(wa) * Double(logSum)
        }
        for j in 0..<n { grad[Int(secondRow[j])] += scale * secondWeight[j] * secondGrad[j] }
        return (total / weightSum, pairs)
    }

    // MARK: Same-user (hard-negative) pairwise

    /// Weighted mean pair loss over pairs (i, j) of the same user with y_i > y_j, and their
    /// count; adds `weight`·dLoss/ds into `grad`. Rows are grouped by sorting (user, row) keys
    /// in place.
    public func sameUser(scores s: UnsafePointer<Float>, labels y: UnsafeBufferPointer<Float>,
                         userIDs: UnsafeBufferPointer<Int32>, sampleWeights w: UnsafePointer<Float>, weight: Float,
                         grad: UnsafeMutablePointer<Float>) -> (loss: Double, pairs: Int) {
        let b = y.count
        reserve(b)
        for i in 0..<b { keys[i] = UInt64(UInt32(bitPattern: userIDs[i])) << 32 | UInt64(i) }
        heapSort(keys, b)
        var pairs = 0
        var weightSum = 0.0
        var start = 0
        // Two passes over the groups: count and sum the pair weights, then accumulate with the
        // final 1/Σw scale.
        for pass in 0..<2 {
            let scale = pass == 1 ? Float(Double(weight) / weightSum) : 0
            var total = 0.0
            start = 0
            while start < b {
                var end = start + 1
                while end < b && keys[end] >> 32 == keys[start] >> 32 { end += 1 }
                for a in start..<end {
                    let i = Int(keys[a] & 0xFFFF_FFFF)
                    guard w[i] != 0 else { continue }
                    for c in start..<end {
                        let j = Int(keys[c] & 0xFFFF_FFFF)
                        let wij = w[i] * w[j]
                        guard y[i] > y[j] && wij != 0 else { continue }
                        if pass == 0 { pairs += 1; weightSum += Double(wij); continue }
                        let d = s[i] - s[j]
                        total += Double(wij) * Double(softplus(-d))
                        let g = scale * wij * logistic(-d)
                        grad[i] -= g
                        grad[j] += g
                    }
                }
                start = end
            }
            if pass == 0 && pairs == 0 { return (0, 0) }
            if pass == 1 { return (total / weightSum, pairs) }
        }
        return (0, 0)
    }
}

/// In-place ascending heap sort (no allocation, unlike the standard library's merge-based sort).
func heapSort(_ a: UnsafeMutablePointer<UInt64>, _ n: Int) {
    @inline(__always) func swap(_ i: Int, _ j: Int) { let t = a[i]; a[i] = a[j]; a[j] = t }
    func siftDown(_ start: Int, _ end: Int) {
        var root = start
        while 2 * root + 1 < end {
            var child = 2 * root + 1
            if child + 1 < end && a[child] < a[child + 1] { child += 1 }
            if a[root] >= a[child] { return }
            swap(root, child)
            root = child
        }
    }
    if n < 2 { return }
    var start = n / 2 - 1
    while start >= 0 { siftDown(start, n); start -= 1 }
    var end = n - 1
    while end > 0 {
        swap(0, end)
        siftDown(0, end)
        end -= 1
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

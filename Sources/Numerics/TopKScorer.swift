/// The top-K items of each of a block of users, scored tile by tile with the selection done in
/// the same pass: no score matrix larger than one tile ever exists.
///
/// For a block of up to `maxRows` users and each tile of `tileColumns` items, the GEMM backend
/// fills a rows × tile buffer (cache resident) and every user's candidates are taken from its
/// row of the tile before the next tile overwrites it. The result is exactly what `TopK.select`
/// gives on the full row (descending score, ties to the lower index, `-inf` and NaN never
/// selected).
///
/// The selection is a threshold filter rather than a heap: each user keeps a buffer of up to
/// `4k` candidates and a threshold (the k-th best score when the buffer was last cut back).
/// Chunks of 32 scores none of which beats the threshold are rejected with four vector compares
/// and one test; in the others, each group of 8 with a passing score is appended without a
/// branch per score (every score is written, the count moves by its lane of the comparison).
/// A full buffer is cut to its best k by a branch-free quickselect, which raises the threshold.
/// Scores arrive in ascending item order, so a later score equal to the threshold can never
/// beat the kept one it ties (ties go to the lower index): `>` is exact. On a shuffled
/// catalogue a row of n items is cut back about log₄(n / k) times (3 for top-100 of 20 k),
/// where the heap this replaced paid a mispredicted sift-down of log k levels for each of about
/// k·ln(n / k) entries: selection then cost about as much CPU as the tile products themselves.
///
/// The product goes through `GEMM.backend` (single-threaded: callers run one scorer per
/// thread) rather than a kernel of its own: OpenBLAS's kernels use the widest vectors the CPU
/// has, and measured, a tile through it beat a fused AVX2 micro-kernel on pre-packed items.
///
/// Masked items (a user's training positives) are given per user as sorted column lists and set
/// to `-inf` in the tile before selection. Allocates only in `init`.
public final class TopKScorer {
    public let items: Matrix
    public let k: Int
    public let maxRows: Int
    /// Items per tile: a block's rows × this many floats stay in L2.
    public static let tileColumns = 512
    /// Scores looked at together: one test rejects them all.
    static let chunk = 32

    /// Candidates a row holds before it is cut back to k (4k: a row of n shuffled scores is cut
    /// about log₄(n/k) times), plus room for one chunk appended whole.
    private let compactAbove: Int
    private let capacity: Int
    /// One tile of scores, rows `tileColumns` apart (what `select` reads).
    let tile: UnsafeMutablePointer<Float>
    private let candidateValues: UnsafeMutablePointer<Float>
    private let candidateIndices: UnsafeMutablePointer<Int32>
    private let counts: UnsafeMutablePointer<Int>
    private let thresholds: UnsafeMutablePointer<Float>
    private let cursors: UnsafeMutablePointer<Int>
    /// Where `keepBest` puts the worse side of a partition.
    private let scratchValues: UnsafeMutablePointer<Float>
    private let scratchIndices: UnsafeMutablePointer<Int32>
    /// The final sort's keys and its merge buffer (2k).
    private let sortKeys: UnsafeMutablePointer<UInt64>
    private var rows = 0

    /// - Parameter items: one row per item (the candidates), as wide as the users.
    public init(items: Matrix, maxRows: Int, k: Int) {
        self.items = items
        self.k = max(k, 0)
        self.maxRows = max(maxRows, 1)
        compactAbove = 4 * max(self.k, 1)
        capacity = compactAbove + TopKScorer.chunk
        tile = .allocate(capacity: self.maxRows * TopKScorer.tileColumns)
        tile.initialize(repeating: 0, count: self.maxRows * TopKScorer.tileColumns)
        candidateValues = .allocate(capacity: self.maxRows * capacity)
        candidateIndices = .allocate(capacity: self.maxRows * capacity)
        counts = .allocate(capacity: self.maxRows)
        counts.initialize(repeating: 0, count: self.maxRows)
        thresholds = .allocate(capacity: self.maxRows)
        thresholds.initialize(repeating: -.infinity, count: self.maxRows)
        cursors = .allocate(capacity: self.maxRows)
        cursors.initialize(repeating: 0, count: self.maxRows)
        scratchValues = .allocate(capacity: capacity)
        scratchIndices = .allocate(capacity: capacity)
        sortKeys = .allocate(capacity: 2 * max(self.k, 1))
    }

    deinit {
        tile.deallocate()
        candidateValues.deallocate()
        candidateIndices.deallocate()
        counts.deallocate()
        thresholds.deallocate()
        cursors.deallocate()
        scratchValues.deallocate()
        scratchIndices.deallocate()
        sortKeys.deallocate()
    }

    /// Scores `count` users (rows of `users`, `stride` floats apart, as wide as the items) and
    /// keeps each one's top-K; read them with `result(_:)`.
    /// - Parameters:
    ///   - maskColumns: item columns never selected, user r's in
    ///     `maskColumns[maskOffsets[r] ..< maskOffsets[r + 1]]`, sorted ascending; nil: none.
    public func score(users: UnsafePointer<Float>, stride: Int, count: Int,
                      maskColumns: UnsafePointer<Int32>? = nil, maskOffsets: UnsafePointer<Int>? = nil) {
        begin(count: count, maskOffsets: maskOffsets)
        guard count > 0, k > 0 else { return }
        let n = items.rows, tc = TopKScorer.tileColumns
        var j0 = 0
        while j0 < n {
            let width = min(tc, n - j0)
            TopKScorer.product(users, stride, items, from: j0, width: width, count: count, into: tile)
            select(width: width, base: j0, maskColumns: maskColumns, maskOffsets: maskOffsets)
            j0 += tc
        }
        finish()
    }

    /// count × width products of `a`'s rows (`lda` apart) with the rows `from ..< from + width`
    /// of `items`, into `tile` (rows `tileColumns` apart): one tile of scores.
    static func product(_ a: UnsafePointer<Float>, _ lda: Int, _ items: Matrix, from j0: Int, width: Int, count: Int,
                        into tile: UnsafeMutablePointer<Float>) {
        let tc = tileColumns, dim = items.cols
        if dim > 0 {
            GEMM.sgemm(transA: false, transB: true, m: count, n: width, k: dim, a: a, lda: lda,
                       b: UnsafePointer(items.row(j0)), ldb: dim, c: tile, ldc: tc, threads: 1)
        } else {
            for r in 0..<count { (tile + r * tc).update(repeating: 0, count: width) }
        }
    }

    /// Starts a selection over `count` rows (`score`, or a caller filling `tile` itself).
    func begin(count: Int, maskOffsets: UnsafePointer<Int>?) {
        precondition(count <= maxRows, "more users than the scorer was built for")
        rows = count
        for r in 0..<count {
            counts[r] = 0
            thresholds[r] = -.infinity
            cursors[r] = maskOffsets?[r] ?? 0
        }
    }

    /// Takes each row's candidates from `tile` (rows `tileColumns` apart) holding the scores of
    /// items `base ..< base + width`, masked items set to `-inf` first.
    func select(width: Int, base j0: Int, maskColumns: UnsafePointer<Int32>?, maskOffsets: UnsafePointer<Int>?) {
        let tc = TopKScorer.tileColumns
        for r in 0..<rows {
            let s = tile + r * tc
            if let maskColumns, let maskOffsets {
                var c = cursors[r]
                let end = maskOffsets[r + 1]
                while c < end {
                    let column = Int(maskColumns[c])
                    if column >= j0 + width { break }
                    if column >= j0 { s[column - j0] = -.infinity }
                    c += 1
                }
                cursors[r] = c
            }
            filter(row: r, scores: UnsafePointer(s), width: width, base: j0)
        }
    }

    /// Ends a selection: each row's best k, sorted best first (as `TopK.select` leaves them).
    func finish() {
        guard k > 0 else { return }
        for r in 0..<rows {
            let v = candidateValues + r * capacity, ix = candidateIndices + r * capacity
            var n = counts[r]
            if n > k {
                TopKScorer.keepBest(k, of: n, v, ix, scratchValues, scratchIndices)
                n = k
                counts[r] = n
            }
            TopKScorer.sortBestFirst(n, v, ix, sortKeys)
        }
    }

    /// User r's selection from the last `score`: item columns and scores, best first.
    public func result(_ r: Int) -> (indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        precondition(r < rows)
        return (UnsafeBufferPointer(start: candidateIndices + r * capacity, count: counts[r]),
                UnsafeBufferPointer(start: candidateValues + r * capacity, count: counts[r]))
    }

    /// Appends row r's scores of one tile that beat its threshold to its candidates, cutting
    /// them back to the best k whenever they would overflow.
    @inline(__always)
    private func filter(row r: Int, scores s: UnsafePointer<Float>, width: Int, base: Int) {
        let v = candidateValues + r * capacity, ix = candidateIndices + r * capacity
        var n = counts[r]
        var t = thresholds[r]
        let raw = UnsafeRawPointer(s)
        let chunk = TopKScorer.chunk
        typealias V = SIMD8<Float>
        var i = 0
        while i + chunk <= width {
            // Rejected whole when no score of the chunk beats the threshold (four compares
            // and one test; NaN never passes).
            let at = raw + i * 4
            let a = at.loadUnaligned(as: V.self), b = at.loadUnaligned(fromByteOffset: 32, as: V.self)
            let c = at.loadUnaligned(fromByteOffset: 64, as: V.self), d = at.loadUnaligned(fromByteOffset: 96, as: V.self)
            var tv = V(repeating: t)
            if any((a .> tv) .| (b .> tv) .| (c .> tv) .| (d .> tv)) {
                if n > compactAbove {
                    TopKScorer.keepBest(k, of: n, v, ix, scratchValues, scratchIndices)
                    n = k
                    t = TopKScorer.worst(k, v)
                    tv = V(repeating: t)
                }
                TopKScorer.append(a, passing: tv, at: i, base: base, v, ix, &n)
                TopKScorer.append(b, passing: tv, at: i + 8, base: base, v, ix, &n)
                TopKScorer.append(c, passing: tv, at: i + 16, base: base, v, ix, &n)
                TopKScorer.append(d, passing: tv, at: i + 24, base: base, v, ix, &n)
            }
            i += chunk
        }
        // The tile's ragged end, one score at a time: each is written, counted only when it passes.
        while i < width {
            if n >= capacity {
                TopKScorer.keepBest(k, of: n, v, ix, scratchValues, scratchIndices)
                n = k
                t = TopKScorer.worst(k, v)
            }
            let x = s[i]
            v[n] = x
            ix[n] = Int32(truncatingIfNeeded: base + i)
            n &+= x > t ? 1 : 0
            i += 1
        }
        counts[r] = n
        thresholds[r] = t
    }

    /// Appends the scores among `x` (scores `at ..< at + 8` of the tile row) above the
    /// threshold `t`, when there are any: each is written, and the count moves by its lane of
    /// the comparison (0 or 1, read from the vector: a branch here would be mispredicted).
    @inline(__always)
    static func append(_ x: SIMD8<Float>, passing t: SIMD8<Float>, at: Int, base: Int,
                       _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>, _ n: inout Int) {
        let passes = x .> t
        guard any(passes) else { return }
        let pass = SIMD8<Int32>(repeating: 0).replacing(with: 1, where: passes)
        let first = Int32(truncatingIfNeeded: base &+ at)
        var m = n
        @inline(__always) func put(_ l: Int) {
            v[m] = x[l]
            ix[m] = first &+ Int32(truncatingIfNeeded: l)
            m &+= Int(pass[l])
        }
        put(0); put(1); put(2); put(3); put(4); put(5); put(6); put(7)
        n = m
    }

    /// A candidate as one number that orders as `TopK` ranks: the score's bits made to compare
    /// as unsigned integers above the complement of the index (so a lower index ranks higher).
    /// -0 is +0 first: they are equal scores, whose tie the index must break.
    @inline(__always)
    static func key(_ value: Float, _ index: Int32) -> UInt64 {
        let bits = (value + 0).bitPattern
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(ordered) << 32 | UInt64(~UInt32(bitPattern: index))
    }

    /// Sorts the first `n` candidates best first, as keys, by a bottom-up merge sort whose merge
    /// picks with a conditional move (the heap sort it replaced mispredicted on every level).
    /// - Parameter keys: room for 2n keys.
    static func sortBestFirst(_ n: Int, _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>,
                              _ keys: UnsafeMutablePointer<UInt64>) {
        guard n > 1 else { return }
        for i in 0..<n { keys[i] = key(v[i], ix[i]) }
        var src = keys, dst = keys + n
        var width = 1
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                var i = lo, j = mid, o = lo
                while i < mid && j < hi {
                    let x = src[i], y = src[j]
                    let takeY = y > x
                    dst[o] = takeY ? y : x
                    i &+= takeY ? 0 : 1
                    j &+= takeY ? 1 : 0
                    o &+= 1
                }
                while i < mid { dst[o] = src[i]; i &+= 1; o &+= 1 }
                while j < hi { dst[o] = src[j]; j &+= 1; o &+= 1 }
                lo = hi
            }
            swap(&src, &dst)
            width &*= 2
        }
        for i in 0..<n {
            let key = src[i], ordered = UInt32(truncatingIfNeeded: key >> 32)
            v[i] = Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered ^ 0x8000_0000 : ~ordered)
            ix[i] = Int32(bitPattern: ~UInt32(truncatingIfNeeded: key))
        }
    }

    /// The lowest of the first `k` scores: the threshold once they are the best k.
    @inline(__always)
    static func worst(_ k: Int, _ v: UnsafePointer<Float>) -> Float {
        var w = v[0]
        for i in 1..<max(k, 1) { w = min(w, v[i]) }
        return w
    }

    /// Whether candidate (va, ia) ranks before (vb, ib): higher score, or equal and lower index
    /// (`TopK`'s order), computed without a branch.
    @inline(__always)
    static func better(_ va: Float, _ ia: Int32, _ vb: Float, _ ib: Int32) -> Int {
        (va > vb ? 1 : 0) | ((va == vb ? 1 : 0) & (ia < ib ? 1 : 0))
    }

    /// Reorders the first `n` candidates so that the first `k` are the best k (in no order):
    /// quickselect with a median-of-three pivot and a branch-free, out-of-place partition — each
    /// candidate is written both to the better side (in place, behind the one being read) and
    /// to `scratch`, and only the count of the side it belongs to moves — so shuffled scores
    /// cost neither mispredicted branches nor a chain of stores and loads to the same place.
    static func keepBest(_ k: Int, of n: Int, _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>,
                         _ scratchValues: UnsafeMutablePointer<Float>, _ scratchIndices: UnsafeMutablePointer<Int32>) {
        guard k > 0, n > k else { return }
        // [0, lo) are among the best k and better than the rest; [hi, n) are not among them.
        var lo = 0, hi = n
        while lo < k && k < hi {
            // The median of the first, middle and last goes last, as the pivot.
            let last = hi - 1, mid = (lo + last) >> 1
            if better(v[mid], ix[mid], v[lo], ix[lo]) == 1 { TopK.swapAt(mid, lo, v, ix) }
            if better(v[last], ix[last], v[lo], ix[lo]) == 1 { TopK.swapAt(last, lo, v, ix) }
            if better(v[mid], ix[mid], v[last], ix[last]) == 1 { TopK.swapAt(mid, last, v, ix) }
            let pv = v[last], pi = ix[last]
            var b = lo, w = 0
            for i in lo..<last {
                let x = v[i], j = ix[i]
                let isBetter = better(x, j, pv, pi)
                v[b] = x
                ix[b] = j
                scratchValues[w] = x
                scratchIndices[w] = j
                b &+= isBetter
                w &+= 1 &- isBetter
            }
            v[b] = pv
            ix[b] = pi
            (v + b + 1).update(from: scratchValues, count: w)
            (ix + b + 1).update(from: scratchIndices, count: w)
            // The pivot is the (b + 1)-th best.
            if b + 1 == k { return }
            if b >= k { hi = b } else { lo = b + 1 }
        }
    }
}

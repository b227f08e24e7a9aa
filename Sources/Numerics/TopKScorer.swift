/// The top-K items of each of a block of users, scored tile by tile with the selection done in
/// the same pass: no score matrix larger than one tile ever exists.
///
/// For a block of up to `maxRows` users and each tile of `tileColumns` items, the GEMM backend
/// fills a rows × tile buffer (cache resident) and every user's running top-K is updated from
/// its row of the tile before the next tile overwrites it. The update is `TopK.select`'s bounded
/// min-heap carried across tiles and fed the scores in the same order, so the result is exactly
/// what `TopK.select` gives on the full row (descending score, ties to the lower index, `-inf`
/// and NaN never selected). Most scores are rejected 32 at a time by their maximum.
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

    private let tile: UnsafeMutablePointer<Float>
    private let heapValues: UnsafeMutablePointer<Float>
    private let heapIndices: UnsafeMutablePointer<Int32>
    private let sizes: UnsafeMutablePointer<Int>
    private let cursors: UnsafeMutablePointer<Int>
    private var rows = 0

    /// - Parameter items: one row per item (the candidates), as wide as the users.
    public init(items: Matrix, maxRows: Int, k: Int) {
        self.items = items
        self.k = max(k, 0)
        self.maxRows = max(maxRows, 1)
        tile = .allocate(capacity: self.maxRows * TopKScorer.tileColumns)
        tile.initialize(repeating: 0, count: self.maxRows * TopKScorer.tileColumns)
        heapValues = .allocate(capacity: self.maxRows * max(self.k, 1))
        heapIndices = .allocate(capacity: self.maxRows * max(self.k, 1))
        sizes = .allocate(capacity: self.maxRows)
        sizes.initialize(repeating: 0, count: self.maxRows)
        cursors = .allocate(capacity: self.maxRows)
        cursors.initialize(repeating: 0, count: self.maxRows)
    }

    deinit {
        tile.deallocate()
        heapValues.deallocate()
        heapIndices.deallocate()
        sizes.deallocate()
        cursors.deallocate()
    }

    /// Scores `count` users (rows of `users`, `stride` floats apart, as wide as the items) and
    /// keeps each one's top-K; read them with `result(_:)`.
    /// - Parameters:
    ///   - maskColumns: item columns never selected, user r's in
    ///     `maskColumns[maskOffsets[r] ..< maskOffsets[r + 1]]`, sorted ascending; nil: none.
    public func score(users: UnsafePointer<Float>, stride: Int, count: Int,
                      maskColumns: UnsafePointer<Int32>? = nil, maskOffsets: UnsafePointer<Int>? = nil) {
        precondition(count <= maxRows, "more users than the scorer was built for")
        rows = count
        let dim = items.cols, n = items.rows
        guard count > 0, k > 0 else { return }
        for r in 0..<count {
            sizes[r] = 0
            cursors[r] = maskOffsets?[r] ?? 0
        }
        let tc = TopKScorer.tileColumns
        var j0 = 0
        while j0 < n {
            let width = min(tc, n - j0)
            if dim > 0 {
                GEMM.sgemm(transA: false, transB: true, m: count, n: width, k: dim, a: users, lda: stride,
                           b: UnsafePointer(items.row(j0)), ldb: dim, c: tile, ldc: tc, threads: 1)
            } else {
                for r in 0..<count { (tile + r * tc).update(repeating: 0, count: width) }
            }
            for r in 0..<count {
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
                sizes[r] = update(heap: r, scores: UnsafePointer(s), width: width, base: j0, size: sizes[r])
            }
            j0 += tc
        }
        // Heap sort each row in place, best first (as `TopK.select` leaves it).
        for r in 0..<count {
            let v = heapValues + r * k, ix = heapIndices + r * k
            var end = sizes[r]
            while end > 1 {
                end -= 1
                TopK.swapAt(0, end, v, ix)
                TopK.siftDown(0, end, v, ix)
            }
        }
    }

    /// User r's selection from the last `score`: item columns and scores, best first.
    public func result(_ r: Int) -> (indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        precondition(r < rows)
        return (UnsafeBufferPointer(start: heapIndices + r * k, count: sizes[r]),
                UnsafeBufferPointer(start: heapValues + r * k, count: sizes[r]))
    }

    /// `TopK.select`'s fill and steady phases over one tile of a row, continuing a heap of `size`.
    @inline(__always)
    private func update(heap r: Int, scores s: UnsafePointer<Float>, width: Int, base: Int, size start: Int) -> Int {
        let v = heapValues + r * k, ix = heapIndices + r * k
        var size = start
        var i = 0
        while i < width && size < k {
            let x = s[i]
            if x > -Float.infinity {
                v[size] = x
                ix[size] = Int32(truncatingIfNeeded: base + i)
                TopK.siftUp(size, v, ix)
                size += 1
            }
            i += 1
        }
        guard size == k else { return size }
        var worst = v[0]
        let raw = UnsafeRawPointer(s)
        while i < width {
            let end = min(width, i + 32)
            // A chunk of 32 whose maximum cannot enter the heap is rejected at once (lanes kept
            // with `replacing(where:)`, which vectorises; NaN never wins).
            if end - i == 32 {
                typealias V = SIMD8<Float>
                let at = raw + i * 4
                let a = at.loadUnaligned(as: V.self), b = at.loadUnaligned(fromByteOffset: 32, as: V.self)
                let c = at.loadUnaligned(fromByteOffset: 64, as: V.self), d = at.loadUnaligned(fromByteOffset: 96, as: V.self)
                let ab = a.replacing(with: b, where: b .> a), cd = c.replacing(with: d, where: d .> c)
                let m = ab.replacing(with: cd, where: cd .> ab)
                let m4 = m.lowHalf.replacing(with: m.highHalf, where: m.highHalf .> m.lowHalf)
                let m2 = m4.lowHalf.replacing(with: m4.highHalf, where: m4.highHalf .> m4.lowHalf)
                if !(m2[0] > worst || m2[1] > worst) {
                    i = end
                    continue
                }
            }
            while i < end {
                let x = s[i]
                if x > worst {
                    v[0] = x
                    ix[0] = Int32(truncatingIfNeeded: base + i)
                    TopK.siftDown(0, size, v, ix)
                    worst = v[0]
                }
                i += 1
            }
        }
        return size
    }
}

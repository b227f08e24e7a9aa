/// The top-K items of each of a block of users, scored against `PackedItems` tile by tile with
/// the selection done in the same pass: no score matrix larger than one tile ever exists.
///
/// For a block of up to `maxRows` users the users are packed into 6-tall A panels once; then
/// for each tile of `tileColumns` items the GEMM micro-kernel fills a rows × tile buffer (L2
/// resident) and every user's running top-K is updated from its row of the tile while it is
/// still in cache. The update is `TopK.select`'s bounded min-heap carried across tiles, fed the
/// scores in the same order, so the result is exactly what `TopK.select` gives on the full row
/// (descending score, ties to the lower index, `-inf` and NaN never selected); most scores are
/// rejected sixteen at a time against the heap's worst.
///
/// Masked items (a user's training positives) are given per user as sorted column lists and set
/// to `-inf` in the tile before selection.
///
/// One scorer per thread; the packed items are shared. Allocates only in `init`.
public final class TopKScorer {
    public let items: PackedItems
    public let k: Int
    public let maxRows: Int
    /// Items per tile: a multiple of the micro-panel width; rows × tile floats stay in L2.
    public static let tileColumns = 128

    private let paddedRows: Int
    private let packedA: UnsafeMutablePointer<Float>
    private let tile: UnsafeMutablePointer<Float>
    private let heapValues: UnsafeMutablePointer<Float>
    private let heapIndices: UnsafeMutablePointer<Int32>
    private var sizes: [Int]
    private var cursors: [Int]
    private var rows = 0

    public init(items: PackedItems, maxRows: Int, k: Int) {
        self.items = items
        self.k = max(k, 0)
        self.maxRows = max(maxRows, 1)
        paddedRows = (self.maxRows + MicroKernel.mr - 1) / MicroKernel.mr * MicroKernel.mr
        packedA = .allocate(capacity: paddedRows * max(items.dim, 1))
        packedA.initialize(repeating: 0, count: paddedRows * max(items.dim, 1))
        tile = .allocate(capacity: paddedRows * TopKScorer.tileColumns)
        tile.initialize(repeating: 0, count: paddedRows * TopKScorer.tileColumns)
        heapValues = .allocate(capacity: self.maxRows * max(self.k, 1))
        heapIndices = .allocate(capacity: self.maxRows * max(self.k, 1))
        sizes = Array(repeating: 0, count: self.maxRows)
        cursors = Array(repeating: 0, count: self.maxRows)
    }

    deinit {
        packedA.deallocate()
        tile.deallocate()
        heapValues.deallocate()
        heapIndices.deallocate()
    }

    /// Scores `count` users (rows of `users`, `stride` floats apart, `items.dim` wide) and keeps
    /// each one's top-K; read them with `result(_:)`.
    /// - Parameters:
    ///   - maskColumns: item columns never selected, user r's in
    ///     `maskColumns[maskOffsets[r] ..< maskOffsets[r + 1]]`, sorted ascending; nil: none.
    public func score(users: UnsafePointer<Float>, stride: Int, count: Int,
                      maskColumns: UnsafePointer<Int32>? = nil, maskOffsets: UnsafePointer<Int>? = nil) {
        precondition(count <= maxRows, "more users than the scorer was built for")
        rows = count
        let dim = items.dim, n = items.count, k = self.k
        guard count > 0, k > 0 else { return }
        for r in 0..<count {
            sizes[r] = 0
            cursors[r] = maskOffsets?[r] ?? 0
        }
        if dim > 0 {
            GEMMPacking.packA(transA: false, a: users, lda: stride, i0: 0, mc: count, p0: 0, kc: dim, into: packedA)
        }
        let mr = MicroKernel.mr, nr = MicroKernel.nr, tc = TopKScorer.tileColumns
        let rowPanels = (count + mr - 1) / mr
        var j0 = 0
        while j0 < n {
            let width = min(tc, n - j0)
            let colPanels = (width + nr - 1) / nr
            if dim > 0 {
                for q in 0..<colPanels {
                    let b = UnsafePointer(items.panels + (j0 / nr + q) * dim * nr)
                    for p in 0..<rowPanels {
                        MicroKernel.full(k: dim, a: UnsafePointer(packedA + p * dim * mr), b: b,
                                         c: tile + p * mr * tc + q * nr, ldc: tc, alpha: 1, beta: 0)
                    }
                }
            } else {
                tile.update(repeating: 0, count: paddedRows * tc)
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
        while i + 16 <= width {
            let block = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            if any(block .> SIMD16(repeating: worst)) {
                for l in 0..<16 where s[i + l] > worst {
                    v[0] = s[i + l]
                    ix[0] = Int32(truncatingIfNeeded: base + i + l)
                    TopK.siftDown(0, size, v, ix)
                    worst = v[0]
                }
            }
            i += 16
        }
        while i < width {
            let x = s[i]
            if x > worst {
                v[0] = x
                ix[0] = Int32(truncatingIfNeeded: base + i)
                TopK.siftDown(0, size, v, ix)
                worst = v[0]
            }
            i += 1
        }
        return size
    }
}

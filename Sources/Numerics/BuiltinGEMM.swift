/// The built-in single-precision GEMM: cache-blocked, packed, register-blocked SIMD, threaded.
///
/// Structure (the BLIS/Goto loop nest): for each `nc`-wide column block of C and each `kc` slice
/// of k, a kc×nc block of op(B) is packed into 16-wide micro-panels (L3/L2 resident); for each
/// `mc`-tall row block, an mc×kc block of op(A) is packed into 6-tall micro-panels (L2
/// resident); the 6×16 micro-kernel (`MicroKernel`) then sweeps the block, one B micro-panel
/// (kc·16 floats, L1 resident) against every A micro-panel.
///
/// Threads split C into contiguous row ranges (or column ranges when C is wide), each worker
/// running the whole loop nest with its own packing buffers: no barriers, and every element of C
/// is computed by one worker in the same order whatever the thread count, so results do not
/// depend on `threads`. Skinny products (n < 4 or m < 3) skip packing (`direct`).
public struct BuiltinGEMM: GEMMBackend {
    public let name = "builtin"
    public init() {}

    /// Block sizes: mc×kc of A (≈ 150 KB) stays in L2, kc×16 of B (16 KB) in L1.
    @usableFromInline static let mc = 144
    @usableFromInline static let kc = 256
    @usableFromInline static let nc = 4080

    public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        if m <= 0 || n <= 0 { return }
        if k <= 0 || alpha == 0 {
            BuiltinGEMM.scale(m: m, n: n, c: c, ldc: ldc, beta: beta)
            return
        }
        let flops = m * n * k
        // Skinny shapes (matrix–vector-like): padding to 6×16 tiles would waste most of the work.
        // Small square-ish shapes still pack: measured faster than the direct loops from 8³ up
        // (16³: 20 vs 11 GFLOP/s; 23³: 30 vs 6).
        if n < 4 || m < 3 {
            BuiltinGEMM.direct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                               a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Thread only when each worker gets at least ~2 MFLOP: below that, waking a worker costs more.
        let workers = max(1, min(threads, flops / (1 << 20)))
        if workers == 1 {
            BuiltinGEMM.blocked(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let splitRows = m >= n
        let unit = splitRows ? MicroKernel.mr : MicroKernel.nr
        let units = ((splitRows ? m : n) + unit - 1) / unit
        GEMMSlices(kernel: BlockedKernel(), transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            .run(parts: max(1, min(workers, units)), alignment: unit)
    }

    /// The packed loop nest as the single-threaded kernel of `GEMMSlices`.
    struct BlockedKernel: SingleThreadedGEMMKernel {
        func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
            BuiltinGEMM.blocked(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// The packed loop nest on one thread.
    @usableFromInline
    static func blocked(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let mr = MicroKernel.mr, nr = MicroKernel.nr
        let ws = GEMMWorkspace.take()
        defer { GEMMWorkspace.give(ws) }
        let kcMax = min(kc, k)
        let mcMax = min(mc, (m + mr - 1) / mr * mr)
        let ncMax = min(nc, (n + nr - 1) / nr * nr)
        ws.reserve(aCount: ((mcMax + mr - 1) / mr * mr) * kcMax, bCount: ncMax * kcMax)
        let packedA = ws.a, packedB = ws.b, tile = ws.tile

        var jc = 0
        while jc < n {
            let ncCur = min(nc, n - jc)
            var pc = 0
            while pc < k {
                let kcCur = min(kc, k - pc)
                let betaCur: Float = pc == 0 ? beta : 1
                GEMMPacking.packB(transB: transB, b: b, ldb: ldb, p0: pc, kc: kcCur, j0: jc, nc: ncCur, into: packedB)
                var ic = 0
                while ic < m {
                    let mcCur = min(mc, m - ic)
                    GEMMPacking.packA(transA: transA, a: a, lda: lda, i0: ic, mc: mcCur, p0: pc, kc: kcCur, into: packedA)
                    var jr = 0
                    while jr < ncCur {
                        let cols = min(nr, ncCur - jr)
                        let bPanel = UnsafePointer(packedB + (jr / nr) * kcCur * nr)
                        var ir = 0
                        while ir < mcCur {
                            let rows = min(mr, mcCur - ir)
                            let aPanel = UnsafePointer(packedA + (ir / mr) * kcCur * mr)
                            let cTile = c + (ic + ir) * ldc + jc + jr
                            if rows == mr && cols == nr {
                                MicroKernel.full(k: kcCur, a: aPanel, b: bPanel, c: cTile, ldc: ldc,
                                                 alpha: alpha, beta: betaCur)
                            } else {
                                MicroKernel.edge(k: kcCur, a: aPanel, b: bPanel, c: cTile, ldc: ldc,
                                                 rows: rows, cols: cols, alpha: alpha, beta: betaCur, scratch: tile)
                            }
                            ir += mr
                        }
                        jr += nr
                    }
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }

    /// C = beta · C (k == 0 or alpha == 0); C is not read when beta == 0.
    static func scale(m: Int, n: Int, c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { Kernels.scale(row, count: n, by: beta) }
        }
    }

    /// Unpacked loops for skinny shapes: row updates (C[i,:] += α·A[i,p]·B[p,:]) when
    /// op(B) has unit-stride rows wide enough to vectorise; column updates from A's rows when A
    /// is transposed; dot products otherwise (op(B) transposed, or a few columns such as a
    /// matrix–vector product).
    static func direct(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let aRow = transA ? 1 : lda, aCol = transA ? lda : 1
        if !transB && n >= 8 {
            for i in 0..<m {
                let crow = c + i * ldc
                if beta == 0 { crow.update(repeating: 0, count: n) } else if beta != 1 { Kernels.scale(crow, count: n, by: beta) }
                for p in 0..<k {
                    let s = alpha * a[i * aRow + p * aCol]
                    if s != 0 { Kernels.axpy(s, UnsafePointer(b + p * ldb), crow, count: n) }
                }
            }
            return
        }
        // op(B)[:, j] starts at b + j·bCol with stride bRow.
        let bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1
        if transA && m >= 8 {
            // op(A)[:, p] is row p of A: build each column of C as Σ_p op(B)[p, j] · A[p, :]
            // (unit stride; a strided walk down A's columns would thrash the L1 sets).
            let ws = GEMMWorkspace.take()
            defer { GEMMWorkspace.give(ws) }
            ws.reserve(aCount: m, bCount: 0)
            let column = ws.a
            for j in 0..<n {
                column.update(repeating: 0, count: m)
                for p in 0..<k {
                    let s = b[p * bRow + j * bCol]
                    if s != 0 { Kernels.axpy(s, a + p * lda, column, count: m) }
                }
                for i in 0..<m {
                    let cij = c + i * ldc + j
                    cij.pointee = beta == 0 ? alpha * column[i] : alpha * column[i] + beta * cij.pointee
                }
            }
            return
        }
        for i in 0..<m {
            let crow = c + i * ldc
            let arow = a + i * aRow
            for j in 0..<n {
                let bcol = b + j * bCol
                let d = Kernels.dot(arow, stride: aCol, bcol, stride: bRow, count: k)
                crow[j] = beta == 0 ? alpha * d : alpha * d + beta * crow[j]
            }
        }
    }
}

/// Packing of A and B blocks into the contiguous micro-panel layout the micro-kernel streams.
///
/// Packing turns any transpose and any leading dimension into unit-stride reads, keeps a block
/// of A resident in L2 and a k-slice of a B micro-panel in L1, and pads ragged edges with zeros
/// so the kernel never branches on shape.
@usableFromInline
enum GEMMPacking {
    /// Packs op(A)[i0 ..< i0+mc, p0 ..< p0+kc] as ⌈mc/6⌉ panels; panel q holds, for each p,
    /// the 6 values op(A)[i0+6q+r, p0+p] (r = 0..<6), rows beyond mc zero.
    @inlinable @inline(__always)
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, mc: Int, p0: Int, kc: Int,
                      into dst: UnsafeMutablePointer<Float>) {
        let mr = MicroKernel.mr
        var out = dst
        var i = 0
        while i < mc {
            let rows = min(mr, mc - i)
            if !transA {
                // op(A)[r, p] = a[r * lda + p]: read 6 rows side by side.
                if rows == mr {
                    let r0 = a + (i0 + i) * lda + p0
                    let r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
                    for p in 0..<kc {
                        out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p]
                        out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p]
                        out += mr
                    }
                } else {
                    for p in 0..<kc {
                        for r in 0..<mr { out[r] = r < rows ? a[(i0 + i + r) * lda + p0 + p] : 0 }
                        out += mr
                    }
                }
            } else {
                // op(A)[r, p] = a[p * lda + r]: 6 contiguous values per p.
                if rows == mr {
                    for p in 0..<kc {
                        let src = a + (p0 + p) * lda + i0 + i
                        out[0] = src[0]; out[1] = src[1]; out[2] = src[2]
                        out[3] = src[3]; out[4] = src[4]; out[5] = src[5]
                        out += mr
                    }
                } else {
                    for p in 0..<kc {
                        let src = a + (p0 + p) * lda + i0 + i
                        for r in 0..<mr { out[r] = r < rows ? src[r] : 0 }
                        out += mr
                    }
                }
            }
            i += mr
        }
    }

    /// Packs op(B)[p0 ..< p0+kc, j0 ..< j0+nc] as ⌈nc/16⌉ panels; panel q holds, for each p,
    /// the 16 values op(B)[p0+p, j0+16q+c], columns beyond nc zero.
    @inlinable @inline(__always)
    static func packB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, kc: Int, j0: Int, nc: Int,
                      into dst: UnsafeMutablePointer<Float>) {
        let nr = MicroKernel.nr
        var panel = dst
        var j = 0
        while j < nc {
            let cols = min(nr, nc - j)
            if !transB {
                // op(B)[p, c] = b[p * ldb + c]: 16 contiguous values per p.
                if cols == nr {
                    var out = UnsafeMutableRawPointer(panel)
                    var src = b + p0 * ldb + j0 + j
                    for _ in 0..<kc {
                        let raw = UnsafeRawPointer(src)
                        out.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        out.storeBytes(of: raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                       toByteOffset: 32, as: SIMD8<Float>.self)
                        out += 64
                        src += ldb
                    }
                } else {
                    var out = panel
                    for p in 0..<kc {
                        let src = b + (p0 + p) * ldb + j0 + j
                        for c in 0..<nr { out[c] = c < cols ? src[c] : 0 }
                        out += nr
                    }
                }
            } else {
                // op(B)[p, c] = b[c * ldb + p]: each source row fills one column of the panel.
                if cols < nr { panel.update(repeating: 0, count: kc * nr) }
                for c in 0..<cols {
                    let src = b + (j0 + j + c) * ldb + p0
                    var out = panel + c
                    for p in 0..<kc {
                        out.pointee = src[p]
                        out += nr
                    }
                }
            }
            panel += kc * nr
            j += nr
        }
    }
}

/// BLAS-1 on raw Float buffers: the dot products and row updates every layer above uses (the
/// losses' direct scoring and gathers, the ALS solves, the built-in GEMM's edge cases).
///
/// They are `@inlinable` because most calls are short (one 64- to 256-long row) and come from
/// other modules: an opaque call per row cost the losses and the ALS inner loops enough that
/// they once kept private copies of these loops. The contiguous ones are also
/// `@inline(__always)`: `@inlinable` alone lets the optimizer inline them, and on the ALS loops
/// it did not (callgrind: 4% more instructions per half-step than the private copies). Keep
/// `scripts/bench_callgrind.sh` figures beside any change here: small rewrites of these loops
/// moved the ALS and GEMM counts by a few percent either way.
extension Kernels {
    /// y += alpha · x.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        // Written out rather than through `zip`, with wrapping index arithmetic and a tail loop
        // whose trip count (count & 7) LLVM can see is below 8: inlined into the ALS solves (one
        // call per observed entry) and GEMM's direct path, the generic forms cost extra
        // instructions per call or per vector (callgrind).
        let a = V(repeating: alpha)
        var i = 0
        while i &+ 8 <= count {
            var v = load(y + i)
            v.addProduct(load(x + i), a)
            store(v, y + i)
            i &+= 8
        }
        let tail = count & 7
        var l = 0
        while l < tail {
            y[i &+ l] = y[i &+ l].addingProduct(x[i &+ l], alpha)
            l &+= 1
        }
    }

    /// y += c0·x0 + c1·x1 + c2·x2 + c3·x3: four axpys in one pass over y (fused in that order).
    @inlinable @inline(__always)
    public static func axpy4(_ c0: Float, _ x0: UnsafePointer<Float>, _ c1: Float, _ x1: UnsafePointer<Float>,
                             _ c2: Float, _ x2: UnsafePointer<Float>, _ c3: Float, _ x3: UnsafePointer<Float>,
                             _ y: UnsafeMutablePointer<Float>, count: Int) {
        let a0 = V(repeating: c0), a1 = V(repeating: c1), a2 = V(repeating: c2), a3 = V(repeating: c3)
        var i = 0
        while i + 8 <= count {
            var v = load(y + i)
            v.addProduct(a0, load(x0 + i))
            v.addProduct(a1, load(x1 + i))
            v.addProduct(a2, load(x2 + i))
            v.addProduct(a3, load(x3 + i))
            store(v, y + i)
            i += 8
        }
        while i < count {
            var v = y[i]
            v.addProduct(c0, x0[i])
            v.addProduct(c1, x1[i])
            v.addProduct(c2, x2[i])
            v.addProduct(c3, x3[i])
            y[i] = v
            i += 1
        }
    }

    /// y = x + beta · y (a conjugate-gradient direction update).
    @inlinable @inline(__always)
    public static func xpby(_ x: UnsafePointer<Float>, _ beta: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let b = V(repeating: beta)
        zip(x, UnsafePointer(y), y, count: count) { x, y in x.addingProduct(y, b) }
    }

    /// x *= alpha.
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        let a = V(repeating: alpha)
        map(UnsafePointer(x), x, count: count) { $0 * a }
    }

    /// y = alpha · x.
    @inlinable @inline(__always)
    public static func scale(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        let a = V(repeating: alpha)
        map(x, y, count: count) { $0 * a }
    }

    /// y += x.
    @inlinable @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        zip(x, UnsafePointer(y), y, count: count) { $0 + $1 }
    }

    /// z = x · y elementwise.
    @inlinable @inline(__always)
    public static func multiply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, count: Int) {
        zip(x, y, z, count: count) { $0 * $1 }
    }

    /// Σ x[i] · y[i] (four independent accumulators, so a 128-long dot is four short chains of
    /// fused multiply-adds rather than one long one).
    @inlinable @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        var i = 0
        while i + 32 <= count {
            s0 = s0.addingProduct(load(x + i), load(y + i))
            s1 = s1.addingProduct(load(x + i + 8), load(y + i + 8))
            s2 = s2.addingProduct(load(x + i + 16), load(y + i + 16))
            s3 = s3.addingProduct(load(x + i + 24), load(y + i + 24))
            i += 32
        }
        while i + 8 <= count {
            s0 = s0.addingProduct(load(x + i), load(y + i))
            i += 8
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < count { s += x[i] * y[i]; i += 1 }
        return s
    }

    /// Σ x[i · stride] · y[i].
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, stride: Int, _ y: UnsafePointer<Float>, count: Int) -> Float {
        if stride == 1 { return dot(x, y, count: count) }
        return dot(x, stride: stride, y, stride: 1, count: count)
    }

    /// Σ x[i · strideX] · y[i · strideY], four independent partial sums (a single running sum
    /// would wait on the adder's latency at every step).
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, stride sx: Int, _ y: UnsafePointer<Float>, stride sy: Int, count: Int) -> Float {
        if sx == 1 && sy == 1 { return dot(x, y, count: count) }
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var px = x, py = y
        var i = 0
        while i + 4 <= count {
            s0 = s0.addingProduct(px[0], py[0])
            s1 = s1.addingProduct(px[sx], py[sy])
            s2 = s2.addingProduct(px[2 * sx], py[2 * sy])
            s3 = s3.addingProduct(px[3 * sx], py[3 * sy])
            px += 4 * sx
            py += 4 * sy
            i += 4
        }
        while i < count { s0 = s0.addingProduct(px[0], py[0]); px += sx; py += sy; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ x[i].
    @inlinable
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = V(), s1 = V()
        var i = 0
        while i + 16 <= count { s0 += load(x + i); s1 += load(x + i + 8); i += 16 }
        var s = (s0 + s1).sum()
        while i < count { s += x[i]; i += 1 }
        return s
    }

    /// Σ x[i]².
    @inlinable @inline(__always)
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float { dot(x, x, count: count) }

    /// max x[i] (-inf for an empty buffer).
    @inlinable
    public static func max(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var m = V(repeating: -.infinity)
        var i = 0
        while i + 8 <= count { let v = load(x + i); m = m.replacing(with: v, where: v .> m); i += 8 }
        var r = m.max()
        while i < count { r = Swift.max(r, x[i]); i += 1 }
        return r
    }
}

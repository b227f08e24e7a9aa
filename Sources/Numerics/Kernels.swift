/// Elementwise and BLAS-1 kernels on raw Float buffers: the inner loops of the layers.
///
/// Every function works on `count` contiguous floats, vectorised with `SIMD8<Float>` (8 lanes
/// of AVX on x86-64-v3, two NEON registers on arm64); the tail is done on a zero-padded vector
/// with the same code, so a value's result never depends on its position. Output may alias
/// input (in-place use) unless stated otherwise.
public enum Kernels {
    public typealias V = SIMD8<Float>

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inlinable @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// y[i] = f(x[i]) for a vector function f.
    @inlinable @inline(__always)
    static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, _ f: (V) -> V) {
        var i = 0
        while i + 8 <= count {
            store(f(load(x + i)), y + i)
            i += 8
        }
        if i < count {
            var v = V()
            for l in 0..<(count - i) { v[l] = x[i + l] }
            let r = f(v)
            for l in 0..<(count - i) { y[i + l] = r[l] }
        }
    }

    /// y[i] = Op.apply(x[i]). A generic over a static operation rather than a closure: with a
    /// closure that only forwards to a VectorMath function, the call was not inlined and LLVM
    /// merged the kernels into one loop making an indirect call per vector (3× slower).
    @inlinable @inline(__always)
    static func map<Op: VectorOperation>(_: Op.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            store(Op.apply(load(x + i)), y + i)
            i += 8
        }
        if i < count {
            var v = V()
            for l in 0..<(count - i) { v[l] = x[i + l] }
            let r = Op.apply(v)
            for l in 0..<(count - i) { y[i + l] = r[l] }
        }
    }

    /// z[i] = f(x[i], y[i]).
    @inlinable @inline(__always)
    static func zip(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>,
                    count: Int, _ f: (V, V) -> V) {
        var i = 0
        while i + 8 <= count {
            store(f(load(x + i), load(y + i)), z + i)
            i += 8
        }
        if i < count {
            var u = V(), v = V()
            for l in 0..<(count - i) { u[l] = x[i + l]; v[l] = y[i + l] }
            let r = f(u, v)
            for l in 0..<(count - i) { z[i + l] = r[l] }
        }
    }

    // MARK: Activations

    /// y = max(x, 0).
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(x, y, count: count) { $0.replacing(with: 0, where: $0 .< 0) }
    }

    /// y = tanh(x).
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(VectorOps.Tanh.self, x, y, count: count)
    }

    /// y = 1 / (1 + e^{-x}).
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(VectorOps.Sigmoid.self, x, y, count: count)
    }

    /// y = log(1 + e^x), stable for large |x|.
    public static func softplus(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(VectorOps.Softplus.self, x, y, count: count)
    }

    /// y = e^x.
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(VectorOps.Exp.self, x, y, count: count)
    }

    /// y = log(x).
    public static func log(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(VectorOps.Log.self, x, y, count: count)
    }

    // MARK: Activation gradients (from the forward output y and the upstream gradient dy)

    /// dx = dy where y > 0, else 0 (y = relu(x)).
    public static func reluBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        zip(y, dy, dx, count: count) { y, g in g.replacing(with: 0, where: y .<= 0) }
    }

    /// dx = dy · (1 - y²) (y = tanh(x)).
    public static func tanhBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        zip(y, dy, dx, count: count) { y, g in g * (1 - y * y) }
    }

    /// dx = dy · y · (1 - y) (y = sigmoid(x)).
    public static func sigmoidBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        zip(y, dy, dx, count: count) { y, g in g * y * (1 - y) }
    }

    // MARK: BLAS-1

    /// y += alpha · x.
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        zip(x, UnsafePointer(y), y, count: count) { x, y in y.addingProduct(x, alpha) }
    }

    /// x *= alpha.
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        map(UnsafePointer(x), x, count: count) { $0 * alpha }
    }

    /// y += x.
    public static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        zip(x, UnsafePointer(y), y, count: count) { $0 + $1 }
    }

    /// z = x · y elementwise.
    public static func multiply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, count: Int) {
        zip(x, y, z, count: count) { $0 * $1 }
    }

    /// Σ x[i] · y[i] (four independent accumulators).
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
    public static func dot(_ x: UnsafePointer<Float>, stride: Int, _ y: UnsafePointer<Float>, count: Int) -> Float {
        if stride == 1 { return dot(x, y, count: count) }
        return dot(x, stride: stride, y, stride: 1, count: count)
    }

    /// Σ x[i · strideX] · y[i · strideY], four independent partial sums (a single running sum
    /// would wait on the adder's latency at every step).
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
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = V(), s1 = V()
        var i = 0
        while i + 16 <= count { s0 += load(x + i); s1 += load(x + i + 8); i += 16 }
        var s = (s0 + s1).sum()
        while i < count { s += x[i]; i += 1 }
        return s
    }

    /// Σ x[i]².
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float { dot(x, x, count: count) }

    /// max x[i] (-inf for an empty buffer).
    public static func max(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var m = V(repeating: -.infinity)
        var i = 0
        while i + 8 <= count { let v = load(x + i); m = m.replacing(with: v, where: v .> m); i += 8 }
        var r = m.max()
        while i < count { r = Swift.max(r, x[i]); i += 1 }
        return r
    }

    // MARK: Log-sum-exp and softmax

    /// log Σ e^{x[i]}, shifted by the maximum so it never overflows (-inf when empty or all -inf).
    public static func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let m = max(x, count: count)
        if m == -.infinity || !m.isFinite { return m }
        let shift = V(repeating: m)
        var s = V()
        var i = 0
        while i + 8 <= count { s += VectorMath.exp(load(x + i) - shift); i += 8 }
        var total = s.sum()
        if i < count {
            var v = V(repeating: -.infinity)
            for l in 0..<(count - i) { v[l] = x[i + l] }
            total += VectorMath.exp(v - shift).sum()
        }
        return m + _logf(total)
    }

    /// y = softmax(x) = e^{x - max} / Σ e^{x - max} (not e^{x - lse}: at |x| ≈ 1000 the rounding
    /// of lse alone would cost 1e-5 relative).
    public static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let m = max(x, count: count)
        if !m.isFinite { return y.update(repeating: .nan, count: count) }   // all masked, or inf/NaN input
        let shift = V(repeating: m)
        map(x, y, count: count) { VectorMath.exp($0 - shift) }
        scale(y, count: count, by: 1 / sum(UnsafePointer(y), count: count))
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _logf(_ x: Float) -> Float { Glibc.logf(x) }
#else
import Darwin
@usableFromInline func _logf(_ x: Float) -> Float { Darwin.logf(x) }
#endif

/// A vector function as a type, so generic kernels specialise and inline it.
@usableFromInline
protocol VectorOperation {
    static func apply(_ v: SIMD8<Float>) -> SIMD8<Float>
}

@usableFromInline
enum VectorOps {
    @usableFromInline enum Tanh: VectorOperation {
        @inlinable @inline(__always) static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.tanh(v) }
    }
    @usableFromInline enum Sigmoid: VectorOperation {
        @inlinable @inline(__always) static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.sigmoid(v) }
    }
    @usableFromInline enum Softplus: VectorOperation {
        @inlinable @inline(__always) static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.softplus(v) }
    }
    @usableFromInline enum Exp: VectorOperation {
        @inlinable @inline(__always) static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.exp(v) }
    }
    @usableFromInline enum Log: VectorOperation {
        @inlinable @inline(__always) static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.log(v) }
    }
}

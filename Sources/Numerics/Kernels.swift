/// Elementwise kernels on raw Float buffers: the inner loops of the layers (the BLAS-1 part is
/// in Kernels+BLAS1.swift).
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

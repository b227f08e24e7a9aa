/// Vectorised transcendental functions on `SIMD8<Float>` (Cephes-style range reduction plus
/// minimax polynomials), about 1e-7 relative error in the normal range — the accuracy of
/// `Foundation.exp`/`log`/`tanh` on Float for a fraction of their cost, and branch-free, so the
/// elementwise kernels stay in vector registers.
@usableFromInline
enum VectorMath {
    public typealias V = SIMD8<Float>

    /// e^x. Overflows to +inf above ≈ 88.72, underflows through denormals to 0 below ≈ -103.9.
    @inlinable @inline(__always)
    static func exp(_ x: V) -> V {
        // (replacing(where:) rather than clamped(): the latter stays an out-of-line generic call)
        var xc = x.replacing(with: -104, where: x .< -104)
        xc = xc.replacing(with: 89, where: xc .> 89)
        // n = round(x / ln 2) with the 1.5·2^23 trick: the low mantissa bits then hold n.
        let shifter = V(repeating: 0x1.8p23)
        let t = shifter.addingProduct(xc, V(repeating: 1.44269504088896341))
        let fn = t - shifter
        var r = xc.addingProduct(fn, V(repeating: -0.693359375))
        r = r.addingProduct(fn, V(repeating: 2.12194440e-4))
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + V(repeating: 1.3981999507e-3)
        p = p * r + V(repeating: 8.3334519073e-3)
        p = p * r + V(repeating: 4.1665795894e-2)
        p = p * r + V(repeating: 1.6666665459e-1)
        p = p * r + V(repeating: 5.0000001201e-1)
        let y = (p * (r * r) + r) + V(repeating: 1)
        // 2^n as two factors 2^(n>>1) · 2^(n - n>>1), each a normal float for n in [-151, 129].
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
        let n1 = n &>> 1
        let n2 = n &- n1
        let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: V.self)
        let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: V.self)
        return y * s1 * s2
    }

    /// Natural logarithm for x > 0 (normal range); log(0) = -inf, log(x < 0) = NaN, log(inf) = inf.
    @inlinable @inline(__always)
    static func log(_ x: V) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        var e = V((bits &>> 23) &- 126)
        // mantissa in [0.5, 1)
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: V.self)
        let small = m .< V(repeating: 0.707106781186547524)
        e = e.replacing(with: e - 1, where: small)
        m = m.replacing(with: m + m, where: small) - 1
        let z = m * m
        var p = V(repeating: 7.0376836292e-2)
        p = p * m + V(repeating: -1.1514610310e-1)
        p = p * m + V(repeating: 1.1676998740e-1)
        p = p * m + V(repeating: -1.2420140846e-1)
        p = p * m + V(repeating: 1.4249322787e-1)
        p = p * m + V(repeating: -1.6668057665e-1)
        p = p * m + V(repeating: 2.0000714765e-1)
        p = p * m + V(repeating: -2.4999993993e-1)
        p = p * m + V(repeating: 3.3333331174e-1)
        var y = p * m * z
        y = y.addingProduct(e, V(repeating: -2.12194440e-4))
        y = y.addingProduct(z, V(repeating: -0.5))
        var r = (m + y).addingProduct(e, V(repeating: 0.693359375))
        r = r.replacing(with: V(repeating: -.infinity), where: x .== 0)
        r = r.replacing(with: V(repeating: .nan), where: x .< 0 .| (x .!= x))
        r = r.replacing(with: V(repeating: .infinity), where: x .== V(repeating: .infinity))
        return r
    }

    /// log(1 + u) for u ≥ 0, accurate for tiny u (the rounding of 1 + u is corrected).
    @inlinable @inline(__always)
    static func log1p(_ u: V) -> V {
        let w = u + 1
        let correction = ((w - 1) - u) / w
        let r = log(w) - correction
        // Where 1 + u rounds to 1, log1p(u) = u to working precision.
        return r.replacing(with: u, where: w .== V(repeating: 1))
    }

    /// tanh: odd polynomial near 0, 1 - 2/(e^{2|x|} + 1) elsewhere.
    @inlinable @inline(__always)
    static func tanh(_ x: V) -> V {
        let ax = abs(x)
        let z = x * x
        var p = V(repeating: -5.70498872745e-3)
        p = p * z + V(repeating: 2.06390887954e-2)
        p = p * z + V(repeating: -5.37397155531e-2)
        p = p * z + V(repeating: 1.33314422036e-1)
        p = p * z + V(repeating: -3.33332819422e-1)
        let near = (p * z) * x + x
        let e = exp(ax + ax)
        var far = 1 - 2 / (e + 1)
        far = far.replacing(with: -far, where: x .< 0)
        return near.replacing(with: far, where: ax .>= V(repeating: 0.625))
    }

    /// 1 / (1 + e^{-x}).
    @inlinable @inline(__always)
    static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    /// log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}), stable for any x.
    @inlinable @inline(__always)
    static func softplus(_ x: V) -> V {
        let pos = x.replacing(with: 0, where: x .< 0)
        return pos + log1p(exp(-abs(x)))
    }

    @inlinable @inline(__always)
    static func abs(_ x: V) -> V {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: V.self)
    }
}

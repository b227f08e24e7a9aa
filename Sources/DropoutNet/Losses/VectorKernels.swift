/// Dot products and row updates for the losses' direct (non-GEMM) path.
///
/// Eight-lane SIMD with two accumulators: a 128-long dot is 8 fused multiply-adds per
/// accumulator, so the loop stays in registers and the scores of a few negatives per anchor cost
/// less than the GEMM call that would otherwise compute the whole B×B block.
@inline(__always)
func lossDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc0 = SIMD8<Float>(repeating: 0)
    var acc1 = SIMD8<Float>(repeating: 0)
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 16 <= n {
        let o = i * 4
        acc0 = acc0.addingProduct(ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                                  rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
        acc1 = acc1.addingProduct(ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self),
                                  rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self))
        i += 16
    }
    if i + 8 <= n {
        acc0 = acc0.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                                  rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
        i += 8
    }
    var s = (acc0 + acc1).sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}

/// y += alpha · x over n floats.
@inline(__always)
func lossAxpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    let a = SIMD8<Float>(repeating: alpha)
    var i = 0
    while i + 8 <= n {
        let o = i * 4
        let v = ry.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            .addingProduct(a, rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
        ry.storeBytes(of: v, toByteOffset: o, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}

/// y = alpha · x over n floats.
@inline(__always)
func lossScale(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] = alpha * x[i] }
}

/// Numerically stable log(1 + e^x).
@inline(__always)
func softplus(_ x: Float) -> Float {
    x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
}

/// 1 / (1 + e^−x) without overflow.
@inline(__always)
func logistic(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expf(-x)) }
    let e = expf(x)
    return e / (1 + e)
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Multiply-adds a loss loop must have per thread before it is split across threads.
///
/// The loops hand the pool an allocation-free `ParallelRangeBody`, so splitting costs only a
/// worker wake-up (some microseconds): the default step (B = 1024, D = 128, M = 4) splits its
/// scoring and gradient gathers in two.
let lossParallelGrain = 1 << 16

// The scalar logistic pair of the pairwise and pointwise losses, both stable for any x: the
// losses call them once per score, where the vector kernels would gain nothing.

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

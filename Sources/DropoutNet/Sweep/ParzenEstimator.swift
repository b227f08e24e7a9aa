import Foundation
import Numerics

/// A mixture of Gaussians truncated to an axis: one per observed point plus a broad prior at
/// the axis's middle (width: the whole axis), all weighted equally — TPE's density model.
///
/// Each point's width is the larger distance to its neighbours (the axis ends count as
/// neighbours), clipped to [span / min(100, n + 1), span]: dense regions get narrow bumps,
/// lonely points wide ones, and no bump is so narrow that sampling only repeats a point.
struct ParzenEstimator {
    let axis: ClosedRange<Double>
    let means: [Double]
    let widths: [Double]

    init(points: [Double], axis: ClosedRange<Double>) {
        self.axis = axis
        let span = max(axis.upperBound - axis.lowerBound, 1e-12)
        let prior = (axis.lowerBound + axis.upperBound) / 2
        let sorted = (points.map { min(max($0, axis.lowerBound), axis.upperBound) } + [prior]).sorted()
        let low = span / Double(min(100, sorted.count + 1))
        var w: [Double] = []
        for (i, m) in sorted.enumerated() {
            let left = m - (i > 0 ? sorted[i - 1] : axis.lowerBound)
            let right = (i + 1 < sorted.count ? sorted[i + 1] : axis.upperBound) - m
            w.append(min(max(max(left, right), low), span))
        }
        // The prior's own width is the whole axis.
        if let p = sorted.firstIndex(of: prior) { w[p] = span }
        means = sorted
        widths = w
    }

    /// log of the mixture's density at x (each component renormalised to the axis).
    func logDensity(_ x: Double) -> Double {
        var sum = 0.0
        for (m, s) in zip(means, widths) {
            let z = (x - m) / s
            let mass = Self.cdf((axis.upperBound - m) / s) - Self.cdf((axis.lowerBound - m) / s)
            sum += exp(-0.5 * z * z) / (s * (2 * Double.pi).squareRoot() * max(mass, 1e-12))
        }
        return log(max(sum / Double(means.count), 1e-300))
    }

    /// A draw: a component chosen uniformly, then its Gaussian until a value lands on the axis
    /// (clamped after 64 misses, which a component with its centre on the axis all but never needs).
    func sample(_ rng: inout SplitMix64) -> Double {
        let c = rng.nextInt(below: means.count)
        for _ in 0..<64 {
            let x = means[c] + widths[c] * Self.gaussian(&rng)
            if axis.contains(x) { return x }
        }
        return min(max(means[c], axis.lowerBound), axis.upperBound)
    }

    static func cdf(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.squareRoot())) }

    /// A standard normal draw (Box–Muller, in Double: the estimator's own precision).
    static func gaussian(_ rng: inout SplitMix64) -> Double {
        let u1 = max(rng.nextDouble(), 1e-300), u2 = rng.nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

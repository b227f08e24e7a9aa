import Foundation
import Numerics

/// The random draws the proxy worlds share. Each is a plain function of a generator, so a world
/// is reproducible from its seed whatever order its parts are built in.
enum ProxyDraws {
    /// `count` unit vectors of `dimension` (row-major), uniformly oriented.
    static func unitVectors(_ count: Int, _ dimension: Int, _ rng: inout SplitMix64) -> [Float] {
        var out = [Float](repeating: 0, count: count * dimension)
        for r in 0..<count {
            var norm: Float = 0
            for k in 0..<dimension { let x = rng.nextGaussian(); out[r * dimension + k] = x; norm += x * x }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for k in 0..<dimension { out[r * dimension + k] *= scale }
        }
        return out
    }

    /// `count` ≤ `dimension` orthonormal vectors (Gram–Schmidt on Gaussian draws): categories
    /// that are equally far apart, so no two of them share taste by accident of the draw — with
    /// random directions the world's behaviour would depend on the seed.
    static func orthonormalVectors(_ count: Int, _ dimension: Int, _ rng: inout SplitMix64) -> [Float] {
        precondition(count <= dimension, "at most \(dimension) orthonormal vectors in \(dimension) dimensions")
        var out = [Float](repeating: 0, count: count * dimension)
        for r in 0..<count {
            var v = (0..<dimension).map { _ in Double(rng.nextGaussian()) }
            for q in 0..<r {
                var dot = 0.0
                for k in 0..<dimension { dot += v[k] * Double(out[q * dimension + k]) }
                for k in 0..<dimension { v[k] -= dot * Double(out[q * dimension + k]) }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for k in 0..<dimension { out[r * dimension + k] = Float(v[k] / norm) }
        }
        return out
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 by the U^(1/shape) boost.
    static func gamma(shape: Double, _ rng: inout SplitMix64) -> Double {
        if shape < 1 {
            let u = max(rng.nextDouble(), 1e-300)
            return gamma(shape: shape + 1, &rng) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = Double(rng.nextGaussian()); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = rng.nextDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Dirichlet(α, …, α) draw of `count` shares.
    static func dirichlet(_ count: Int, alpha: Double, _ rng: inout SplitMix64) -> [Float] {
        var g = (0..<count).map { _ in gamma(shape: alpha, &rng) }
        let total = g.reduce(0, +)
        if total <= 0 { g = [Double](repeating: 0, count: count); g[rng.nextInt(below: count)] = 1; return g.map(Float.init) }
        return g.map { Float($0 / total) }
    }

    /// A standard Gumbel draw: adding one to each log-weight and keeping the k largest draws k
    /// items without replacement in proportion to their weights.
    @inline(__always) static func gumbel(_ rng: inout SplitMix64) -> Float {
        Float(-log(-log(max(rng.nextDouble(), 1e-300))))
    }

    /// Interactions per user: a floor every user reaches plus a Gamma(shape)-distributed share of
    /// the rest (a long tail for shapes below 1), each capped at `cap`; what the capped users
    /// cannot take goes to the others in proportion, so the counts add up to about `total`
    /// (exactly `min(total, users · cap)` up to rounding).
    static func activity(users: Int, total: Int, floor: Int, shape: Double, cap: Int, _ rng: inout SplitMix64) -> [Int] {
        let base = min(floor, cap, max(total / max(users, 1), 1))
        let weights = (0..<users).map { _ in gamma(shape: shape, &rng) }
        var share = [Double](repeating: 0, count: users)
        var open = Array(0..<users)
        var spare = Double(max(total - base * users, 0))
        let room = Double(cap - base)
        while spare > 0.5 && !open.isEmpty {
            let sum = max(open.reduce(0) { $0 + weights[$1] }, 1e-300)
            var left = 0.0
            var stillOpen: [Int] = []
            for u in open {
                share[u] += spare * weights[u] / sum
                if share[u] >= room { left += share[u] - room; share[u] = room } else { stillOpen.append(u) }
            }
            if stillOpen.count == open.count { break }
            spare = left
            open = stillOpen
        }
        return share.map { base + Int($0.rounded()) }
    }

    /// Index of a draw from fixed weights (small tables; the walk is cheaper than an alias table).
    static func pick(_ weights: [Double], _ rng: inout SplitMix64) -> Int {
        var x = rng.nextDouble() * weights.reduce(0, +)
        for (k, w) in weights.enumerated() { x -= w; if x < 0 { return k } }
        return weights.count - 1
    }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
}

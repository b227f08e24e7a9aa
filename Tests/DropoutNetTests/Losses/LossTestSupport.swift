import Foundation
import DropoutNet
import Numerics

/// One batch for the loss tests: raw tower outputs, their unit rows, labels and ids.
struct LossBatch {
    var rawUsers: Matrix
    var rawItems: Matrix
    var labels: [Float]
    var userIDs: [Int32]
    var itemIDs: [Int32]
    /// Sample weights; nil: the loss's default (all 1).
    var weights: [Float]? = nil

    var batchSize: Int { labels.count }
    var dimension: Int { rawUsers.cols }

    /// Unit 2-D vectors at the given angles (degrees).
    static func angles(users: [Double], items: [Double], labels: [Float]) -> LossBatch {
        func unit(_ a: [Double]) -> Matrix {
            Matrix(a.map { [Float(cos($0 * .pi / 180)), Float(sin($0 * .pi / 180))] })
        }
        let b = labels.count
        return LossBatch(rawUsers: unit(users), rawItems: unit(items), labels: labels,
                         userIDs: (0..<b).map(Int32.init), itemIDs: (0..<b).map { Int32(100 + $0) })
    }

    /// Row `k` left out (a batch without that interaction).
    func removing(row k: Int) -> LossBatch {
        func drop(_ m: Matrix) -> Matrix { Matrix((0..<m.rows).filter { $0 != k }.map { m.rowArray($0) }) }
        func drop<T>(_ a: [T]) -> [T] { a.enumerated().filter { $0.offset != k }.map(\.element) }
        return LossBatch(rawUsers: drop(rawUsers), rawItems: drop(rawItems), labels: drop(labels), userIDs: drop(userIDs),
                         itemIDs: drop(itemIDs), weights: weights.map { drop($0) })
    }

    /// Random weights in [0.1, 2) (`zero`: these rows 0).
    static func randomWeights(count: Int, seed: UInt64, zero: [Int] = []) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var w = (0..<count).map { _ in 0.1 + 1.9 * rng.nextFloat() }
        for k in zero { w[k] = 0 }
        return w
    }

    /// Gaussian rows; users drawn from `userCount` ids and items from `itemCount` so ids repeat.
    static func random(batch b: Int, dimension d: Int, seed: UInt64, positiveRate: Double = 0.5,
                       userCount: Int = 4, itemCount: Int = 7) -> LossBatch {
        var rng = SplitMix64(seed: seed)
        let u = Matrix(rows: b, cols: d), v = Matrix(rows: b, cols: d)
        for i in 0..<b * d { u.data[i] = rng.nextGaussian(); v.data[i] = rng.nextGaussian() }
        var labels = (0..<b).map { _ in Float(rng.nextDouble() < positiveRate ? 1 : 0) }
        labels[0] = 1; labels[b - 1] = 0
        let users = (0..<b).map { _ in Int32(rng.nextInt(below: userCount)) }
        let items = (0..<b).map { _ in Int32(rng.nextInt(below: itemCount)) }
        return LossBatch(rawUsers: u, rawItems: v, labels: labels, userIDs: users, itemIDs: items)
    }
}

/// Row-wise L2 normalisation and its backward pass, written out here so the gradient checks
/// go through the same map the towers end with: ê = e/‖e‖, ∂ê/∂e = (I − ê êᵀ)/‖e‖.
enum TestNormalization {
    static func forward(_ x: Matrix) -> Matrix {
        let y = Matrix(rows: x.rows, cols: x.cols)
        for r in 0..<x.rows {
            var n = 0.0
            for c in 0..<x.cols { n += Double(x[r, c]) * Double(x[r, c]) }
            let inv = 1 / max(n.squareRoot(), 1e-12)
            for c in 0..<x.cols { y[r, c] = Float(Double(x[r, c]) * inv) }
        }
        return y
    }

    static func backward(_ x: Matrix, _ y: Matrix, _ gy: Matrix) -> Matrix {
        let gx = Matrix(rows: x.rows, cols: x.cols)
        for r in 0..<x.rows {
            var n = 0.0, dotYG = 0.0
            for c in 0..<x.cols {
                n += Double(x[r, c]) * Double(x[r, c])
                dotYG += Double(y[r, c]) * Double(gy[r, c])
            }
            let norm = n.squareRoot()
            for c in 0..<x.cols { gx[r, c] = Float((Double(gy[r, c]) - Double(y[r, c]) * dotYG) / norm) }
        }
        return gx
    }
}

extension TrainingLoss {
    /// `compute` with array arguments (tests only).
    func compute(users: Matrix, items: Matrix, batch: LossBatch, params: LossParameters, seed: UInt64 = 7,
                 gradUsers: Matrix? = nil, gradItems: Matrix? = nil) throws -> LossBreakdown {
        var rng = SplitMix64(seed: seed)
        let gu = gradUsers ?? Matrix(rows: users.rows, cols: users.cols)
        let gv = gradItems ?? Matrix(rows: items.rows, cols: items.cols)
        return try batch.labels.withUnsafeBufferPointer { labels in
            try batch.userIDs.withUnsafeBufferPointer { uid in
                try batch.itemIDs.withUnsafeBufferPointer { iid in
                    guard let weights = batch.weights else {
                        return try compute(users: users, items: items, labels: labels, userIDs: uid, itemIDs: iid,
                                           params: params, rng: &rng, gradUsers: gu, gradItems: gv)
                    }
                    return try weights.withUnsafeBufferPointer { w in
                        try compute(users: users, items: items, labels: labels, userIDs: uid, itemIDs: iid, sampleWeights: w,
                                    params: params, rng: &rng, gradUsers: gu, gradItems: gv)
                    }
                }
            }
        }
    }
}

extension LossParameters {
    /// Only `kind` with weight 1, logQ off, γ = 1, margin 0, t = 1 unless changed.
    static func only(_ kind: Settings.LossKind, m: Int = 2, n: Int = 1) -> LossParameters {
        var p = LossParameters()
        p[weightOf: kind] = 1
        p.gamma = 1; p.margin = 0; p.t = 1; p.logQ = false
        p.negativesM = m; p.negativesN = n
        return p
    }
}

import Numerics

/// The "preference" inputs of DESIGN §3.3, computed from training interactions only.
/// Cold entities always get the zero vector — exactly what preference dropout trains for.
public enum PreferenceInputs {
    /// Columns of the `stats` matrices, in order.
    public static let statsNames = ["log_interactions", "log_positives", "smoothed_ctr", "log_negatives"]

    /// Behaviour statistics per entity from the training interactions: log(1 + count),
    /// log(1 + positives), click-through rate shrunk toward the global rate (10 pseudo-views),
    /// log(1 + shown-not-clicked). Standardised column-wise over known entities and clipped to
    /// ±5; entities without training interactions are all zeros.
    ///
    /// - Parameters:
    ///   - entity: interaction → entity (the dataset's `users` or `items`).
    ///   - train: the training interaction indices.
    public static func stats(entityCount: Int, entity: [Int32], labels: [UInt8], train: [Int32]) -> Matrix {
        var shown = [Int32](repeating: 0, count: entityCount)
        var clicked = [Int32](repeating: 0, count: entityCount)
        var totalClicks = 0
        for k in train {
            let e = Int(entity[Int(k)])
            shown[e] += 1
            let l = labels[Int(k)]
            clicked[e] += Int32(l)
            totalClicks += Int(l)
        }
        let globalCTR = train.isEmpty ? 0 : Double(totalClicks) / Double(train.count)
        let prior = 10.0
        let m = Matrix(rows: entityCount, cols: statsNames.count)
        var known = [Bool](repeating: false, count: entityCount)
        for e in 0..<entityCount where shown[e] > 0 {
            known[e] = true
            let n = Double(shown[e]), c = Double(clicked[e])
            m[e, 0] = Float(log1p(n))
            m[e, 1] = Float(log1p(c))
            m[e, 2] = Float((c + prior * globalCTR) / (n + prior))
            m[e, 3] = Float(log1p(n - c))
        }
        return standardized(m, rows: known)
    }

    /// The hook the WMF pretraining plugs into: latent factors standardised column-wise over
    /// the known rows that are not all zero, clipped to ±5; unknown rows become zeros
    /// (classic DropoutNet's preprocessing of its WMF inputs).
    public static func standardizedWMF(_ factors: Matrix, known: [Bool]) -> Matrix {
        precondition(known.count == factors.rows, "one known flag per factor row")
        var use = known
        for r in 0..<factors.rows where use[r] {
            var any = false
            for c in 0..<factors.cols where factors[r, c] != 0 { any = true; break }
            use[r] = any
        }
        return standardized(factors.copy(), rows: use)
    }

    /// Z-scores each column over the flagged rows, clips to ±5, zeroes the other rows.
    static func standardized(_ m: Matrix, rows use: [Bool]) -> Matrix {
        let n = use.lazy.filter { $0 }.count
        for c in 0..<m.cols {
            var sum = 0.0, sumSq = 0.0
            for r in 0..<m.rows where use[r] { let v = Double(m[r, c]); sum += v; sumSq += v * v }
            let mean = n > 0 ? sum / Double(n) : 0
            let variance = n > 1 ? max(sumSq / Double(n) - mean * mean, 0) : 0
            let std = variance > 1e-12 ? variance.squareRoot() : 1
            for r in 0..<m.rows {
                if use[r] {
                    m[r, c] = Float(min(max((Double(m[r, c]) - mean) / std, -5), 5))
                } else {
                    m[r, c] = 0
                }
            }
        }
        return m
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

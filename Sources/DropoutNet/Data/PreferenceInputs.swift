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
        statsWithScale(entityCount: entityCount, entity: entity, labels: labels, train: train).matrix
    }

    /// `stats` and the scale that made it, so rows for new interaction counts (a cold user's
    /// first few interactions) can be standardised exactly as the training rows were.
    public static func statsWithScale(entityCount: Int, entity: [Int32], labels: [UInt8], train: [Int32]) -> (matrix: Matrix, scale: StatsScale) {
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
        let m = Matrix(rows: entityCount, cols: statsNames.count)
        var known = [Bool](repeating: false, count: entityCount)
        for e in 0..<entityCount where shown[e] > 0 {
            known[e] = true
            rawStats(shown: Int(shown[e]), clicked: Int(clicked[e]), globalCTR: globalCTR, into: m.row(e))
        }
        let (mean, std) = columnScale(m, rows: known)
        let scale = StatsScale(globalCTR: globalCTR, mean: mean, std: std)
        for e in 0..<entityCount {
            if known[e] { scale.standardize(m.row(e)) } else { m.row(e).update(repeating: 0, count: m.cols) }
        }
        return (m, scale)
    }

    /// Prior views of the click-through rate's shrinkage toward the global rate.
    static let ctrPrior = 10.0

    static func rawStats(shown: Int, clicked: Int, globalCTR: Double, into row: UnsafeMutablePointer<Float>) {
        let n = Double(shown), c = Double(clicked)
        row[0] = Float(log1p(n))
        row[1] = Float(log1p(c))
        row[2] = Float((c + ctrPrior * globalCTR) / (n + ctrPrior))
        row[3] = Float(log1p(n - c))
    }

    /// How `stats` rows were standardised: the global click-through rate and each column's mean
    /// and standard deviation over the known entities.
    public struct StatsScale: Sendable, Equatable {
        public var globalCTR: Double
        public var mean: [Double]
        public var std: [Double]

        /// The `stats` row of an entity with `shown` interactions of which `clicked` positive;
        /// zeros when `shown` is 0 (a cold entity), like the training rows.
        public func row(shown: Int, clicked: Int, into out: UnsafeMutablePointer<Float>) {
            guard shown > 0 else { out.update(repeating: 0, count: mean.count); return }
            PreferenceInputs.rawStats(shown: shown, clicked: clicked, globalCTR: globalCTR, into: out)
            standardize(out)
        }

        func standardize(_ row: UnsafeMutablePointer<Float>) {
            for c in mean.indices { row[c] = Float(min(max((Double(row[c]) - mean[c]) / std[c], -5), 5)) }
        }
    }

    /// The hook the WMF pretraining plugs into: latent factors standardised column-wise over
    /// the known rows that are not all zero, clipped to ±5; unknown rows become zeros
    /// (classic DropoutNet's preprocessing of its WMF inputs).
    public static func standardizedWMF(_ factors: Matrix, known: [Bool]) -> Matrix {
        standardized(factors.copy(), rows: wmfRows(factors, known: known))
    }

    /// The column scale `standardizedWMF` applies to `factors`. A factor computed later for an
    /// entity the fit did not see (a user folded in from a few interactions, `WMF.foldIn`) is
    /// standardised with it, so it reaches the tower on the training rows' scale.
    public static func wmfScale(_ factors: Matrix, known: [Bool]) -> ColumnScale {
        let (mean, std) = columnScale(factors, rows: wmfRows(factors, known: known))
        return ColumnScale(mean: mean, std: std)
    }

    /// The rows `standardizedWMF` standardises: known, and not all zero.
    static func wmfRows(_ factors: Matrix, known: [Bool]) -> [Bool] {
        precondition(known.count == factors.rows, "one known flag per factor row")
        var use = known
        for r in 0..<factors.rows where use[r] {
            var any = false
            for c in 0..<factors.cols where factors[r, c] != 0 { any = true; break }
            use[r] = any
        }
        return use
    }

    /// Z-scores each column over the flagged rows, clips to ±5, zeroes the other rows.
    static func standardized(_ m: Matrix, rows use: [Bool]) -> Matrix {
        let (mean, std) = columnScale(m, rows: use)
        let scale = ColumnScale(mean: mean, std: std)
        for r in 0..<m.rows {
            if use[r] { scale.standardize(m.row(r)) } else { m.row(r).update(repeating: 0, count: m.cols) }
        }
        return m
    }

    /// Each column's mean and standard deviation, as `standardized` applies them.
    public struct ColumnScale: Sendable, Equatable {
        public var mean: [Double]
        public var std: [Double]

        public init(mean: [Double], std: [Double]) {
            precondition(mean.count == std.count, "one mean and one standard deviation per column")
            self.mean = mean
            self.std = std
        }

        /// Z-scores `row` (one value per column) in place, each clipped to ±5.
        public func standardize(_ row: UnsafeMutablePointer<Float>) {
            for c in mean.indices { row[c] = Float(min(max((Double(row[c]) - mean[c]) / std[c], -5), 5)) }
        }
    }

    /// Each column's mean and standard deviation over the flagged rows (1 when it is ~0).
    static func columnScale(_ m: Matrix, rows use: [Bool]) -> (mean: [Double], std: [Double]) {
        let n = use.lazy.filter { $0 }.count
        var means: [Double] = [], stds: [Double] = []
        for c in 0..<m.cols {
            var sum = 0.0, sumSq = 0.0
            for r in 0..<m.rows where use[r] { let v = Double(m[r, c]); sum += v; sumSq += v * v }
            let mean = n > 0 ? sum / Double(n) : 0
            let variance = n > 1 ? max(sumSq / Double(n) - mean * mean, 0) : 0
            means.append(mean)
            stds.append(variance > 1e-12 ? variance.squareRoot() : 1)
        }
        return (means, stds)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

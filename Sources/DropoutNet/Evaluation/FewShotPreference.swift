import Numerics

/// The preference input of a user known only by a few revealed interactions, built from those
/// alone as the user tower's training rows were built from a training user's history (DESIGN
/// §3.3, §5), per preference kind:
/// - `stats`: the behaviour statistics of the revealed interactions (k shown, k clicked),
///   standardised with the training scale — zeros for k = 0, like any cold user;
/// - `wmf`: the user folded into the WMF fit — its factor solved by the ALS user step from the
///   revealed items with the item factors held fixed and the fit's λ and α (`WMF.foldIn`), then
///   standardised with the column scale of the training users' factors — zeros for k = 0;
/// - `id`: zeros whatever k is: a learned ID embedding has no row for a user who was not
///   trained on, so for this kind the curve moves only through the masked, revealed items.
public enum FewShotPreference {
    /// What a `wmf` preference needs from the training fit: the raw item factors, the fit's
    /// regularisation and confidence, and how the training users' factors were standardised.
    public struct WMFFoldIn {
        /// Raw item factors V (items × rank), as fitted.
        public var items: Matrix
        public var regularization: Float
        public var alpha: Float
        /// The column scale of the training users' `wmf` inputs (`PreferenceInputs.wmfScale`).
        public var userScale: PreferenceInputs.ColumnScale

        public init(items: Matrix, regularization: Float, alpha: Float, userScale: PreferenceInputs.ColumnScale) {
            self.items = items
            self.regularization = regularization
            self.alpha = alpha
            self.userScale = userScale
        }

        /// The fold-in of a run's raw factors, fitted on `data` with `settings`' `wmf.*` options.
        public init(factors: WMFFactors, data: TrainingData, settings: Settings) {
            self.init(items: factors.items, regularization: Float(settings.wmfReg), alpha: Float(settings.wmfAlpha),
                      userScale: PreferenceInputs.wmfScale(factors.users, known: data.isKnownUser))
        }

        /// Standardised `wmf` inputs of users known by the rows of `r` (users × items, values as
        /// `WMF.preferenceMatrix` makes them): each folded-in factor through the training scale;
        /// a row whose factor is all zeros (no interaction, or only items WMF never saw) stays
        /// zeros, as a training user's would.
        public func preferenceRows(_ r: SparseMatrix) -> Matrix {
            let out = WMF.foldIn(r, items: items, regularization: regularization, alpha: alpha)
            for i in 0..<out.rows {
                let row = out.row(i)
                if (0..<out.cols).contains(where: { row[$0] != 0 }) { userScale.standardize(row) }
            }
            return out
        }
    }

    /// One row per user of `reveal`, `width` columns (the user tower's preference input).
    /// - Parameter wmf: the training fit, required for `wmf`.
    public static func rows(for reveal: FewShotReveal, kind: Settings.PreferenceKind, data: TrainingData,
                            wmf: WMFFoldIn?, width: Int) throws -> Matrix {
        switch kind {
        case .id:
            return Matrix(rows: reveal.users.count, cols: width)
        case .stats:
            guard width == PreferenceInputs.statsNames.count else {
                throw ModelError("user preference is \(width) wide, stats rows are \(PreferenceInputs.statsNames.count)")
            }
            let out = Matrix(rows: reveal.users.count, cols: width)
            for i in reveal.users.indices {
                data.userStatsScale.row(shown: reveal.k, clicked: reveal.k, into: out.row(i))
            }
            return out
        case .wmf:
            guard let wmf else { throw ModelError("few-shot users with wmf preference need the raw WMF factors of the run") }
            guard wmf.items.cols == width else {
                throw ModelError("item WMF factors are \(wmf.items.cols) wide, the user preference input \(width)")
            }
            guard wmf.items.rows == data.itemCount else {
                throw ModelError("item WMF factors have \(wmf.items.rows) rows, the data has \(data.itemCount) items")
            }
            return wmf.preferenceRows(try revealedInteractions(reveal, data: data))
        }
    }

    /// The revealed interactions as WMF's user × item matrix, row i for the reveal's user i.
    /// Each is valued as a training positive would be: its weight in the dataset (the mean
    /// weight of the pair's positives, so revealing every copy of a repeated pair sums to the
    /// pair's total, as `WMF.preferenceMatrix` sums a training duplicate).
    static func revealedInteractions(_ reveal: FewShotReveal, data: TrainingData) throws -> SparseMatrix {
        let d = data.dataset
        var rowOf: [Int32: Int32] = [:]
        for (i, u) in reveal.users.enumerated() { rowOf[u] = Int32(i) }
        var weights: [Int64: (sum: Float, count: Float)] = [:]
        for n in 0..<d.interactionCount where d.labels[n] > 0 && rowOf[d.users[n]] != nil {
            let key = Int64(d.users[n]) << 32 | Int64(d.items[n])
            let w = weights[key] ?? (0, 0)
            weights[key] = (w.sum + d.weights[n], w.count + 1)
        }
        var rows: [Int32] = [], values: [Float] = []
        rows.reserveCapacity(reveal.revealed.count)
        values.reserveCapacity(reveal.revealed.count)
        for (i, u) in reveal.users.enumerated() {
            for item in reveal.revealed(ofUserAt: i) {
                let w = weights[Int64(u) << 32 | Int64(item)]
                rows.append(Int32(i))
                values.append(w.map { $0.sum / $0.count } ?? 1)
            }
        }
        return try WMF.preferenceMatrix(users: rows, items: reveal.revealed, values: values,
                                        userCount: reveal.users.count, itemCount: data.itemCount)
    }
}

import Numerics

/// The preference input of a user known only by a few revealed interactions, built "by
/// transform" from those alone (DESIGN §3.3, §5), per preference kind:
/// - `stats`: the behaviour statistics of the revealed interactions (k shown, k clicked),
///   standardised with the training scale — zeros for k = 0, like any cold user;
/// - `wmf`: the mean of the revealed items' standardised WMF vectors (classic DropoutNet's user
///   transform) — zeros for k = 0;
/// - `id`: zeros whatever k is: a learned ID embedding has no row for a user who was not
///   trained on, so for this kind the curve moves only through the masked, revealed items.
public enum FewShotPreference {
    /// One row per user of `reveal`, `width` columns (the user tower's preference input).
    /// - Parameter itemWMF: standardised item WMF vectors, required for `wmf`.
    public static func rows(for reveal: FewShotReveal, kind: Settings.PreferenceKind, data: TrainingData,
                            itemWMF: Matrix?, width: Int) throws -> Matrix {
        let out = Matrix(rows: reveal.users.count, cols: width)
        switch kind {
        case .id:
            break
        case .stats:
            guard width == PreferenceInputs.statsNames.count else {
                throw ModelError("user preference is \(width) wide, stats rows are \(PreferenceInputs.statsNames.count)")
            }
            for i in reveal.users.indices {
                data.userStatsScale.row(shown: reveal.k, clicked: reveal.k, into: out.row(i))
            }
        case .wmf:
            guard let itemWMF else { throw ModelError("few-shot users with wmf preference need the item WMF factors") }
            guard itemWMF.cols == width else {
                throw ModelError("item WMF factors are \(itemWMF.cols) wide, the user preference input \(width)")
            }
            guard reveal.k > 0 else { break }
            let scale = 1 / Float(reveal.k)
            for i in reveal.users.indices {
                let row = out.row(i)
                for item in reveal.revealed(ofUserAt: i) {
                    let v = itemWMF.row(Int(item))
                    for c in 0..<width { row[c] += scale * v[c] }
                }
            }
        }
        return out
    }
}

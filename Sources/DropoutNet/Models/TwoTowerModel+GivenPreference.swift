import Numerics

/// Embedding entities from preference vectors the caller supplies instead of the ones the model
/// was built with: a cold user who has since revealed a few interactions gets a preference
/// built from those alone (the few-shot curve of DESIGN §5), while content still comes from the
/// entity's own features.
extension TwoTowerModel {
    /// Embeddings (evaluation mode) of users `ids`, row i from content of `ids[i]` and the
    /// preference input `preference.row(i)` (as wide as the user tower's preference input).
    public func embedUsers(ids: [Int32], preference: Matrix) -> Matrix {
        embed(user, ids: ids, preference: preference)
    }

    /// Items' counterpart of `embedUsers(ids:preference:)`.
    public func embedItems(ids: [Int32], preference: Matrix) -> Matrix {
        embed(item, ids: ids, preference: preference)
    }

    /// Width of a side's preference input (stats columns, WMF rank or ID-embedding size).
    public var userPreferenceWidth: Int { user.preference.inputSize }
    public var itemPreferenceWidth: Int { item.preference.inputSize }

    private func embed(_ tower: Tower, ids: [Int32], preference: Matrix) -> Matrix {
        precondition(preference.rows == ids.count, "preference has \(preference.rows) rows for \(ids.count) ids")
        precondition(preference.cols == tower.preference.inputSize,
                     "preference is \(preference.cols) wide, the \(tower.name) tower takes \(tower.preference.inputSize)")
        let out = Matrix(rows: ids.count, cols: tower.outputSize)
        var rng = SplitMix64(seed: 0)
        defer { tower.preference.inputRows = nil }
        var lo = 0
        while lo < ids.count {
            let hi = min(ids.count, lo + maxBatch)
            tower.preference.inputRows = preference.rows(lo..<hi)
            ids.withUnsafeBufferPointer { p in
                let e = tower.forward(ids: UnsafeBufferPointer(rebasing: p[lo..<hi]), dropoutRate: 0, scaling: false,
                                      training: false, keepPreference: nil, rng: &rng)
                out.rows(lo..<hi).copy(from: e)
            }
            lo = hi
        }
        return out
    }
}

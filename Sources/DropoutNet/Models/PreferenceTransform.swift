import Numerics

/// Classic DropoutNet's user and item transforms (DESIGN §4.3): an entity's preference stand-in
/// built from the other side — a user's is the mean preference vector of the items it liked in
/// training, an item's the mean of its users'. Shown in place of a dropped preference during
/// training, it teaches the tower to embed an entity known only through a few interactions.
public enum PreferenceTransform {
    /// Row e of the result is the mean of `other`'s rows listed for e in `lists`; entities with
    /// no neighbours get zeros (what a cold entity shows anyway).
    /// - Parameters:
    ///   - lists: entity → neighbours on the other side (e.g. a user's training positives).
    ///   - other: the other side's preference vectors, one row per entity of that side.
    public static func means(of other: Matrix, over lists: AdjacencyLists) -> Matrix {
        let out = Matrix(rows: lists.rows, cols: other.cols)
        let d = other.cols
        for e in 0..<lists.rows {
            let neighbours = lists[e]
            guard !neighbours.isEmpty else { continue }
            let row = out.row(e)
            for n in neighbours {
                let src = other.row(Int(n))
                for j in 0..<d { row[j] += src[j] }
            }
            let scale = 1 / Float(neighbours.count)
            for j in 0..<d { row[j] *= scale }
        }
        return out
    }

    /// The user and item transforms of `data` from the standardised preference matrices.
    public static func transforms(data: TrainingData, users: Matrix, items: Matrix) -> (users: Matrix, items: Matrix) {
        let itemUsers = AdjacencyLists(rows: data.itemCount, pairs: data.positiveItems, data.positiveUsers)
        return (means(of: items, over: data.trainPositives), means(of: users, over: itemUsers))
    }
}

import Numerics

/// Popularity as one-dimensional embeddings: every user is [1], every item [its training
/// positive count], so the evaluator's dot product ranks items by popularity for everyone and
/// the baseline runs through exactly the same masking, candidates and metrics as the model.
///
/// Ties (above all the cold items, which all have count 0) are broken by a seeded jitter below
/// one count, not by item id: id order often follows the file, and a file sorted by popularity
/// would otherwise hand the baseline a fake cold-item recall.
public enum PopularityBaseline {
    public static func embeddings(userCount: Int, itemPositiveCounts: [Int], seed: UInt64 = 0x5EED) -> (users: Matrix, items: Matrix) {
        let users = Matrix(rows: userCount, cols: 1)
        users.fill(1)
        let items = Matrix(rows: itemPositiveCounts.count, cols: 1)
        var rng = SplitMix64(seed: seed)
        for (i, c) in itemPositiveCounts.enumerated() { items[i, 0] = Float(c) + 0.5 * rng.nextFloat() }
        return (users, items)
    }
}

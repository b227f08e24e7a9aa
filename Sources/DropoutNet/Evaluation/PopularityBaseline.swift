import Numerics

/// Popularity as one-dimensional embeddings: every user is [1], every item [its training
/// positive count], so the evaluator's dot product ranks items by popularity for everyone and
/// the baseline runs through exactly the same masking, candidates and metrics as the model.
public enum PopularityBaseline {
    public static func embeddings(userCount: Int, itemPositiveCounts: [Int]) -> (users: Matrix, items: Matrix) {
        let users = Matrix(rows: userCount, cols: 1)
        users.fill(1)
        let items = Matrix(rows: itemPositiveCounts.count, cols: 1)
        for (i, c) in itemPositiveCounts.enumerated() { items[i, 0] = Float(c) }
        return (users, items)
    }
}

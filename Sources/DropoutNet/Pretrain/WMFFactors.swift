import Numerics

/// The result of a WMF fit: one row of latent factors per user and per item.
///
/// A user or item with no training positive gets an all-zero row (the exact ALS solution for an
/// empty row), which is also what cold entities look like to the classic DropoutNet.
public struct WMFFactors: @unchecked Sendable {
    /// users × rank.
    public var users: Matrix
    /// items × rank.
    public var items: Matrix

    public init(users: Matrix, items: Matrix) {
        precondition(users.cols == items.cols, "user and item factors differ in rank")
        self.users = users
        self.items = items
    }

    public var rank: Int { users.cols }

    /// Predicted preference x_u·y_i.
    public func score(user: Int, item: Int) -> Float {
        Kernels.dot(users.row(user), items.row(item), count: rank)
    }
}

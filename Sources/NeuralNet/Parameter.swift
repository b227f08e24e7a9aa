import Numerics

/// A tensor the model owns: its value and the gradient accumulated for it.
///
/// Reference type so that optimizers, checkpoints and gradient checks can all hold the same
/// object. Non-trainable state (BatchNorm running statistics) is a `Parameter` with
/// `trainable == false`: checkpoints save it, optimizers skip it.
public final class Parameter: @unchecked Sendable {
    public enum Role: String, Sendable { case kernel, bias, scale, embedding, statistic }
    public let name: String
    public let value: Matrix
    public let grad: Matrix
    public let role: Role
    public var trainable: Bool { role != .statistic }
    /// Rows of an embedding touched since the last `zeroGrad` (lazy optimizers update only these).
    public var touchedRows: [Int32] = []

    public init(name: String, rows: Int, cols: Int, role: Role) {
        self.name = name
        self.value = Matrix(rows: rows, cols: cols)
        self.grad = Matrix(rows: role == .statistic ? 0 : rows, cols: role == .statistic ? 0 : cols)
        self.role = role
    }

    public func zeroGrad() {
        if role == .embedding && !touchedRows.isEmpty {
            for r in touchedRows { grad.row(Int(r)).update(repeating: 0, count: grad.cols) }
            touchedRows.removeAll(keepingCapacity: true)
        } else if grad.count > 0 {
            grad.zero()
        }
    }
}

import NeuralNet
import Numerics

/// The classic tower's preference shortcut (DESIGN §4.3, `classic.residual`): the tower's output
/// is MLP([p; c]) + σ ⊙ p + μ, where p is the standardised WMF input and σ, μ the columns' scale
/// it was standardised with. A warm entity therefore starts at its own raw WMF factor — the
/// classic model's regression target — and the MLP learns only a correction; a dropped
/// preference (p = 0) leaves μ, and the MLP has to supply the rest from content.
///
/// Why: the reference's MLP must first learn to pass 200 factors through a tanh layer, which its
/// long SGD runs do; in a budget of a few epochs it does not, and warm recall stayed well below
/// the WMF teacher on CiteULike (0.465 vs 0.5935). σ and μ are fixed (statistics, saved with the
/// checkpoint, not trained): trained, the shortcut drifts with the content-driven rows and warm
/// recall collapsed.
public final class PreferenceResidual {
    /// σ (row 0) and μ (row 1) per output column; zero (no shortcut) until `set(scale:shift:)`.
    public let map: Parameter

    public init(name: String, width: Int) {
        map = Parameter(name: "\(name).residual", rows: 2, cols: width, role: .statistic)
    }

    /// The raw factors the inputs were standardised from: a row whose own preference reached the
    /// tower gets its raw factor back exactly (standardised inputs are clipped to ±5σ, and the
    /// clipped entries are the large factors of the most popular items).
    public private(set) var raw: Matrix?

    /// Sets the shortcut to undo a column standardisation (`PreferenceInputs.ColumnScale`) of `raw`.
    public func set(scale: [Double], shift: [Double], raw: Matrix?) {
        precondition(scale.count == map.value.cols && shift.count == map.value.cols, "residual: one scale and shift per column")
        precondition(raw == nil || raw!.cols == map.value.cols, "residual: raw factors must be as wide as the output")
        for j in 0..<map.value.cols {
            map.value[0, j] = Float(scale[j])
            map.value[1, j] = Float(shift[j])
        }
        self.raw = raw
    }

    /// Forgets the raw factors (a checkpoint written before the shortcut existed: a zero map and
    /// no raw rows is the plain tower it was trained as).
    public func disable() {
        map.value.zero()
        raw = nil
        isEnabled = false
    }

    /// False after `disable()`: the tower is then the plain MLP (no shortcut, no gate).
    public private(set) var isEnabled = true

    /// y ← y + shortcut, row by row (p and y are b × width): the raw factor of `ids[i]` where
    /// `present[i]` and the entity was in the fit (`known`), σ ⊙ p + μ elsewhere (μ for a dropped
    /// row, the de-standardised transform row or a few-shot user's fold-in).
    public func add(preference p: Matrix, ids: UnsafeBufferPointer<Int32>, present: [Bool], known: [Bool]?, to y: Matrix) {
        let n = map.value.cols
        precondition(p.cols == n && y.cols == n && p.rows == y.rows, "residual: preference and output must be b × \(n)")
        let sigma = map.value.row(0), mu = map.value.row(1)
        for i in 0..<y.rows {
            let out = y.row(i)
            if present[i], let raw, known?[Int(ids[i])] ?? false {
                let r = raw.row(Int(ids[i]))
                for j in 0..<n { out[j] += r[j] }
            } else {
                let x = p.row(i)
                for j in 0..<n { out[j] += sigma[j] * x[j] + mu[j] }
            }
        }
    }
}

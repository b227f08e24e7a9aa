import DropoutNet
import Foundation

/// The sweep's leaderboard as text: trials best first with their validation recall per split,
/// the Pareto front of warm against cold recall, and each setting's importance.
enum SweepTable {
    static func text(_ r: SweepReport) -> String {
        let byNumber = Dictionary(uniqueKeysWithValues: r.trials.map { ($0.trial, $0) })
        let counts = Dictionary(grouping: r.trials, by: \.status).mapValues(\.count)
        var lines = ["sweep \(r.sweep): \(r.trials.count) trials ("
                     + ["finished", "pruned", "failed"].compactMap { s in counts[s].map { "\($0) \(s)" } }.joined(separator: ", ")
                     + "); objective: \(r.objective)", ""]
        lines.append("rank  trial  status    objective    warm  cold_user  cold_item  front  settings that differ")
        let front = Set(r.paretoFront)
        for (rank, n) in r.leaderboard.enumerated() {
            guard let t = byNumber[n] else { continue }
            let settings = r.parameters.compactMap { p in t.differing[p.key].map { "\(p.key)=\($0)" } }.joined(separator: " ")
            let cells = [pad(String(rank + 1), 4), pad(String(n), 5), pad(t.status, -8), pad(number(t.objective), 9),
                         pad(number(t.validation["warm"]), 6), pad(number(t.validation["cold_user"]), 9),
                         pad(number(t.validation["cold_item"]), 9), pad(front.contains(n) ? "*" : "", 5),
                         settings.isEmpty ? "(the base settings)" : settings]
            lines.append(cells.joined(separator: "  "))
        }
        if !r.paretoFront.isEmpty {
            lines.append("")
            lines.append("warm/cold Pareto front (cold = mean of cold_user and cold_item): "
                         + r.paretoFront.map { n in
                             let v = byNumber[n]?.validation ?? [:]
                             let colds = ["cold_user", "cold_item"].compactMap { v[$0] }
                             return "trial \(n) (\(number(v["warm"])) / \(number(colds.isEmpty ? nil : colds.reduce(0, +) / Double(colds.count))))"
                         }.joined(separator: ", "))
        }
        if r.importance.contains(where: { $0.share > 0 }) {
            lines.append("importance (share of the objective's spread over ended trials, η²): "
                         + r.importance.sorted { $0.share > $1.share }.map { "\($0.key) \(String(format: "%.2f", $0.share))" }.joined(separator: ", "))
        }
        if let best = r.best { lines.append("best: trial \(best), run \(byNumber[best]?.run ?? "-")") }
        return lines.joined(separator: "\n")
    }

    /// Right-aligned in `width` columns, or left-aligned in −width.
    static func pad(_ s: String, _ width: Int) -> String {
        let fill = String(repeating: " ", count: max(0, abs(width) - s.count))
        return width < 0 ? s + fill : fill + s
    }

    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "-" }
        return String(format: "%.4f", v)
    }
}

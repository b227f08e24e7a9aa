import DropoutNet
import Foundation

/// The human form of a `TrainingResult` (`train` and `eval` without `--json`): each test split ×
/// K for the model and the baselines, then the few-shot curve.
enum ResultTable {
    static func text(_ r: TrainingResult) -> String {
        var lines: [String] = []
        let bestText = r.best.map { "best validation at step \($0.step)" } ?? "no validation split: last weights"
        lines.append(headline(r, bestText: bestText))
        let test = r.test?.report ?? EvaluationReport()
        let rows: [(String, EvaluationReport)] = [("dropoutnet", test)] + r.baselines.keys.sorted().map { ($0, r.baselines[$0]!) }
        let ks = EvaluationSplit.test.compactMap { test[$0.rawValue]?.ks }.first ?? [20]
        let nameWidth = max(13, (rows.map(\.0.count).max() ?? 0) + 2)
        var header = "split      " + "model".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "users"
        for k in ks { header += String(format: "  %9@", "recall@\(k)") }
        header += String(format: "  %9@", "ndcg@20") + String(format: "  %9@", "se(r@20)")
        lines.append(header)
        for split in EvaluationSplit.test.map(\.rawValue) {
            for (name, report) in rows {
                let line = split.padding(toLength: 11, withPad: " ", startingAt: 0) + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                guard let m = report[split] else {
                    // A baseline with no result where the model has one (WMF on cold splits) is not applicable.
                    let why = name != "dropoutnet" && test[split] != nil ? "n/a" : "(no users)"
                    lines.append(line + "     – " + why)
                    continue
                }
                lines.append(line + String(format: "%6d", m.users) + values(m, ks: ks))
            }
        }
        lines.append("se(r@20): the standard error of recall@20 as a mean over the split's users (how far another draw of as many users would move it)")
        if let f = r.fewShot { lines += fewShot(f, ks: ks) }
        return lines.joined(separator: "\n")
    }

    /// Steps, rate, time and how the weights were chosen; an `eval` trained nothing, so it says
    /// which weights it evaluated instead of printing "0 samples/s".
    static func headline(_ r: TrainingResult, bestText: String) -> String {
        guard r.steps > 0, let rate = r.samplesPerSecond, rate > 0 else {
            return String(format: "weights of step %d, evaluated in %.1f s (no training: no samples/s)", r.steps, r.seconds)
        }
        return String(format: "%d steps, %.0f samples/s, %.1f s (%@)", r.steps, rate, r.seconds, bestText)
    }

    /// The few-shot curve under the main table: one row per number of revealed interactions.
    static func fewShot(_ f: FewShotReport, ks: [Int]) -> [String] {
        var lines = ["", "few-shot: cold-user test users revealed k interactions (preference from those: \(f.preference))"]
        guard f.counts.contains(where: { f[$0] != nil }) else { return lines + ["  – (no cold-user test user has more than \(f.counts.max() ?? 0) test items)"] }
        var header = "k           users"
        for k in ks { header += String(format: "  %9@", "recall@\(k)") }
        header += String(format: "  %9@", "ndcg@20") + String(format: "  %9@", "se(r@20)")
        lines.append(header)
        for k in f.counts {
            guard let m = f[k] else { continue }
            lines.append(String(k).padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "%6d", m.users) + values(m, ks: ks))
        }
        return lines
    }

    private static func values(_ m: SplitMetrics, ks: [Int]) -> String {
        var line = ""
        for k in ks { line += String(format: "  %9.4f", m.recall(at: k) ?? .nan) }
        return line + String(format: "  %9.4f", m.value("ndcg", at: 20) ?? .nan)
            + String(format: "  %9.4f", m.recallStandardError(at: 20) ?? .nan)
    }
}

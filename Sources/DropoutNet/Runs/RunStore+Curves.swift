import GRDB

extension RunStore {
    /// A run's loss curve for a chart: at most `maxPoints` points, each the mean loss of a bucket
    /// of consecutive steps, at the bucket's last step (non-finite losses are left out of the
    /// means). Averaged inside SQLite, so a run of a million steps costs one indexed scan and
    /// no per-row decoding; `lossSeries` reads every row with its parts instead.
    public func lossCurve(_ run: RunID, maxPoints: Int = 2048) throws -> [(step: Int, loss: Double)] {
        try read { db in
            guard let last = try Int.fetchOne(db, sql: "SELECT MAX(step) FROM losses WHERE run = ?", arguments: [run.rawValue]) else {
                return []
            }
            let width = max(1, (last + max(1, maxPoints)) / max(1, maxPoints))
            return try Row.fetchAll(db, sql: """
                SELECT MAX(step) AS step, AVG(loss) AS loss FROM losses
                WHERE run = ? AND loss IS NOT NULL GROUP BY step / ? ORDER BY step
                """, arguments: [run.rawValue, width]).map { row in (step: row["step"], loss: row["loss"]) }
        }
    }
}

extension RunStore {
    /// One metric of a run over its evaluations (every split), by step: e.g. `recall` at `k` 20
    /// for the Train screen's recall chart.
    public func evalCurve(_ run: RunID, metric: String, k: Int) throws -> [EvalPoint] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT step, split, value FROM evals WHERE run = ? AND metric = ? AND k = ? AND value IS NOT NULL
                ORDER BY step, split
                """, arguments: [run.rawValue, metric, k]).map { row in
                EvalPoint(step: row["step"], split: row["split"], metric: metric, k: k, value: row["value"])
            }
        }
    }
}

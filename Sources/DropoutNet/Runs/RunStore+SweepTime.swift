import Foundation
import GRDB

/// What a sweep keeps besides its trials' runs (schema v5): the seconds it has run over all its
/// processes, so a `minutes` budget is spent once however often the sweep is resumed, and the
/// trials whose settings were refused before any run existed.
extension RunStore {
    /// Seconds `sweep` has run so far (0 for a sweep not recorded).
    public func sweepElapsed(_ sweep: String) throws -> Double {
        try read { db in try Double.fetchOne(db, sql: "SELECT elapsed FROM sweeps WHERE id = ?", arguments: [sweep]) ?? 0 }
    }

    /// Sets the seconds `sweep` has run (its runner writes it as it goes and when it ends).
    public func setSweepElapsed(_ sweep: String, seconds: Double) throws {
        try write { db in
            try db.execute(sql: "UPDATE sweeps SET elapsed = ? WHERE id = ?", arguments: [seconds, sweep])
        }
    }

    /// Records that trial `trial` of `sweep` was proposed with `values` and refused for `reason`.
    public func refuseTrial(sweep: String, trial: Int, values: [String: String], reason: String) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO sweep_refused (sweep, trial, sweep_values, reason) VALUES (?, ?, ?, ?)",
                           arguments: [sweep, trial, try RunStore.jsonText(values), reason])
        }
    }

    /// The refused trials of `sweep`, by number: status `failed`, no run, the reason as message.
    public func refusedTrials(_ sweep: String) throws -> [SweepTrial] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT trial, sweep_values, reason FROM sweep_refused WHERE sweep = ? ORDER BY trial",
                             arguments: [sweep]).map { row in
                let values = (row["sweep_values"] as String?).flatMap { try? RunStore.jsonDecoder.decode([String: String].self, from: Data($0.utf8)) } ?? [:]
                var result = SweepTrialResult()
                result.message = row["reason"]
                return SweepTrial(number: row["trial"], run: nil, status: .failed, values: values, result: result)
            }
        }
    }

    /// Marks an ended trial's run as replaced (a population-based sweep retrained whole after an
    /// interruption); the run keeps its own status.
    public func supersedeEndedTrial(run: RunID) throws {
        try write { db in
            try db.execute(sql: "UPDATE runs SET sweep_status = 'superseded' WHERE id = ? AND sweep_status != 'superseded'",
                           arguments: [run.rawValue])
        }
    }
}

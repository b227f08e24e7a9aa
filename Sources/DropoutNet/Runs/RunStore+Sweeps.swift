import Foundation
import GRDB

/// A sweep's trials in the store: each is a run tagged with the sweep's id, its trial number,
/// its status and what it measured (schema v4).
extension RunStore {
    /// Records the sweep (once: a resumed sweep finds its row).
    public func openSweep(id: String, definition: String) throws {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO sweeps (id, created, definition) VALUES (?, ?, ?)",
                           arguments: [id, StoreTime.text(Date()), definition])
        }
    }

    /// Tags `run` as trial `trial` of `sweep`, running with `values`.
    public func startTrial(run: RunID, sweep: String, trial: Int, values: [String: String]) throws {
        try write { db in
            try db.execute(sql: "UPDATE runs SET sweep = ?, sweep_trial = ?, sweep_status = 'running', sweep_values = ? WHERE id = ?",
                           arguments: [sweep, trial, try RunStore.jsonText(values), run.rawValue])
        }
    }

    /// Records how a trial ended.
    /// - Parameter values: the swept keys' values at the end, when they changed while it trained
    ///   (population-based training); nil keeps those it started with.
    public func endTrial(run: RunID, status: SweepTrialStatus, result: SweepTrialResult, values: [String: String]? = nil) throws {
        try write { db in
            try db.execute(sql: "UPDATE runs SET sweep_status = ?, sweep_result = ? WHERE id = ?",
                           arguments: [status.rawValue, try RunStore.jsonText(result), run.rawValue])
            if let values {
                try db.execute(sql: "UPDATE runs SET sweep_values = ? WHERE id = ?", arguments: [try RunStore.jsonText(values), run.rawValue])
            }
        }
    }

    /// Marks an interrupted trial's run as replaced by a re-run (and its run as stopped).
    public func supersedeTrial(run: RunID) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET sweep_status = 'superseded', status = 'stopped', finished = COALESCE(finished, ?)
                WHERE id = ? AND sweep_status = 'running'
                """, arguments: [StoreTime.text(Date()), run.rawValue])
        }
    }

    /// Every trial recorded for `sweep`, by trial number then run id (a `running` trial whose
    /// writer is gone reads as `interrupted`).
    public func sweepTrials(_ sweep: String) throws -> [SweepTrial] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, sweep_trial, sweep_status, sweep_values, sweep_result, status, writer_pid, writer_host
                FROM runs WHERE sweep = ? ORDER BY sweep_trial, id
                """, arguments: [sweep]).map { row in
                var status = SweepTrialStatus(rawValue: row["sweep_status"] ?? "") ?? .failed
                let stored = RunStatus(rawValue: row["status"] ?? "") ?? .failed
                if status == .running, RunWriter.status(stored: stored, pid: row["writer_pid"], host: row["writer_host"]) == .interrupted {
                    status = .interrupted
                }
                let values = (row["sweep_values"] as String?).flatMap { try? RunStore.jsonDecoder.decode([String: String].self, from: Data($0.utf8)) } ?? [:]
                let result = (row["sweep_result"] as String?).flatMap { try? RunStore.jsonDecoder.decode(SweepTrialResult.self, from: Data($0.utf8)) }
                return SweepTrial(number: row["sweep_trial"], run: RunID(row["id"] as String), status: status,
                                  values: values, result: result ?? SweepTrialResult())
            }
        }
    }

    /// The ids of the sweeps recorded, oldest first.
    public func sweepIDs() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM sweeps ORDER BY created, id") }
    }

    static var jsonDecoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    static func jsonText<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}

import Foundation
import GRDB

/// A note per run (what it tried, a tag) and deleting a run: the Runs screen's bookkeeping.
extension RunStore {
    /// Schema addition "notes": its own table, so it needs nothing of `runs`' columns and merges
    /// with any other addition (it is a migration step of its own, registered after the others).
    public static let schemaNotes = """
        CREATE TABLE run_notes (
          run   TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          note  TEXT NOT NULL,                        -- free text: what the run tried, a tag
          time  TEXT NOT NULL                         -- when it was last written
        ) WITHOUT ROWID;
        """

    /// Sets `run`'s note; an empty (or all-space) note removes it.
    public func setNote(_ run: RunID, _ text: String, at time: Date = Date()) throws {
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [run.rawValue]) == true else {
                throw RunStoreError.unknownRun(run.rawValue, directory: directory.path)
            }
            if note.isEmpty {
                try db.execute(sql: "DELETE FROM run_notes WHERE run = ?", arguments: [run.rawValue])
            } else {
                try db.execute(sql: "INSERT OR REPLACE INTO run_notes (run, note, time) VALUES (?, ?, ?)",
                               arguments: [run.rawValue, note, StoreTime.text(time)])
            }
        }
    }

    /// Every run's note, by run.
    public func notes() throws -> [RunID: String] {
        try read { db in
            var out: [RunID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT run, note FROM run_notes") { out[RunID(row["run"])] = row["note"] }
            return out
        }
    }

    /// Deletes `run`: its rows (losses, evaluations, changes, checkpoints, baselines, note go
    /// with it) and then its directory of checkpoints. A run that is still being recorded by a
    /// live process is refused: its writer would recreate half of it.
    public func deleteRun(_ run: RunID) throws {
        guard let record = try self.run(run) else { throw RunStoreError.unknownRun(run.rawValue, directory: directory.path) }
        if record.status == .running { throw RunStoreError.runStillRecording(run.rawValue) }
        try write { db in
            for table in ["setting_changes", "losses", "evals", "checkpoints", "baselines", "run_notes"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run = ?", arguments: [run.rawValue])
            }
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [run.rawValue])
        }
        let dir = runDirectory(run)
        if FileManager.default.fileExists(atPath: dir.path) { try FileManager.default.removeItem(at: dir) }
    }
}

import Foundation
import GRDB

/// The runs directory's SQLite database (`runs.sqlite`): every run's settings, the timeline of
/// live setting changes, losses, evaluations, baselines and checkpoints.
///
/// SQLite in WAL mode with `synchronous = NORMAL`: a committed transaction survives the process
/// being killed at any moment (the log is in the OS cache), readers never block the writer, and
/// anyone can query runs with the `sqlite3` shell. Metric writes are batched by `RunRecorder`.
/// The schema is `RunStore.schema` (documented in the README).
public final class RunStore: @unchecked Sendable {
    public let directory: URL
    public var databaseURL: URL { directory.appendingPathComponent(RunStore.fileName) }
    let pool: DatabasePool

    public static let fileName = "runs.sqlite"
    public static let defaultDirectory = "runs"

    /// Opens (and with `create`, creates) the store in `directory`.
    public init(directory: URL, create: Bool = true) throws {
        self.directory = directory
        let url = directory.appendingPathComponent(RunStore.fileName)
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            guard create else { throw RunStoreError.noStore(directory: directory.path) }
            do {
                try DirectoryMaker.create(directory)
            } catch let e as DirectoryError {
                throw RunStoreError.cannotOpen(path: url.path, reason: e.description)
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try RunStore.openPool(path: url.path, configuration: config)
        } catch let error as DatabaseError {
            throw RunStoreError.cannotOpen(path: url.path, reason: error.message ?? "\(error)")
        }
    }

    /// Opens the pool and migrates it if something is missing, retrying while SQLite says busy.
    /// SQLite documents that a WAL database can answer SQLITE_BUSY however long the busy timeout:
    /// while the first opener after a crashed writer (a killed training) runs recovery, or while
    /// the last connection to close cleans up the log. Both last milliseconds, so a new run or
    /// `runs list` starting at that moment waits them out instead of failing.
    /// Retried only within 4 s of the first try, so a lock the 10 s busy timeout has already
    /// waited out is reported as before, not waited for again. Also retried: a migration that
    /// another process applied first (two runs starting on a new store at once — the migrator
    /// reads what is applied before it takes the write lock), which the retry then finds done.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(4)
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Migrate only when something is missing: `migrate` takes the write lock even
                // when there is nothing to do, and readers that open the store often (the Runs
                // screen, `runs list` during training) would contend with the run recording.
                if try !pool.read({ try RunStore.migrator.hasCompletedMigrations($0) }) {
                    try RunStore.migrator.migrate(pool)
                }
                return pool
            } catch let error as DatabaseError where (error.isTransientLock || error.isConcurrentMigration) && Date() < deadline {
                attempt += 1
                usleep(UInt32(min(attempt, 10)) * 25_000)  // 25 ms, growing to 250 ms
            }
        }
    }

    /// Where a run's files (checkpoints, exports) live: `<runs>/<id>/`.
    public func runDirectory(_ run: RunID) -> URL { directory.appendingPathComponent(run.rawValue, isDirectory: true) }

    /// The conventional checkpoint path of a run at a step.
    public func checkpointURL(run: RunID, step: Int) -> URL {
        runDirectory(run).appendingPathComponent(String(format: "step-%08d.dnckpt", step))
    }

    /// Records a new run with status `running` and returns its id.
    public func createRun(settings: Settings, dataset: DatasetIdentity, split: SplitIdentity,
                          created: Date = Date()) throws -> RunID {
        for _ in 0..<16 {
            let id = RunID.make(at: created)
            let inserted = try write { db -> Bool in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id.rawValue]) == true { return false }
                try db.execute(sql: """
                    INSERT INTO runs (id, created, status, model, dataset_name, dataset_path, dataset_users, dataset_items,
                                      dataset_interactions, dataset_positives, dataset_fingerprint, split_origin, split_hash,
                                      code_version, settings, writer_pid, writer_host)
                    VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id.rawValue, StoreTime.text(created), settings.model.rawValue, dataset.name, dataset.path,
                                     dataset.users, dataset.items, dataset.interactions, dataset.positives,
                                     dataset.fingerprint, split.origin, split.hash, DropoutNetVersion.string,
                                     settings.json.jsonText, Int(getpid()), RunWriter.hostName])
                return true
            }
            if inserted { return id }
        }
        throw RunStoreError.cannotOpen(path: databaseURL.path, reason: "could not allocate a unique run id")
    }

    /// A recorder that buffers this run's metrics and writes them in batches.
    public func recorder(for run: RunID, flushInterval: TimeInterval = 0.5) -> RunRecorder {
        RunRecorder(store: self, run: run, flushInterval: flushInterval)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError {
            throw RunStoreError.database(path: databaseURL.path, reason: error.message ?? "\(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError {
            throw RunStoreError.database(path: databaseURL.path, reason: error.message ?? "\(error)")
        }
    }
}

/// A run store problem, naming the database file.
public enum RunStoreError: Error, CustomStringConvertible, Equatable {
    case noStore(directory: String)
    case cannotOpen(path: String, reason: String)
    case database(path: String, reason: String)
    case unknownRun(String, directory: String)
    case ambiguousRun(String, matches: [String])
    case runStillRecording(String)

    public var description: String {
        switch self {
        case .noStore(let d): return "\(d): no run store here (no \(RunStore.fileName)); train a model first or pass --runs DIR"
        case .cannotOpen(let p, let r): return "\(p): cannot open the run store: \(r)"
        case .database(let p, let r): return "\(p): \(r)"
        case .unknownRun(let r, let d): return "no run '\(r)' in \(d)"
        case .ambiguousRun(let r, let m): return "run '\(r)' is ambiguous: matches \(m.joined(separator: ", "))"
        case .runStillRecording(let r): return "run \(r) is still being recorded; stop it first"
        }
    }
}

/// Timestamps are ISO-8601 UTC text with milliseconds: readable in the sqlite3 shell, and
/// sortable as text.
enum StoreTime {
    static func text(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}

extension DatabaseError {
    /// A lock another connection holds for a moment (busy, locked, or WAL recovery's protocol
    /// retry limit), as opposed to a damaged or unreadable file.
    var isTransientLock: Bool {
        resultCode == .SQLITE_BUSY || resultCode == .SQLITE_LOCKED || resultCode == .SQLITE_PROTOCOL
    }

    /// A schema statement that failed because another connection made the same change a moment
    /// before — created the table or index, or added the column (the store's migrations only
    /// ever add). Each migration commits with its record, so a retry finds it applied.
    var isConcurrentMigration: Bool {
        let text = message ?? ""
        return resultCode == .SQLITE_ERROR && (text.hasSuffix("already exists") || text.hasPrefix("duplicate column name"))
    }
}

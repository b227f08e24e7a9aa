import Foundation
import GRDB

/// Records one run's metrics without slowing training down.
///
/// `record…` calls only append to an in-memory buffer under a lock (microseconds); a background
/// queue writes the buffer in one transaction every `flushInterval` (0.5 s by default). Killing
/// the process therefore loses at most the last interval of metrics, and because each batch is a
/// single SQLite transaction the store is never left half-written. Setting changes and
/// checkpoints are flushed promptly (they are rare and a user acts on them).
///
/// A batch that cannot be written (a full disk, a store that became unwritable) stops the
/// recording for good: the batch's transaction is rolled back, so the store keeps everything
/// written before; later points are dropped instead of piling up in memory, and `fault` says
/// why, so the run can tell the user that it trains on unrecorded. No retry: a curve with a
/// silent hole would look complete.
public final class RunRecorder: @unchecked Sendable {
    public let run: RunID
    public let store: RunStore
    public let flushInterval: TimeInterval

    private let lock = NSLock()
    private var losses: [LossPoint] = []
    private var evals: [EvalPoint] = []
    private var changes: [SettingChange] = []
    private var checkpoints: [CheckpointRecord] = []
    private var baselines: [BaselinePoint] = []
    private var stopped: RecordingFault?

    private let queue: DispatchQueue
    private var timer: DispatchSourceTimer?

    init(store: RunStore, run: RunID, flushInterval: TimeInterval) {
        self.store = store
        self.run = run
        self.flushInterval = flushInterval
        queue = DispatchQueue(label: "dropoutnet.run-recorder.\(run.rawValue)")
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + flushInterval, repeating: flushInterval, leeway: .milliseconds(50))
        t.setEventHandler { [weak self] in self?.writePending() }
        t.resume()
        timer = t
    }

    deinit { timer?.cancel() }

    /// Why this run is no longer recorded, nil while it is.
    public var fault: RecordingFault? {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    public func recordLoss(step: Int, total: Double, parts: [String: Double] = [:]) {
        let point = LossPoint(step: step, loss: total, parts: parts, time: Date().timeIntervalSince1970)
        lock.lock(); if stopped == nil { losses.append(point) }; lock.unlock()
    }

    /// Records `metrics` ("recall@20" → value, …) of one split at `step`.
    public func recordEval(step: Int, split: String, metrics: [String: Double]) {
        let points = metrics.map { key, value -> EvalPoint in
            let (metric, k) = EvalPoint.parse(key: key)
            return EvalPoint(step: step, split: split, metric: metric, k: k, value: value)
        }
        lock.lock(); if stopped == nil { evals.append(contentsOf: points) }; lock.unlock()
    }

    /// Records every split of an evaluation; splits without users (nil) are not recorded.
    public func recordEval(step: Int, report: EvaluationReport) {
        for name in report.order {
            guard let metrics = report[name] else { continue }
            recordEval(step: step, split: name, metrics: Dictionary(metrics.flat, uniquingKeysWith: { a, _ in a }))
        }
    }

    public func recordSettingChange(step: Int, key: String, old: String, new: String) {
        lock.lock(); if stopped == nil { changes.append(SettingChange(step: step, key: key, old: old, new: new)) }; lock.unlock()
        queue.async { [weak self] in self?.writePending() }
    }

    /// Records a checkpoint file that has been written (call after `Checkpoint.write` returns).
    /// `isBest` makes it the run's only best checkpoint.
    public func recordCheckpoint(step: Int, path: String, isBest: Bool, metrics: [String: Double] = [:]) {
        lock.lock(); if stopped == nil { checkpoints.append(CheckpointRecord(step: step, path: path, isBest: isBest, metrics: metrics)) }; lock.unlock()
        queue.async { [weak self] in self?.writePending() }
    }

    /// Records a baseline's metrics of one split (e.g. name "popularity", split "warm").
    public func recordBaseline(name: String, split: String, metrics: [String: Double]) {
        let points = metrics.map { key, value -> BaselinePoint in
            let (metric, k) = EvalPoint.parse(key: key)
            return BaselinePoint(name: name, split: split, metric: metric, k: k, value: value)
        }
        lock.lock(); if stopped == nil { baselines.append(contentsOf: points) }; lock.unlock()
    }

    /// Writes everything buffered now.
    /// - Throws: the `RecordingFault` once the recording has stopped (now or before).
    public func flush() throws {
        queue.sync { writePending() }
        if let fault { throw fault }
    }

    /// Flushes, stops the background writer and sets the run's final status and time.
    /// With `throughput`, also records how fast the run trained.
    /// - Throws: the `RecordingFault` when the recording had stopped: the run's row is then left
    ///   as it was (`running`, read back as `interrupted` once this process has gone), since its
    ///   curves end early.
    public func finish(status: RunStatus, throughput: RunThroughput? = nil) throws {
        timer?.cancel()
        try flush()
        try store.write { db in
            try db.execute(sql: "UPDATE runs SET status = ?, finished = ? WHERE id = ?",
                           arguments: [status.rawValue, StoreTime.text(Date()), run.rawValue])
            if let t = throughput {
                try db.execute(sql: "UPDATE runs SET train_steps = ?, train_seconds = ?, samples_per_s = ?, wall_seconds = ? WHERE id = ?",
                               arguments: [t.steps, t.trainingSeconds, t.samplesPerSecond, t.wallSeconds, run.rawValue])
            }
        }
    }

    /// Runs on `queue` only: takes the buffer and writes it in one transaction. On failure the
    /// recording stops (see the type's comment): the batch is dropped and `fault` set.
    private func writePending() {
        lock.lock()
        let batch = (losses, evals, changes, checkpoints, baselines)
        losses = []; evals = []; changes = []; checkpoints = []; baselines = []
        lock.unlock()
        if batch.0.isEmpty && batch.1.isEmpty && batch.2.isEmpty && batch.3.isEmpty && batch.4.isEmpty { return }
        let id = run.rawValue
        do {
            try store.write { db in
                // Prepared once per connection: a batch of thousands of points is one transaction of cheap steps.
                let insertLoss = try db.cachedStatement(sql: "INSERT OR REPLACE INTO losses (run, step, loss, parts, time) VALUES (?, ?, ?, ?, ?)")
                for p in batch.0 {
                    try insertLoss.execute(arguments: [id, p.step, p.loss.isNaN ? nil : p.loss, RunStore.json(p.parts), p.time])
                }
                let insertEval = try db.cachedStatement(sql: "INSERT OR REPLACE INTO evals (run, step, split, metric, k, value) VALUES (?, ?, ?, ?, ?, ?)")
                for p in batch.1 {
                    try insertEval.execute(arguments: [id, p.step, p.split, p.metric, p.k, p.value.isNaN ? nil : p.value])
                }
                for c in batch.2 {
                    try db.execute(sql: "INSERT INTO setting_changes (run, step, key, old, new, time) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [id, c.step, c.key, c.old, c.new, StoreTime.text(c.time)])
                }
                for c in batch.3 {
                    if c.isBest {
                        try db.execute(sql: "UPDATE checkpoints SET is_best = 0 WHERE run = ?", arguments: [id])
                    }
                    try db.execute(sql: "INSERT INTO checkpoints (run, step, path, created, is_best, metrics) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [id, c.step, c.path, StoreTime.text(c.created), c.isBest, RunStore.json(c.metrics)])
                }
                for b in batch.4 {
                    try db.execute(sql: "INSERT OR REPLACE INTO baselines (run, name, split, metric, k, value) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [id, b.name, b.split, b.metric, b.k, b.value.isNaN ? nil : b.value])
                }
            }
        } catch {
            lock.lock()
            if stopped == nil {
                stopped = RecordingFault(run: run, step: batch.0.first?.step, reason: "\(error)")
            }
            losses = []; evals = []; changes = []; checkpoints = []; baselines = []
            lock.unlock()
            timer?.cancel()
        }
    }
}

/// A run that could no longer be recorded: the store's error, and the first step whose loss was
/// lost (nil when the failed batch held no losses).
public struct RecordingFault: Error, CustomStringConvertible, Sendable {
    public let run: RunID
    public let step: Int?
    /// The store's error, naming the database file ("…/runs.sqlite: database or disk is full").
    public let reason: String

    public var description: String {
        "run \(run) is no longer recorded" + (step.map { " from step \($0)" } ?? "") + ": \(reason)"
    }
}

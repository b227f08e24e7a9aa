import Foundation
import GRDB

extension RunStore {
    private static let runColumns = """
        r.id, r.created, r.finished, r.status, r.model, r.dataset_name, r.dataset_path, r.dataset_users,
        r.dataset_items, r.dataset_interactions, r.dataset_positives, r.dataset_fingerprint, r.split_origin,
        r.split_hash, r.code_version, r.settings, r.writer_pid, r.writer_host,
        r.train_steps, r.train_seconds, r.samples_per_s, r.wall_seconds,
        (SELECT MAX(step) FROM losses l WHERE l.run = r.id) AS last_step,
        (SELECT loss FROM losses l WHERE l.run = r.id ORDER BY step DESC LIMIT 1) AS last_loss
        """

    /// Every run, oldest first.
    public func listRuns() throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(RunStore.runColumns) FROM runs r ORDER BY r.id").map(RunStore.record)
        }
    }

    /// The run with exactly this id, or nil.
    public func run(_ id: RunID) throws -> RunRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(RunStore.runColumns) FROM runs r WHERE r.id = ?", arguments: [id.rawValue])
                .map(RunStore.record)
        }
    }

    /// Finds a run by its id, a unique prefix of it, its last parts as the workbench prints them
    /// (`114844-b032` or `b032` of `20261206-114844-b032`), or `last` / `latest`.
    public func resolveRun(_ text: String) throws -> RunRecord {
        let all = try listRuns()
        if text == "last" || text == "latest", let last = all.last { return last }
        if let exact = all.first(where: { $0.id.rawValue == text }) { return exact }
        var matches = all.filter { $0.id.rawValue.hasPrefix(text) }
        if matches.isEmpty && !text.isEmpty {
            matches = all.filter { $0.id.rawValue.hasSuffix("-" + text) }
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw RunStoreError.ambiguousRun(text, matches: matches.map(\.id.rawValue)) }
        throw RunStoreError.unknownRun(text, directory: directory.path)
    }

    public func lossSeries(_ run: RunID) throws -> [LossPoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT step, loss, parts, time FROM losses WHERE run = ? ORDER BY step",
                             arguments: [run.rawValue]).map { row in
                LossPoint(step: row["step"], loss: (row["loss"] as Double?) ?? .nan, parts: RunStore.doubles(row["parts"]), time: row["time"])
            }
        }
    }

    public func evalSeries(_ run: RunID) throws -> [EvalPoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT step, split, metric, k, value FROM evals WHERE run = ? ORDER BY step, split, metric, k",
                             arguments: [run.rawValue]).map { row in
                EvalPoint(step: row["step"], split: row["split"], metric: row["metric"], k: row["k"],
                          value: (row["value"] as Double?) ?? .nan)
            }
        }
    }

    public func settingChanges(_ run: RunID) throws -> [SettingChange] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT step, key, old, new, time FROM setting_changes WHERE run = ? ORDER BY step, rowid",
                             arguments: [run.rawValue]).map { row in
                SettingChange(step: row["step"], key: row["key"], old: row["old"], new: row["new"],
                              time: StoreTime.date(row["time"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    public func checkpoints(_ run: RunID) throws -> [CheckpointRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT step, path, created, is_best, metrics FROM checkpoints WHERE run = ? ORDER BY step, id",
                             arguments: [run.rawValue]).map { row in
                CheckpointRecord(step: row["step"], path: row["path"],
                                 created: StoreTime.date(row["created"]) ?? Date(timeIntervalSince1970: 0),
                                 isBest: row["is_best"], metrics: RunStore.doubles(row["metrics"]))
            }
        }
    }

    public func baselines(_ run: RunID) throws -> [BaselinePoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, split, metric, k, value FROM baselines WHERE run = ? ORDER BY name, split, metric, k",
                             arguments: [run.rawValue]).map { row in
                BaselinePoint(name: row["name"], split: row["split"], metric: row["metric"], k: row["k"], value: row["value"])
            }
        }
    }

    /// The evaluation the run is judged by (see `BestEvaluation`); nil before its first evaluation.
    /// Selection uses validation recall@K (`k`: 20 when evaluated, else the smallest K), averaged
    /// over the validation splits evaluated at a step ("validation", or "validation_warm",
    /// "validation_cold_user", "validation_cold_item").
    public func bestEvaluation(_ run: RunID, k preferredK: Int = 20) throws -> BestEvaluation? {
        let points = try evalSeries(run)
        guard let lastStep = points.map(\.step).max() else { return nil }
        let validation = points.filter { p -> Bool in
            let isValidation = p.split == "validation" || p.split.hasPrefix("validation_")
            return isValidation && p.metric == "recall" && p.value.isFinite
        }
        let ks = Set(validation.map(\.k))
        if let k = ks.contains(preferredK) ? preferredK : ks.min() {
            var byStep: [Int: [Double]] = [:]
            for p in validation where p.k == k { byStep[p.step, default: []].append(p.value) }
            let splits = Set(validation.filter { $0.k == k }.map(\.split)).sorted()
            // Highest mean; the earliest step wins ties (less training for the same score).
            var best = (step: Int.max, mean: -Double.infinity)
            for (step, values) in byStep {
                let mean: Double = values.reduce(0, +) / Double(values.count)
                if mean > best.mean || (mean == best.mean && step < best.step) { best = (step, mean) }
            }
            let rule = splits.count == 1 ? "best \(splits[0]) recall@\(k)" : "best mean validation recall@\(k) (\(splits.joined(separator: ", ")))"
            return BestEvaluation(step: best.step, rule: rule, points: points.filter { $0.step == best.step })
        }
        return BestEvaluation(step: lastStep, rule: "last evaluation", points: points.filter { $0.step == lastStep })
    }

    static func record(_ row: Row) throws -> RunRecord {
        let settingsText: String = row["settings"]
        let status: String = row["status"]
        return RunRecord(
            id: RunID(row["id"]),
            created: StoreTime.date(row["created"]) ?? Date(timeIntervalSince1970: 0),
            finished: StoreTime.date(row["finished"]),
            status: RunWriter.status(stored: RunStatus(rawValue: status) ?? .failed,
                                     pid: row["writer_pid"], host: row["writer_host"]),
            model: row["model"],
            dataset: DatasetIdentity(name: row["dataset_name"], path: row["dataset_path"], users: row["dataset_users"],
                                     items: row["dataset_items"], interactions: row["dataset_interactions"],
                                     positives: row["dataset_positives"], fingerprint: row["dataset_fingerprint"]),
            split: SplitIdentity(origin: row["split_origin"], hash: row["split_hash"]),
            codeVersion: row["code_version"],
            settings: (try? JSONValue.parse(settingsText)) ?? .object([:]),
            lastStep: row["last_step"],
            lastLoss: row["last_loss"],
            throughput: RunThroughput(steps: row["train_steps"], trainingSeconds: row["train_seconds"],
                                      samplesPerSecond: row["samples_per_s"], wallSeconds: row["wall_seconds"]))
    }

    static func doubles(_ text: String?) -> [String: Double] {
        // JSONSerialization: several times faster than JSONDecoder, and this runs per loss row.
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in object {
            if v is NSNull { out[k] = .nan } else if let d = (v as? NSNumber)?.doubleValue { out[k] = d }
        }
        return out
    }

    static func json(_ values: [String: Double]) -> String? {
        // Hand-formatted: this runs for every loss point and JSONEncoder costs ~20 µs a call.
        // JSON has no NaN or infinity: non-finite values are written as null (read back as NaN).
        if values.isEmpty { return nil }
        var out = "{"
        for (i, key) in values.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            let plain = key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }
            out += plain ? "\"" + key + "\"" : JSONValue.string(key).jsonText
            let v = values[key]!
            out += v.isFinite ? ":\(v)" : ":null"
        }
        return out + "}"
    }
}

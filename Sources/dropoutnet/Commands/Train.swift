import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet train`: trains the DropoutNet model headless, prints an evaluation table (or one
/// JSON object with `--json`); progress goes to stderr.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train DropoutNet headless and evaluate it on the warm, cold-user and cold-item test splits.",
        discussion: """
            Validation (carved from each split) is evaluated every eval_every steps; the weights with \
            the best mean validation recall@20 are the ones tested. Baselines: popularity and the \
            content-only towers (preference dropped on both sides).
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Settings file (TOML) applied before any --set.") var config: String?
    @Option(name: .customLong("set"), parsing: .singleValue, help: "KEY=VALUE, any setting (repeatable), e.g. --set item_dropout=0.5.")
    var assignments: [String] = []
    @Option(help: "WMF factors file from `dropoutnet pretrain wmf` on this data and split, instead of fitting WMF at the start (model=classic, preference=wmf).")
    var wmf: String?
    @Option(help: "Epochs (overrides the settings).") var epochs: Int?
    @Option(help: "Seed of initialisation, shuffling, dropout and negatives.") var seed: UInt64?
    @Option(help: "Runs directory: the run store (runs.sqlite) and each run's checkpoints (default: ./runs).") var runs: String?
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        // `--set model=classic` (or `model` in the file) starts from that model's defaults.
        var settings = try SettingsFile.resolve(config: config.map { URL(fileURLWithPath: $0) }, assignments: assignments)
        if let epochs { settings.epochs = epochs }
        if let seed { settings.seed = seed }
        try settings.validate()
        let data = try dataOptions.prepare(quiet: quiet || json)
        let rawWMF = try wmf.map { try WMFInput.load($0, data: data, settings: &settings) }
        let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
        let recording = try RunRecording(store: store, data: data, settings: settings, datasetPath: URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path)
        let result: TrainRunResult
        do {
            result = try TrainRun.execute(data: data, settings: settings, progress: !quiet, recording: recording,
                                          rawWMF: rawWMF)
        } catch {
            try? recording.finish(status: .failed)
            throw error
        }
        try recording.finish(status: .finished)
        if !quiet && !json {
            Console.note("run \(recording.run.rawValue); checkpoint \(result.checkpoint ?? "none")")
        }
        if json {
            print(TrainRun.json(result, data: data, settings: settings).jsonText)
        } else {
            print(TrainRun.table(result))
        }
    }
}

/// What one headless run produced.
struct TrainRunResult {
    var steps: Int
    var samplesPerSecond: Double
    var seconds: Double
    var best: EvaluationRecord?
    var test: EvaluationRecord
    var baselines: [String: EvaluationReport]
    var run: String?
    var checkpoint: String?
    /// The few-shot curve with the tested weights (cold-user test users revealed k interactions).
    var fewShot: FewShotReport? = nil
}

enum TrainRun {
    /// Trains to the end on this thread, with a progress line on stderr.
    /// With `recording`, losses, evaluations, baselines and the final best-weights checkpoint go
    /// to the run store.
    static func execute(data: TrainingData, settings: Settings, progress: Bool, recording: RunRecording? = nil,
                        rawWMF: WMFFactors? = nil) throws -> TrainRunResult {
        let trainer = try Trainer(data: data, settings: settings, rawWMF: rawWMF)
        let bar = ProgressLine(enabled: progress)
        trainer.onEvent = { _, message in bar.note(message) }
        let start = Date()
        var last = LossBreakdown()
        while !trainer.isFinished {
            do {
                last = try trainer.trainStep()
            } catch let fault as NumericFault {
                bar.finish()
                throw TrainFailure(description: fault.description)
            }
            recording?.stepDone(trainer, last)
            if trainer.evaluationDue {
                let r = trainer.evaluateValidation()
                recording?.evaluated(r)
                bar.note("step \(trainer.step): validation mean recall@20 " + (r.score.map { String(format: "%.4f", $0) } ?? "n/a")
                         + (trainer.best?.step == r.step ? " (best)" : ""))
            }
            bar.update(trainer: trainer, loss: last.total)
        }
        bar.finish()
        let evaluated = trainer.evaluations.count
        let (test, baselines) = trainer.finish()
        let fewShot = try trainer.evaluateFewShot()
        // `finish` may add a last validation evaluation.
        for r in trainer.evaluations.dropFirst(evaluated) { recording?.evaluated(r) }
        var checkpoint: String?
        if let recording {
            recording.finished(trainer: trainer, test: test, baselines: baselines)
            // The model now holds the best validation weights: those are the checkpoint.
            let url = try recording.saveCheckpoint(trainer, step: trainer.best?.step ?? trainer.step, isBest: true,
                                                   metrics: RunRecording.flatMetrics(test.report))
            checkpoint = url.path
        }
        let seconds = Date().timeIntervalSince(start)
        let sps = trainer.trainingSeconds > 0 ? Double(trainer.step * trainer.batchSize) / trainer.trainingSeconds : 0
        return TrainRunResult(steps: trainer.step, samplesPerSecond: sps, seconds: seconds, best: trainer.best,
                              test: test, baselines: baselines, run: recording?.run.rawValue, checkpoint: checkpoint,
                              fewShot: fewShot)
    }

    static func metrics(_ report: EvaluationReport) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for split in EvaluationSplit.test.map(\.rawValue) { o[split] = metrics(report[split]) }
        return .object(o)
    }

    /// One split's `{"users": n, "recall@20": x, …}`, or null when it has no users.
    static func metrics(_ m: SplitMetrics?) -> JSONValue {
        guard let m else { return .null }
        var fields: [String: JSONValue] = ["users": .number(Double(m.users))]
        for (k, v) in m.flat { fields[k] = .number(v) }
        return .object(fields)
    }

    /// `"few_shot": {"0": {…}, "1": {…}, …}`, keyed by the number of revealed interactions.
    static func fewShot(_ r: FewShotReport) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for k in r.counts { o[String(k)] = metrics(r[k]) }
        return .object(o)
    }

    /// The DESIGN §10 object (also `eval --json`'s shape).
    static func json(_ r: TrainRunResult, data: TrainingData, settings: Settings) -> JSONValue {
        let d = data.dataset
        return .object([
            "run": r.run.map(JSONValue.string) ?? .null,
            "checkpoint": r.checkpoint.map(JSONValue.string) ?? .null,
            "dataset": .object(["users": .number(Double(d.userCount)), "items": .number(Double(d.itemCount)),
                                "interactions": .number(Double(d.interactionCount)), "positives": .number(Double(d.positiveCount))]),
            "split": .object(["warm_test_users": .number(Double(data.evaluatedUserCount(.warm))),
                              "cold_users": .number(Double(data.split.coldUsers.count)),
                              "cold_items": .number(Double(data.split.coldItems.count))]),
            "settings": settings.json,
            "metrics": metrics(r.test.report),
            "baselines": .object(r.baselines.mapValues(metrics)),
            "few_shot": r.fewShot.map(fewShot) ?? .null,
            "best": r.best.map { .object(["step": .number(Double($0.step)), "validation_recall@20": $0.score.map(JSONValue.number) ?? .null]) } ?? .null,
            "throughput": .object(["samples_per_s": .number(r.samplesPerSecond.rounded()), "seconds": .number((r.seconds * 1000).rounded() / 1000),
                                   "steps": .number(Double(r.steps))]),
        ])
    }

    /// The human table: each test split × K for the model and the baselines.
    static func table(_ r: TrainRunResult) -> String {
        var lines: [String] = []
        let bestText = r.best.map { "best validation at step \($0.step)" } ?? "no validation split: last weights"
        lines.append(String(format: "%d steps, %.0f samples/s, %.1f s (%@)", r.steps, r.samplesPerSecond, r.seconds, bestText))
        let rows: [(String, EvaluationReport)] = [("dropoutnet", r.test.report)]
            + r.baselines.keys.sorted().map { ($0, r.baselines[$0]!) }
        let ks = EvaluationSplit.test.compactMap { r.test.report[$0.rawValue]?.ks }.first ?? [20]
        var header = "split      model         users"
        for k in ks { header += String(format: "  %9@", "recall@\(k)") }
        header += String(format: "  %9@", "ndcg@20")
        lines.append(header)
        for split in EvaluationSplit.test.map(\.rawValue) {
            for (name, report) in rows {
                var line = split.padding(toLength: 11, withPad: " ", startingAt: 0) + name.padding(toLength: 13, withPad: " ", startingAt: 0)
                guard let m = report[split] else {
                    // A baseline with no result where the model has one (WMF on cold splits) is not applicable.
                    let why = name != "dropoutnet" && r.test.report[split] != nil ? "n/a" : "(no users)"
                    lines.append(line + "     – " + why)
                    continue
                }
                line += String(format: "%6d", m.users)
                for k in ks { line += String(format: "  %9.4f", m.recall(at: k) ?? .nan) }
                line += String(format: "  %9.4f", m.value("ndcg", at: 20) ?? .nan)
                lines.append(line)
            }
        }
        if let f = r.fewShot { lines += fewShotTable(f, ks: ks) }
        return lines.joined(separator: "\n")
    }

    /// The few-shot curve under the main table: one row per number of revealed interactions.
    static func fewShotTable(_ f: FewShotReport, ks: [Int]) -> [String] {
        var lines = ["", "few-shot: cold-user test users revealed k interactions (preference from those: \(f.preference))"]
        guard f.counts.contains(where: { f[$0] != nil }) else { return lines + ["  – (no cold-user test user has more than \(f.counts.max() ?? 0) test items)"] }
        var header = "k           users"
        for k in ks { header += String(format: "  %9@", "recall@\(k)") }
        header += String(format: "  %9@", "ndcg@20")
        lines.append(header)
        for k in f.counts {
            guard let m = f[k] else { continue }
            var line = String(k).padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "%6d", m.users)
            for k in ks { line += String(format: "  %9.4f", m.recall(at: k) ?? .nan) }
            line += String(format: "  %9.4f", m.value("ndcg", at: 20) ?? .nan)
            lines.append(line)
        }
        return lines
    }
}

struct TrainFailure: Error, CustomStringConvertible { var description: String }

/// A one-line progress bar on stderr (redrawn at most ten times a second).
final class ProgressLine {
    let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let start = Date()

    init(enabled: Bool) { self.enabled = enabled && true }

    func update(trainer t: Trainer, loss: Double) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || t.isFinished else { return }
        lastDraw = now
        let total = max(t.totalSteps, 1)
        let frac = Double(t.step) / Double(total)
        let width = 24
        let filled = Int(frac * Double(width))
        let sps = t.trainingSeconds > 0 ? Double(t.step * t.batchSize) / t.trainingSeconds : 0
        let elapsed = now.timeIntervalSince(start)
        let eta = frac > 0 ? elapsed / frac - elapsed : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let text = String(format: "\r[%@] step %d/%d  epoch %d/%d  loss %.4f  %.0f samples/s  ETA %@ ",
                          bar, t.step, total, t.epoch + 1, t.epochs, loss, sps, ProgressLine.duration(eta))
        FileHandle.standardError.write(Data(text.utf8))
        drawn = true
    }

    func note(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(((drawn ? "\r\u{1B}[K" : "") + message + "\n").utf8))
        drawn = false
        lastDraw = .distantPast
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t / 60 % 60) : String(format: "%d:%02d", t / 60, t % 60)
    }
}

import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet bench scale`: issue 16's scale target measured the way a user meets it — the
/// whole `train --epochs 1` with the defaults (live validation on) on a generated world of
/// MovieLens-25M size — split into where the wall time goes: preparing the data, setting the
/// model up, training steps, live validations and the test at the end; with samples/s and the
/// peak RSS. `--interactions 5000000` measures a smaller world of the same shape.
struct BenchScale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Time a whole one-epoch training run with the defaults on a generated world (25 M interactions by default).")

    @Option(help: "Interactions in the generated world.") var interactions = 25_000_000
    @Option(help: "Users of the generated world.") var users = 160_000
    @Option(help: "Items of the generated world.") var items = 60_000
    @Option(help: "Directory for the generated data (reused when it already holds this size).") var dir: String?
    @Option(help: "Epochs to train.") var epochs = 1
    @Option(name: .customLong("set"), parsing: .singleValue, help: "KEY=VALUE, any setting (repeatable); the defaults otherwise.")
    var assignments: [String] = []
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        let directory = try BenchLoad.world(users: users, items: items, interactions: interactions, dir: dir)
        var settings = try SettingsFile.resolve(config: nil, assignments: assignments)
        settings.epochs = epochs
        try settings.validate()
        let wallStart = Date()
        let data = try DataOptions.parse(["--data", directory]).prepare(encoderOptions: settings.encoderOptions, quiet: true)
        let prepared = Date()
        let run = try TrainingRun(data: data, settings: settings)
        let setUp = Date()
        let clock = PhaseClock()
        run.observers = [clock]
        let result = try run.trainToEnd()
        let end = Date()
        let figures = BenchReport.Scale(
            users: users, items: items, interactions: interactions, epochs: epochs, steps: result.steps,
            wallSeconds: end.timeIntervalSince(wallStart), prepareSeconds: prepared.timeIntervalSince(wallStart),
            setupSeconds: setUp.timeIntervalSince(prepared), trainingSeconds: result.trainingSeconds,
            samplesPerSecond: result.trainingSeconds > 0 ? Double(result.steps * result.batchSize) / result.trainingSeconds : 0,
            validations: clock.validations, validationSeconds: clock.validationSeconds,
            endSeconds: clock.lastStep.map { end.timeIntervalSince($0) } ?? 0,
            testSeconds: clock.finished.flatMap { f in clock.lastStep.map { f.timeIntervalSince($0) } } ?? 0,
            contentOnlySteps: run.contentOnly?.step ?? 0,
            contentOnlySeconds: clock.finished.map { end.timeIntervalSince($0) } ?? 0,
            peakRSSBytes: BenchLoad.peakResidentBytes(),
            validationShare: clock.validationSeconds / max(end.timeIntervalSince(wallStart), 1e-9))
        if json {
            print(try JSONOutput.text(figures))
        } else {
            print(figures.text)
        }
    }
}

/// Where a run's time goes between its steps: a validation is what comes after a step (or
/// the previous validation) and before its `didEvaluate`, the observer order of `TrainingRun`;
/// the test splits, baselines and few-shot curve come before `didFinish`, the content-only
/// baseline's training after it.
final class PhaseClock: TrainingRunObserver {
    /// The end of the last step or validation: what follows the last one is the run's end.
    private(set) var lastStep: Date?
    /// When the run's own end (tests) was done.
    private(set) var finished: Date?
    private(set) var validations = 0
    private(set) var validationSeconds = 0.0

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) { lastStep = Date() }

    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) { finished = Date() }

    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
        guard let lastStep else { return }
        let seconds = Date().timeIntervalSince(lastStep)
        validations += 1
        validationSeconds += seconds
        self.lastStep = Date()
    }
}

extension BenchReport {
    /// `bench scale --json`.
    struct Scale: Encodable {
        var users, items, interactions, epochs, steps: Int
        /// The whole command after generating the world: prepare + setup + training loop + end.
        var wallSeconds: Double
        /// Loading (parse or cache), splitting and encoding content.
        var prepareSeconds: Double
        /// Building the model (and fitting WMF when the settings ask for it).
        var setupSeconds: Double
        /// Inside training steps only.
        var trainingSeconds: Double
        var samplesPerSecond: Double
        /// Validation evaluations during and at the end of training, and their seconds.
        var validations: Int
        var validationSeconds: Double
        /// After the last validation: the test splits, baselines (the content-only one trained,
        /// unless switched off), few-shot curve.
        var endSeconds: Double
        /// Of those, the test splits, the untrained baselines and the few-shot curve.
        var testSeconds: Double
        /// Of those, the content-only baseline's training, validations and test (0 steps: not trained).
        var contentOnlySteps: Int
        var contentOnlySeconds: Double
        var peakRSSBytes: Int
        /// Validations' share of the whole wall time.
        var validationShare: Double

        enum CodingKeys: String, CodingKey {
            case users, items, interactions, epochs, steps, wallSeconds = "wall_seconds", prepareSeconds = "prepare_seconds"
            case setupSeconds = "setup_seconds", trainingSeconds = "training_seconds", samplesPerSecond = "samples_per_s"
            case validations, validationSeconds = "validation_seconds", endSeconds = "end_seconds"
            case testSeconds = "test_seconds", contentOnlySteps = "content_only_steps", contentOnlySeconds = "content_only_seconds"
            case peakRSSBytes = "peak_rss_bytes", validationShare = "validation_share"
        }


        var text: String {
            func s(_ x: Double) -> String { String(format: "%.1f s", x) }
            func row(_ label: String, _ value: String) -> String { "  " + label.padding(toLength: 40, withPad: " ", startingAt: 0) + value }
            return [
                "world: \(users) users × \(items) items × \(interactions) interactions, \(epochs) epoch(s), \(steps) steps",
                "whole run: \(s(wallSeconds)) wall, peak RSS \(peakRSSBytes / 1_048_576) MB",
                row("prepare (load, split, encode content):", s(prepareSeconds)),
                row("model setup:", s(setupSeconds)),
                row("training steps:", "\(s(trainingSeconds)), \(String(format: "%.0f", samplesPerSecond)) samples/s"),
                row("validations (\(validations)):", "\(s(validationSeconds)), \(String(format: "%.1f%%", validationShare * 100)) of the wall time"),
                row("test and baselines at the end:", s(endSeconds)),
                row("  tests, baselines, few-shot curve:", s(testSeconds)),
                row("  content-only baseline:", contentOnlySteps > 0 ? "\(s(contentOnlySeconds)), \(contentOnlySteps) steps" : "not trained"),
            ].joined(separator: "\n")
        }
    }
}

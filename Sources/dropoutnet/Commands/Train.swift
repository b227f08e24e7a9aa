import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet train`: trains the DropoutNet model headless, prints an evaluation table (or one
/// JSON object with `--json`); progress goes to stderr.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train DropoutNet headless and evaluate it on the warm, cold-user and cold-item test splits.",
        discussion: """
            Validation (carved from each split) is evaluated every eval_every steps; the weights with \
            the best mean validation recall@20 are the ones tested. Baselines: popularity, WMF alone \
            (warm split), zeroed_preference (the tested towers with every preference zeroed) and \
            content_only: the same towers trained on their own with user and item dropout 1, after \
            the run and as long again, by default only up to 2 M training interactions \
            (--set baselines.content_only=trained forces it, =off skips it).
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
        let data = try dataOptions.prepare(encoderOptions: settings.encoderOptions, quiet: quiet || json)
        let rawWMF = try wmf.map { try WMFInput.load($0, data: data, settings: &settings) }
        let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
        let recording = try RunRecording(store: store, data: data, settings: settings, datasetPath: URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path)
        let run: TrainingRun
        do {
            run = try TrainingRun(data: data, settings: settings, rawWMF: rawWMF)
        } catch {
            try? recording.finish(status: .failed)
            throw error
        }
        if !quiet {
            if let search = run.trainer.wmfRegSearch {
                let tried = search.recalls.map { String(format: "λ %g: %.4f", $0.lambda, $0.recall) }.joined(separator: ", ")
                Console.note("WMF λ \(String(format: "%g", search.chosen)) by recall@\(Trainer.selectionK) of \(search.heldOut) held-out training positives (\(tried))")
            }
            for (side, map) in run.trainer.coldPathStarts {
                Console.note("\(side) cold path starts at the ridge map over \(map.rows) \(side)s' WMF factors (λ \(String(format: "%.3g", map.lambda)), held-out error \(map.holdoutError.map { String(format: "%.4g", $0) } ?? "n/a"), \(String(format: "%.1f", map.seconds)) s)")
            }
            if let map = run.trainer.coldUserMap {
                let chosen = map.heldOutRecall.map { String(format: ", held-out recall@%d %.4f", Trainer.selectionK, $0) } ?? ""
                Console.note("cold-user prior: popularity predicted from user content over \(map.width) column\(map.width == 1 ? "" : "s") (target \(map.target.rawValue), ridge ×\(String(format: "%g", map.relativeRidge))\(chosen), \(String(format: "%.1f", map.seconds)) s)")
            }
            if let map = run.trainer.coldItemMap {
                let tried = map.heldOutRecalls.map { String(format: "%d: %.4f", $0.width - 1, $0.recall) }.joined(separator: ", ")
                Console.note("cold-item map: each user's ridge profile over \(map.width - 1) item-content column\(map.width == 2 ? "" : "s")"
                    + (tried.isEmpty ? "" : " (held-out recall@\(Trainer.selectionK) by width: \(tried))")
                    + ", \(String(format: "%.1f", map.seconds)) s")
            }
        }
        let progress = ProgressLine(enabled: !quiet)
        run.observers = [progress, recording]
        run.checkpoints = recording
        // A failed step ends the run without a result; a failure at the end (the best
        // checkpoint on a full disk) leaves a tested result, which is still printed.
        var problems: [String] = []
        do {
            _ = try run.trainToEnd()
        } catch {
            guard run.result != nil else {
                progress.finish()
                try? recording.finish(status: .failed)
                throw error
            }
            problems.append("\(error)")
        }
        progress.finish()
        guard let result = run.result else { preconditionFailure("a run that trained to its end has a result") }
        do {
            try recording.finish(status: problems.isEmpty ? .finished : .failed)
        } catch {
            problems.append("\(error)")
        }
        if !quiet && !json {
            Console.note("run \(recording.run.rawValue); checkpoint \(result.checkpoint ?? "none")")
        }
        if json {
            print(try JSONOutput.text(RunReport(result, run: recording.run.rawValue, data: data, settings: settings)))
        } else {
            print(ResultTable.text(result))
        }
        if !problems.isEmpty { throw IncompleteRun(problems: problems) }
    }
}

/// A run that was tested but whose best checkpoint or recording could not be written (a full
/// disk, a runs directory that became unwritable): exit 1, after the result has been printed.
struct IncompleteRun: CLIError, CustomStringConvertible {
    var problems: [String]
    var exitStatus: Int32 { 1 }

    var description: String {
        problems.joined(separator: "\nerror: ") + "\n(the evaluation printed above is complete; only what is named here is missing)"
    }
}

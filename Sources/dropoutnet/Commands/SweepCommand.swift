import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet sweep`: searches settings with trials trained headless, prints the leaderboard
/// (or one JSON object with `--json`); progress goes to stderr. Rerun the same command to resume.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Search settings: train trials proposed by random, grid or TPE search (pruned with ASHA), or a population-based training; rank them.",
        discussion: """
            The sweep file (TOML) names the settings to search, the objective (validation recall@K of a \
            split or a weighted mix), the budget, the searcher and early stopping; see the README's Sweeps \
            section. Every trial is a run of the store, tagged with the sweep. Running the same command \
            again (same file, data and --runs) resumes the sweep: ended and refused trials are kept, an \
            interrupted one is trained again (a population-based sweep's whole population), and the \
            minutes budget counts the time of every run of the sweep.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Sweep file (TOML).") var config: String
    @Option(help: "Runs directory: the run store (runs.sqlite) and each trial's checkpoints (default: ./runs).") var runs: String?
    @Option(help: "Trials trained at a time (overrides the file's parallel); each gets cores / N threads.") var parallel: Int?
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
    }

    func run() throws {
        var definition = try SweepFile.load(URL(fileURLWithPath: config))
        if let parallel { definition.parallel = parallel }
        let data = try dataOptions.prepare(encoderOptions: definition.base.encoderOptions, quiet: quiet)
        let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
        let path = URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path
        let runner = SweepRunner(definition: definition, data: data, store: store, datasetPath: path)
        let progress = SweepProgress(enabled: !quiet, definition: definition)
        runner.observers = [progress]
        if !quiet {
            Console.note("sweep \(runner.id): \(definition.searcher.rawValue) over \(definition.parameters.map(\.key).joined(separator: ", ")); "
                         + "objective \(definition.objective.description)"
                         + (definition.asha.map { "; ASHA from step \($0.minSteps), η = \($0.reductionFactor)" } ?? "")
                         + (definition.searcher == .pbt
                            ? "; population of \(definition.pbt.population), a round every \(definition.pbt.interval) validations" : ""))
        }
        let start = Date()
        let snapshot = try runner.run()
        let report = SweepReport(snapshot, definition: definition, seconds: Date().timeIntervalSince(start))
        if json {
            print(try JSONOutput.text(report))
        } else {
            print(SweepTable.text(report))
        }
    }
}

/// One line on stderr per trial event (two trials at a time interleave whole lines).
final class SweepProgress: SweepObserver, @unchecked Sendable {
    let enabled: Bool
    let definition: SweepDefinition
    private let lock = NSLock()

    init(enabled: Bool, definition: SweepDefinition) { self.enabled = enabled; self.definition = definition }

    func sweep(_ sweep: SweepRunner, didStart trial: SweepTrial) {
        let limit = definition.trialLimit.map { "/\($0)" } ?? ""
        let values = definition.parameters.compactMap { p in trial.values[p.key].map { "\(p.key)=\($0)" } }.joined(separator: " ")
        line("trial \(trial.number)\(limit) started (run \(trial.run?.rawValue ?? "-")): \(values)")
    }

    func sweep(_ sweep: SweepRunner, trial: Int, step: Int, objective: Double?, rung: Int?, continues: Bool) {
        let verdict = rung.map { " at rung \($0 + 1): " + (continues ? "continues" : "pruned") } ?? ""
        line("trial \(trial): step \(step), objective \(SweepTable.number(objective))" + verdict)
    }

    func sweep(_ sweep: SweepRunner, didEnd trial: SweepTrial) {
        var text = "trial \(trial.number) \(trial.status.rawValue): objective \(SweepTable.number(trial.result.objective))"
            + " after \(trial.result.steps) steps, " + ProgressLine.duration(trial.result.seconds)
        if let m = trial.result.message { text += " — \(m)" }
        if let best = sweep.snapshot.best { text += "; best so far: trial \(best.number) (\(SweepTable.number(best.result.objective)))" }
        line(text)
    }

    func sweep(_ sweep: SweepRunner, didLog message: String) { line(message) }

    private func line(_ s: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}

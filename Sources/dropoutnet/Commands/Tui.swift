import ArgumentParser
import DropoutNet
import Foundation
import Workbench

/// `dropoutnet tui`: the interactive workbench (the default command). Training starts at once,
/// unless `--checkpoint` opens a saved model to explore.
struct Tui: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the workbench: train with live knobs, charts and an explorer (the default command).",
        discussion: "Press ? inside for every key. Needs an interactive terminal; use `dropoutnet train` for headless runs.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Settings file (TOML) applied before any --set.") var config: String?
    @Option(name: .customLong("set"), parsing: .singleValue, help: "KEY=VALUE, any setting (repeatable).")
    var assignments: [String] = []
    @Option(help: "WMF factors file from `dropoutnet pretrain wmf` on this data and split, instead of fitting WMF at the start (model=classic, preference=wmf).")
    var wmf: String?
    @Option(help: "Theme name (default, light, solarized-dark, high-contrast, mono or a user theme); without it, the theme `t` last chose (remembered in $XDG_CONFIG_HOME/dropoutnet/config.toml), else default.")
    var theme: String?
    @Option(help: "Runs directory: this session is recorded there and listed on the Runs screen (default: ./runs).") var runs: String?
    @Option(help: "Open this saved model (.dnckpt) for exploring, without training: its data (or --data), split, settings and weights, with its test and few-shot numbers; r then trains a new run from its settings.")
    var checkpoint: String?
    @Option(help: "Open this sweep (TOML, as for `dropoutnet sweep --config`) on the Sweep screen (4), ready with the trials earlier runs recorded: r starts it, Space pauses, s stops, r goes on. Nothing else trains until p promotes a trial. Same file, data and --runs resume it.")
    var sweep: String?
    @Flag(help: "With --sweep: start the sweep at once instead of waiting for r.")
    var start = false

    func validate() throws {
        if start && sweep == nil { throw ValidationError("--start starts a sweep: it needs --sweep FILE") }
    }

    func run() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw UsageError("the workbench needs an interactive terminal; use `dropoutnet train` for headless runs")
        }
        let themes = ThemeCatalog.standard()
        let configFile = WorkbenchConfig.file()
        var remembered: String?
        if theme == nil, let configFile {
            do { remembered = try WorkbenchConfig.read(configFile).theme } catch { Console.note("warning: \(error); using the default theme") }
        }
        let themeName = theme ?? remembered.flatMap { themes.names.contains($0) || themes.path(of: $0) != nil ? $0 : nil } ?? "default"
        guard themes.names.contains(themeName) || themes.path(of: themeName) != nil else {
            throw UsageError("unknown theme '\(themeName)'; known: \(themes.names.joined(separator: ", "))")
        }
        let session: TrainingSession
        let recorder: SessionRecorder?
        let dataPath: String
        var monitor: SweepMonitor?
        if let sweep {
            // The sweep gets the cores: the session waits, idle with the sweep's base settings, until `p`.
            guard checkpoint == nil, assignments.isEmpty, config == nil, wmf == nil else {
                throw UsageError("--sweep trains the settings its file names; --checkpoint, --set, --config and --wmf do not apply")
            }
            let definition = try SweepFile.load(URL(fileURLWithPath: sweep))
            let data = try dataOptions.prepare(encoderOptions: definition.base.encoderOptions, quiet: true)
            session = TrainingSession(data: data, settings: definition.base)
            session.evaluateOnStop = false
            let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
            dataPath = URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path
            monitor = SweepMonitor(runner: SweepRunner(definition: definition, data: data, store: store, datasetPath: dataPath))
            recorder = nil
        } else if let checkpoint {
            // A saved model to explore: nothing trains and nothing is recorded until `r`.
            guard assignments.isEmpty, config == nil, wmf == nil else {
                throw UsageError("--checkpoint opens a model with the settings it was trained with; --set, --config and --wmf do not apply")
            }
            Console.note("loading \(checkpoint) and evaluating it (test splits, baselines, few-shot)…")
            let start = Date()
            let (c, data) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: false)
            let trainer = try ModelCheckpoint.trainer(from: c, data: data, file: checkpoint)
            var result = try TrainingRun.evaluate(checkpointed: trainer, step: c.header.step, started: start)
            result.checkpoint = checkpoint
            session = TrainingSession(data: data, settings: trainer.initialSettings)
            session.evaluateOnStop = false
            session.adopt(trainer, result: result)
            recorder = nil
            dataPath = dataOptions.data ?? c.header.dataset.path
        } else {
            // `--set model=classic` (or `model` in the file) starts from that model's defaults.
            var settings = try SettingsFile.resolve(config: config.map { URL(fileURLWithPath: $0) }, assignments: assignments)
            try settings.validate()
            let data = try dataOptions.prepare(encoderOptions: settings.encoderOptions, quiet: true)
            let rawWMF = try wmf.map { try WMFInput.load($0, data: data, settings: &settings) }
            session = TrainingSession(data: data, settings: settings, rawWMF: rawWMF)
            session.evaluateOnStop = false
            // Losses, live changes, validations and `s` checkpoints go to the run store; `r` starts a new run there.
            let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
            dataPath = URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path
            let r = try SessionRecorder(store: store, data: data, settings: settings, datasetPath: dataPath)
            r.attach(to: session)
            recorder = r
        }
        let terminal = try NCursesTerminal()
        let app = WorkbenchApp(session: session, terminal: terminal, themes: themes, themeName: themeName, runsDirectory: runs ?? RunStore.defaultDirectory)
        app.recorder = recorder
        app.configFile = configFile
        app.dataPath = dataPath
        if let monitor {
            app.sweep = monitor
            app.startsTraining = false
            app.screen = .sweep
            let ended = monitor.runner.snapshot.endedCount
            let recorded = ended == 0 ? "" : ", \(ended) trial\(ended == 1 ? "" : "s") recorded"
            if let error = monitor.error {
                app.note("sweep \(monitor.runner.id) cannot be read: \(error)")
            } else if !start {
                app.note("sweep \(monitor.runner.id) ready\(recorded): r starts it" + (ended > 0 ? ", p promotes the highlighted trial" : ""))
            } else {
                do {
                    try monitor.start()
                    app.note("sweep \(monitor.runner.id) started\(recorded): Space pauses it, s stops it, p then promotes the highlighted trial")
                } catch {
                    app.note("sweep \(monitor.runner.id): its budget is spent\(recorded); p promotes the highlighted trial")
                }
            }
        }
        if let checkpoint { app.note("nothing trains: exploring the weights of step \(session.snapshot.step) of \(checkpoint); r starts a new run from its settings") }
        app.run()                // restores the terminal (endwin) on return, a signal's included
        terminal.restore()
        if let monitor, monitor.isRunning {
            monitor.stop()
            Console.note("sweep \(monitor.runner.id) left with trials running: the same command resumes it (those trials train again)")
        }
        if let recorder = app.recorder {
            do {
                try recorder.close(session)
            } catch {
                Console.note("warning: could not finish recording run \(recorder.current.run): \(error)")
            }
        }
        if let note = app.exitNote { Console.note(note) }
        // Left by SIGINT / SIGTERM / SIGHUP: after the clean-up, the conventional 128 + signal.
        if let signal = terminal.quitSignal { throw SignalExit(signal: signal) }
    }
}

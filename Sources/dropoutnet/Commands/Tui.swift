import ArgumentParser
import DropoutNet
import Foundation
import Workbench

/// `dropoutnet tui`: the interactive workbench (the default command). Training starts at once.
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
    @Option(help: "Theme name (default, light, solarized-dark, high-contrast, mono or a user theme).") var theme: String = "default"
    @Option(help: "Runs directory: this session is recorded there and listed on the Runs screen (default: ./runs).") var runs: String?

    func run() throws {
        // `--set model=classic` (or `model` in the file) starts from that model's defaults.
        var settings = try SettingsFile.resolve(config: config.map { URL(fileURLWithPath: $0) }, assignments: assignments)
        try settings.validate()
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw UsageError("the workbench needs an interactive terminal; use `dropoutnet train` for headless runs")
        }
        let data = try dataOptions.prepare(encoderOptions: settings.encoderOptions, quiet: true)
        let rawWMF = try wmf.map { try WMFInput.load($0, data: data, settings: &settings) }
        let themes = ThemeCatalog.standard()
        guard themes.names.contains(theme) || themes.path(of: theme) != nil else {
            throw UsageError("unknown theme '\(theme)'; known: \(themes.names.joined(separator: ", "))")
        }
        let session = TrainingSession(data: data, settings: settings, rawWMF: rawWMF)
        session.evaluateOnStop = false
        // Losses, live changes, validations and `s` checkpoints go to the run store; `r` starts a new run there.
        let store = try RunStore(directory: URL(fileURLWithPath: runs ?? RunStore.defaultDirectory))
        let recorder = try SessionRecorder(store: store, data: data, settings: settings,
                                           datasetPath: URL(fileURLWithPath: try dataOptions.directory()).standardizedFileURL.path)
        recorder.attach(to: session)
        let terminal = try NCursesTerminal()
        let app = WorkbenchApp(session: session, terminal: terminal, themes: themes, themeName: theme, runsDirectory: runs ?? RunStore.defaultDirectory)
        app.recorder = recorder
        app.run()                // restores the terminal (endwin) on return, a signal's included
        terminal.restore()
        do {
            try recorder.close(session)
        } catch {
            Console.note("warning: could not finish recording run \(recorder.current.run): \(error)")
        }
        if let note = app.exitNote { Console.note(note) }
        // Left by SIGINT / SIGTERM / SIGHUP: after the clean-up, the conventional 128 + signal.
        if let signal = terminal.quitSignal { throw SignalExit(signal: signal) }
    }
}

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
    @Option(help: "Theme name (default, light, solarized-dark, high-contrast, mono or a user theme).") var theme: String = "default"
    @Option(help: "Runs directory shown on the Runs screen.") var runs: String?

    func run() throws {
        try CommandErrors.run {
            var settings = Settings()
            if let config { settings = try SettingsFile.load(URL(fileURLWithPath: config), into: settings) }
            for a in assignments { try settings.apply(assignment: a) }
            try settings.validate()
            guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
                throw UsageError("the workbench needs an interactive terminal; use `dropoutnet train` for headless runs")
            }
            let data = try dataOptions.prepare(quiet: true)
            let themes = ThemeCatalog.standard()
            guard themes.names.contains(theme) || themes.path(of: theme) != nil else {
                throw UsageError("unknown theme '\(theme)'; known: \(themes.names.joined(separator: ", "))")
            }
            let session = TrainingSession(data: data, settings: settings)
            session.evaluateOnStop = false
            let terminal = try NCursesTerminal()
            let app = WorkbenchApp(session: session, terminal: terminal, themes: themes, themeName: theme, runsDirectory: runs)
            app.run()                // restores the terminal on return
            terminal.restore()
            session.stop()
            _ = session.wait(timeout: 5)
        }
    }
}

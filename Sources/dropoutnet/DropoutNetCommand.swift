import ArgumentParser
import DropoutNet
import Foundation

@main
struct DropoutNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropoutnet",
        abstract: "A workbench for cold-start recommendation with DropoutNet.",
        discussion: "Run without a subcommand to open the workbench (TUI) on the bundled sample-data.",
        version: DropoutNetVersion.string,
        subcommands: [Tui.self, Train.self, Eval.self, Recommend.self, Pretrain.self, DataCommand.self,
                      Export.self, Runs.self, SweepCommand.self, SettingsCommand.self, Bench.self],
        defaultSubcommand: Tui.self)

    /// The one place the program ends (DESIGN §10). A usage error found while parsing (unknown
    /// option, bad value, a failed `validate()`) exits 2, not ArgumentParser's 64; `--help` and
    /// `--version` exit 0. A command's error exits with its `CLIError` status (1 for any other
    /// error) once `run()` has returned through every `defer`.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParser(error)
        }
        do {
            try command.run()
        } catch let e as CLIError {
            if let message = e.message { Console.error(message) }
            Foundation.exit(e.exitStatus)
        } catch where isArgumentParserError(error) {
            exitForParser(error)
        } catch {
            Console.error(String(describing: error))
            Foundation.exit(1)
        }
    }

    /// Errors of ArgumentParser's making, also when `run()` throws them: `--help` comes back from
    /// `parseAsRoot` as a help command whose `run()` throws ArgumentParser's (internal) request.
    private static func isArgumentParserError(_ error: Error) -> Bool {
        error is ValidationError || error is CleanExit || error is ExitCode
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// ArgumentParser's own errors, printed its way; a validation failure exits 2.
    private static func exitForParser(_ error: Error) -> Never {
        if exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        exit(withError: error)
    }
}

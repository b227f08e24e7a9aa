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
                      Export.self, Runs.self, SettingsCommand.self, Bench.self],
        defaultSubcommand: Tui.self)

    /// ArgumentParser's own entry point, except that a usage error (unknown option, bad value,
    /// a failed `validate()`) exits 2 as DESIGN §10 promises scripts, not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

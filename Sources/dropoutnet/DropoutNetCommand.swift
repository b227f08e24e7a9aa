import ArgumentParser
import DropoutNet

@main
struct DropoutNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropoutnet",
        abstract: "A workbench for cold-start recommendation with DropoutNet.",
        discussion: "Run without a subcommand to open the workbench (TUI) on the bundled sample-data.",
        version: DropoutNetVersion.string,
        subcommands: [Tui.self, Train.self, Eval.self, Recommend.self, Pretrain.self, DataCommand.self,
                      Export.self, Runs.self, Bench.self],
        defaultSubcommand: Tui.self)
}

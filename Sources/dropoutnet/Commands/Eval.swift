import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet eval --checkpoint F`: the test splits and baselines of a saved model, on the
/// dataset and the exact split it was trained with — the numbers its run reported.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint on its warm, cold-user and cold-item test splits (and the baselines).",
        discussion: """
            The dataset is the one recorded in the checkpoint unless --data is given (it must be the \
            same data: its fingerprint is checked). The split is the one stored in the checkpoint; the \
            split options are ignored. The content_only baseline is a model of its own that `train` \
            trains after the run; the checkpoint does not hold it, so eval does not report it.
            """)

    @Option(help: "Checkpoint file (.dnckpt).") var checkpoint: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print one JSON object on stdout (the shape of `train --json`).") var json = false
    @Flag(help: "No notes on stderr.") var quiet = false

    func run() throws {
        let start = Date()
        let (c, data) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: quiet || json)
        let trainer = try ModelCheckpoint.trainer(from: c, data: data, file: checkpoint)
        var result = try TrainingRun.evaluate(checkpointed: trainer, step: c.header.step, started: start)
        result.checkpoint = checkpoint
        if json {
            print(try JSONOutput.text(RunReport(result, run: c.header.run?.rawValue, data: data, settings: trainer.initialSettings)))
        } else {
            print("checkpoint \(checkpoint) (run \(c.header.run?.rawValue ?? "–"), step \(c.header.step))")
            print(ResultTable.text(result))
        }
    }
}

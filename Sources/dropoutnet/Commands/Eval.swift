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
    @Option(help: ArgumentHelp("Also score another system's embeddings (user_embeddings.csv, item_embeddings.csv: 'id,v1,v2,…' lines) on the same splits, beside the checkpoint's model.", valueName: "DIR"))
    var embeddings: String?

    func run() throws {
        let start = Date()
        let (c, data) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: quiet || json)
        let trainer = try ModelCheckpoint.trainer(from: c, data: data, file: checkpoint)
        var result = try TrainingRun.evaluate(checkpointed: trainer, step: c.header.step, started: start)
        result.checkpoint = checkpoint
        if let embeddings {
            let external = try ExternalEmbeddings.read(directory: URL(fileURLWithPath: embeddings), data: data)
            let report = external.evaluate(data, ks: trainer.initialSettings.k + [Trainer.selectionK])
            let comparison = EmbeddingsComparison(workbench: result.test?.report ?? EvaluationReport(), external: report, directory: embeddings, dimension: external.dimension)
            if json { print(try JSONOutput.text(comparison)) } else { print(comparison.table(checkpoint: checkpoint)) }
            return
        }
        if json {
            print(try JSONOutput.text(RunReport(result, run: c.header.run?.rawValue, data: data, settings: trainer.initialSettings)))
        } else {
            print("checkpoint \(checkpoint) (run \(c.header.run?.rawValue ?? "–"), step \(c.header.step))")
            print(ResultTable.text(result))
        }
    }
}

/// `eval --embeddings`: the checkpoint's test metrics and another system's on the same splits.
struct EmbeddingsComparison: Encodable {
    var workbench: [String: MetricValues?]
    var embeddings: [String: MetricValues?]
    var directory: String
    var dimension: Int

    init(workbench: EvaluationReport, external: EvaluationReport, directory: String, dimension: Int) {
        self.workbench = MetricValues.testSplits(of: workbench)
        self.embeddings = MetricValues.testSplits(of: external)
        self.directory = directory
        self.dimension = dimension
    }

    func table(checkpoint: String) -> String {
        var lines = ["the workbench model (\(checkpoint)) and the embeddings in \(directory) (width \(dimension)), same splits, candidates and masking"]
        lines.append("split        users   recall@20 workbench  embeddings  ratio   ndcg@20 workbench  embeddings")
        for split in EvaluationSplit.test.map(\.rawValue) {
            guard let w = workbench[split] ?? nil, let e = embeddings[split] ?? nil else {
                lines.append(split.padding(toLength: 12, withPad: " ", startingAt: 0) + " (no users)")
                continue
            }
            func v(_ m: MetricValues, _ key: String) -> Double? { m.values[key] ?? nil }
            func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "–" }
            let ratio = v(w, "recall@20").flatMap { a in v(e, "recall@20").map { a > 0 ? $0 / a : .nan } }
            lines.append(split.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + String(format: "%6d", w.users)
                         + "   " + f(v(w, "recall@20")).leftPadded(17) + "  " + f(v(e, "recall@20")).leftPadded(10)
                         + "  " + (ratio.map { String(format: "%.2f×", $0) } ?? "–").leftPadded(5)
                         + "   " + f(v(w, "ndcg@20")).leftPadded(15) + "  " + f(v(e, "ndcg@20")).leftPadded(10))
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

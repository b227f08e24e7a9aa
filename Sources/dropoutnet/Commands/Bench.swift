import ArgumentParser

/// `dropoutnet bench …`: benchmarks that print figures (never timed unit tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure GEMM, training, WMF, evaluation and loading speed, and what batches hold.",
        subcommands: [BenchGEMM.self, BenchTrain.self, BenchWMF.self, BenchEval.self, BenchLoad.self, BenchBatches.self, BenchStep.self])
}

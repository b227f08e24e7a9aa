import ArgumentParser

/// `dropoutnet bench …`: benchmarks that print figures (never timed unit tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure GEMM, training, WMF, loss, evaluation, loading and frame speed, and what batches hold.",
        subcommands: [BenchGEMM.self, BenchTrain.self, BenchWMF.self, BenchLoss.self, BenchEval.self, BenchLoad.self,
                      BenchFrame.self, BenchBatches.self, BenchStep.self, BenchScale.self])
}

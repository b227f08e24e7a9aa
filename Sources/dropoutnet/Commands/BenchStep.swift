import ArgumentParser
import Foundation
import NeuralNet
import Numerics

/// Hidden: N training-shaped steps of a plain MLP (300→256→128, BatchNorm + ReLU, batch 512,
/// MSE gradient, Adam), for timing and for allocation counting under valgrind: the heap
/// allocation total must not grow with `--steps` (one warm-up step allocates optimizer state).
struct BenchStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Time training-shaped MLP steps (used to check that a step allocates nothing).",
        shouldDisplay: false)

    @Option(help: "Training steps after the warm-up step.") var steps = 100
    @Option(help: "Batch size.") var batch = 512
    @Option(help: "Threads (default: all cores).") var threads: Int?

    func run() throws {
        guard steps >= 0, batch > 0 else { throw ValidationError("--steps must be ≥ 0 and --batch > 0") }
        if let threads { Parallel.threadCount = max(1, threads) }
        var rng = SplitMix64(seed: 42)
        let mlp = MLP(inputSize: 300, widths: [256, 128], activation: .relu, batchNorm: true,
                      maxBatch: batch, rng: &rng)
        mlp.computesInputGradient = false
        let parameters = mlp.parameters
        let optimizer = Adam(learningRate: 1e-3)
        let input = Matrix(rows: batch, cols: 300), target = Matrix(rows: batch, cols: 128)
        for i in 0..<input.count { input.data[i] = rng.nextGaussian() }
        for i in 0..<target.count { target.data[i] = rng.nextGaussian() }
        let gradient = Matrix(rows: batch, cols: 128)

        var firstLoss = trainStep(mlp, parameters, optimizer, input, target, gradient)
        var lastLoss = firstLoss
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { lastLoss = trainStep(mlp, parameters, optimizer, input, target, gradient) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if steps == 0 { firstLoss = lastLoss }
        print("bench step: MLP 300→256→128 (BN+ReLU), batch \(batch), Adam, \(Parallel.threadCount) threads, \(GEMM.backend.name) GEMM")
        print(String(format: "  %d steps in %.3f s: %.2f ms/step; loss %.4f → %.4f",
                     steps, seconds, steps > 0 ? seconds * 1000 / Double(steps) : 0, firstLoss, lastLoss))
    }
}

/// One forward/backward/update on preallocated buffers; returns the mean squared error.
private func trainStep(_ mlp: MLP, _ parameters: [Parameter], _ optimizer: Optimizer,
                       _ input: Matrix, _ target: Matrix, _ gradient: Matrix) -> Double {
    let y = mlp.forward(input, training: true)
    var loss: Double = 0
    let scale = 2 / Float(y.count)
    for i in 0..<y.count {
        let d = y.data[i] - target.data[i]
        loss += Double(d * d)
        gradient.data[i] = scale * d
    }
    _ = mlp.backward(gradient)
    optimizer.step(parameters)
    for p in parameters { p.zeroGrad() }
    return loss / Double(y.count)
}

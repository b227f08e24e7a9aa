import NeuralNet
import Numerics
import XCTest

final class DeterminismTests: XCTestCase {
    /// A few training steps of a dropout MLP with Adam; returns the final weights and outputs.
    private func train(seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        let mlp = MLP(inputSize: 20, widths: [16, 8], activation: .relu, batchNorm: true, lastLinear: true,
                      dropoutRate: 0.2, maxBatch: 32, rng: &rng)
        let parameters = mlp.parameters
        let adam = Adam(learningRate: 0.01)
        let x = randomMatrix(rows: 32, cols: 20, rng: &rng)
        let grad = Matrix(rows: 32, cols: 8)
        for _ in 0..<5 {
            let y = mlp.forward(x, training: true)
            for i in 0..<y.count { grad.data[i] = y.data[i] - 1 }
            _ = mlp.backward(grad)
            adam.step(parameters)
            for p in parameters { p.zeroGrad() }
        }
        return parameters.flatMap { $0.value.toArray() } + mlp.forward(x, training: false).toArray()
    }

    func testSameSeedOneThreadGivesIdenticalResults() {
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = saved }
        let a = train(seed: 11), b = train(seed: 11), c = train(seed: 12)
        XCTAssertEqual(a, b, "bit-for-bit equal")
        XCTAssertNotEqual(a, c)
    }
}

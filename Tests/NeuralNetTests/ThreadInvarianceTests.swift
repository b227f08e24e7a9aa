import NeuralNet
import Numerics
import XCTest

/// The layers and optimizers split their loops across threads above a size threshold; every
/// split is row-, column- or element-local, so results must not change by a single bit with
/// the thread count. Shapes here are large enough (1024 × 256) that the loops do split.
final class ThreadInvarianceTests: XCTestCase {
    /// Runs `body` with `Parallel.threadCount` set to `threads`.
    private func with<T>(threads: Int, _ body: () -> T) -> T {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        return body()
    }

    /// Forward (training and evaluation) and backward of a parameter-free or BN layer, plus the
    /// parameter gradients, as one flat array.
    private func pass(_ make: () -> Layer, rows: Int, cols: Int) -> [Float] {
        var rng = SplitMix64(seed: 3)
        let layer = make()
        let x = randomMatrix(rows: rows, cols: cols, scale: 2, rng: &rng)
        let g = randomMatrix(rows: rows, cols: cols, rng: &rng)
        var out = layer.forward(x, training: true).toArray()
        out += layer.backward(g).toArray()
        out += layer.forward(x, training: false).toArray()
        out += layer.backward(g).toArray()
        for p in layer.parameters { out += p.value.toArray() + p.grad.toArray() }
        return out
    }

    func testLayersGiveIdenticalBitsOnOneAndSeveralThreads() {
        let rows = 1024, cols = 256
        let layers: [(String, () -> Layer)] = [
            ("BatchNorm", { BatchNorm(features: cols, maxBatch: rows) }),
            ("ReLU", { ReLU(features: cols, maxBatch: rows) }),
            ("Tanh", { Tanh(features: cols, maxBatch: rows) }),
            ("L2Normalize", { L2Normalize(features: cols, maxBatch: rows) }),
        ]
        for (name, make) in layers {
            let one = with(threads: 1) { pass(make, rows: rows, cols: cols) }
            for threads in [2, 3] {
                let many = with(threads: threads) { pass(make, rows: rows, cols: cols) }
                XCTAssertTrue(one.elementsEqual(many) { $0.bitPattern == $1.bitPattern }, "\(name), \(threads) threads")
            }
        }
    }

    func testDenseBiasForwardAndGradientAreThreadInvariant() {
        // The bias broadcast and column sums split; the GEMM is the built-in one, which is
        // thread-invariant by construction.
        func run(threads: Int) -> [Float] {
            with(threads: threads) {
                var rng = SplitMix64(seed: 4)
                let dense = Dense(inputSize: 64, outputSize: 192, maxBatch: 1024, rng: &rng)
                for i in 0..<dense.bias!.value.count { dense.bias!.value.data[i] = rng.nextFloat() }
                let x = randomMatrix(rows: 1024, cols: 64, rng: &rng)
                let g = randomMatrix(rows: 1024, cols: 192, rng: &rng)
                let saved = GEMM.backend
                GEMM.backend = BuiltinGEMM()
                defer { GEMM.backend = saved }
                let y = dense.forward(x, training: true).toArray()
                _ = dense.backward(g)
                return y + dense.bias!.grad.toArray()
            }
        }
        let one = run(threads: 1)
        XCTAssertTrue(one.elementsEqual(run(threads: 3)) { $0.bitPattern == $1.bitPattern })
    }

    func testOptimizersGiveIdenticalBitsOnOneAndSeveralThreads() {
        // Odd sizes so chunk boundaries and eight-lane tails fall in awkward places.
        func run(_ make: () -> Optimizer, threads: Int) -> [Float] {
            with(threads: threads) {
                var rng = SplitMix64(seed: 5)
                let shapes: [(Int, Int, Parameter.Role)] = [(301, 257, .kernel), (1, 257, .bias), (1, 13, .scale), (199, 129, .kernel)]
                let params = shapes.enumerated().map { i, s in
                    let p = Parameter(name: "p\(i)", rows: s.0, cols: s.1, role: s.2)
                    for j in 0..<p.value.count { p.value.data[j] = rng.nextFloat() - 0.5 }
                    return p
                }
                let optimizer = make()
                for _ in 0..<3 {
                    for p in params { for j in 0..<p.grad.count { p.grad.data[j] = rng.nextFloat() - 0.5 } }
                    optimizer.step(params)
                }
                return params.flatMap { $0.value.toArray() }
            }
        }
        let makers: [(String, () -> Optimizer)] = [
            ("adam", { Adam(learningRate: 0.01, weightDecay: 0.1) }),
            ("adamw", { Adam(learningRate: 0.01, weightDecay: 0.1, decoupled: true) }),
            ("sgd", { SGD(learningRate: 0.1, weightDecay: 0.01) }),
            ("sgd momentum", { SGD(learningRate: 0.1, momentum: 0.9, nesterov: true) }),
        ]
        for (name, make) in makers {
            let one = run(make, threads: 1)
            for threads in [2, 3] {
                XCTAssertTrue(one.elementsEqual(run(make, threads: threads)) { $0.bitPattern == $1.bitPattern },
                              "\(name), \(threads) threads")
            }
        }
    }
}

import NeuralNet
import Numerics
import XCTest

/// Every layer's backward pass against central finite differences.
final class LayerGradientTests: XCTestCase {
    func testDense() {
        var rng = SplitMix64(seed: 1)
        let dense = Dense(inputSize: 7, outputSize: 5, maxBatch: 16, rng: &rng)
        assertGradientsCorrect(dense, input: randomMatrix(rows: 6, cols: 7, rng: &rng), training: true,
                               expecting: ["input", "dense.kernel", "dense.bias"])
        let noBias = Dense(name: "nb", inputSize: 3, outputSize: 4, maxBatch: 4, bias: false, rng: &rng)
        assertGradientsCorrect(noBias, input: randomMatrix(rows: 4, cols: 3, rng: &rng), training: false,
                               expecting: ["input", "nb.kernel"])
    }

    func testReLUAwayFromTheKink() {
        var rng = SplitMix64(seed: 2)
        let x = randomMatrix(rows: 5, cols: 6, rng: &rng)
        for i in 0..<x.count where abs(x.data[i]) < 0.1 { x.data[i] += x.data[i] < 0 ? -0.1 : 0.1 }
        assertGradientsCorrect(ReLU(features: 6, maxBatch: 8), input: x, training: true, expecting: ["input"])
    }

    func testTanh() {
        var rng = SplitMix64(seed: 3)
        assertGradientsCorrect(Tanh(features: 6, maxBatch: 8), input: randomMatrix(rows: 5, cols: 6, scale: 2, rng: &rng),
                               training: true, expecting: ["input"])
    }

    func testBatchNormTrainingMode() {
        var rng = SplitMix64(seed: 4)
        let bn = BatchNorm(name: "bn", features: 5, maxBatch: 16)
        // Non-trivial γ and β so a term that drops them shows.
        for j in 0..<5 { bn.gamma.value.data[j] = 0.5 + rng.nextFloat(); bn.beta.value.data[j] = rng.nextFloat() - 0.5 }
        let x = randomMatrix(rows: 8, cols: 5, scale: 2, rng: &rng)
        for r in 0..<8 { x.row(r)[0] += 3 }  // a feature with a large mean
        assertGradientsCorrect(bn, input: x, training: true, expecting: ["input", "bn.gamma", "bn.beta"])
    }

    func testBatchNormEvalMode() {
        var rng = SplitMix64(seed: 5)
        let bn = BatchNorm(name: "bn", features: 4, maxBatch: 16, momentum: 0.5)
        for j in 0..<4 { bn.gamma.value.data[j] = 0.5 + rng.nextFloat() }
        for _ in 0..<3 { _ = bn.forward(randomMatrix(rows: 16, cols: 4, scale: 3, rng: &rng), training: true) }
        let before = bn.runningMean.value.copy()
        assertGradientsCorrect(bn, input: randomMatrix(rows: 6, cols: 4, rng: &rng), training: false,
                               expecting: ["input", "bn.gamma", "bn.beta"])
        assertEqual(bn.runningMean.value, before, accuracy: 0)
    }

    func testL2Normalize() {
        var rng = SplitMix64(seed: 6)
        assertGradientsCorrect(L2Normalize(features: 6, maxBatch: 8), input: randomMatrix(rows: 5, cols: 6, rng: &rng),
                               training: true, expecting: ["input"])
    }

    func testDropoutWithAReplayedMask() {
        var rng = SplitMix64(seed: 7)
        let dropout = Dropout(features: 6, maxBatch: 8, rate: 0.4, seed: 99)
        assertGradientsCorrect(dropout, input: randomMatrix(rows: 5, cols: 6, rng: &rng), training: true,
                               expecting: ["input"], prepare: { dropout.rng = SplitMix64(seed: 99) })
    }

    func testEmbeddingTableGradient() {
        var rng = SplitMix64(seed: 8)
        let embedding = Embedding(name: "emb", count: 9, dim: 4, maxBatch: 8, rng: &rng)
        let ids = Matrix([[2], [5], [2], [0], [8]])
        assertGradientsCorrect(embedding, input: ids, training: true, expecting: ["emb.table"])
    }

    func testSparseDense() {
        var rng = SplitMix64(seed: 9)
        let features = SparseMatrix(rows: 5, cols: 7, entries: [
            [(0, 1), (3, 0.5)], [], [(6, 2), (1, -1), (2, 0.25)], [(3, 1)], [(0, 0.3), (6, 0.7)],
        ])
        let layer = SparseDense(name: "sd", inputSize: 7, outputSize: 3, maxBatch: 4, rng: &rng)
        let rows: [Int32] = [4, 2, 2, 1]
        let projection = randomMatrix(rows: 4, cols: 3, rng: &rng)
        func loss() -> Double {
            rows.withUnsafeBufferPointer { r in
                let y = layer.forward(features: features, rows: r)
                return (0..<y.count).reduce(0.0) { $0 + Double(y.data[$1] * projection.data[$1]) }
            }
        }
        // Forward agrees with the dense product of the gathered rows.
        let y = rows.withUnsafeBufferPointer { layer.forward(features: features, rows: $0) }.copy()
        let dense = features.toDense()
        let gathered = Matrix(rows: 4, cols: 7)
        for (i, r) in rows.enumerated() { gathered.row(i).update(from: dense.row(Int(r)), count: 7) }
        let expected = Matrix.product(gathered, layer.kernel.value)
        for r in 0..<4 { for j in 0..<3 { expected[r, j] += layer.bias!.value[0, j] } }
        assertEqual(y, expected, accuracy: 1e-5)

        layer.backward(projection)
        XCTAssertLessThan(GradientCheck.compare(layer.kernel, loss: loss).maxRelativeError, gradientTolerance)
        XCTAssertLessThan(GradientCheck.compare(layer.bias!, loss: loss).maxRelativeError, gradientTolerance)
        // Feature 5 appears in no batch row: its kernel row gets no gradient.
        XCTAssertEqual(layer.kernel.grad.rowArray(5), [0, 0, 0])
        // The kernel is updated sparsely: exactly the features of the batch rows are recorded.
        XCTAssertEqual(layer.kernel.touchedRows, [0, 6, 1, 2])
        let untouched = layer.kernel.value.rowArray(3)
        Adam(learningRate: 0.1).step(layer.parameters)
        XCTAssertEqual(layer.kernel.value.rowArray(3), untouched)
        layer.kernel.zeroGrad()
        XCTAssertEqual(layer.kernel.grad.toArray(), Array(repeating: 0, count: 21))
    }

    func testMLPEndToEnd() {
        var rng = SplitMix64(seed: 10)
        let relu = MLP(name: "m", inputSize: 6, widths: [5, 4, 3], activation: .relu, batchNorm: true, lastLinear: true,
                       maxBatch: 8, rng: &rng)
        assertGradientsCorrect(relu, input: randomMatrix(rows: 8, cols: 6, rng: &rng), training: true,
                               expecting: Set(["input"] + relu.trainableParameters.map(\.name)),
                               epsilon: 3e-3)  // small enough that no ReLU input crosses 0
        let tanh = MLP(name: "t", inputSize: 4, widths: [6, 2], activation: .tanh, batchNorm: false, lastLinear: false,
                       maxBatch: 8, rng: &rng)
        assertGradientsCorrect(tanh, input: randomMatrix(rows: 5, cols: 4, rng: &rng), training: false,
                               expecting: Set(["input"] + tanh.trainableParameters.map(\.name)))
    }
}

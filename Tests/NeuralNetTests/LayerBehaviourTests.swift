import NeuralNet
import Numerics
import XCTest

final class LayerBehaviourTests: XCTestCase {
    func testDenseForwardIsXWPlusB() {
        var rng = SplitMix64(seed: 1)
        let dense = Dense(inputSize: 2, outputSize: 2, maxBatch: 4, rng: &rng)
        dense.kernel.value.copy(from: Matrix([[1, 2], [3, 4]]))
        dense.bias!.value.copy(from: Matrix([[0.5, -1]]))
        let y = dense.forward(Matrix([[1, 1], [2, 0]]), training: true)
        XCTAssertEqual(y.toArray(), [4.5, 5, 2.5, 3])
    }

    func testBatchNormTrainingStandardisesAndUpdatesRunningStatistics() {
        let bn = BatchNorm(features: 2, maxBatch: 4, momentum: 0.9, epsilon: 1e-3)
        let x = Matrix([[1, 10], [3, 10], [5, 10], [7, 10]])  // feature 0: mean 4, var 5; feature 1 constant
        let y = bn.forward(x, training: true)
        let s = (5 + Float(1e-3)).squareRoot()
        assertClose(y.toArray(), [-3 / s, 0, -1 / s, 0, 1 / s, 0, 3 / s, 0], accuracy: 1e-5)
        assertClose(bn.runningMean.value.toArray(), [0.4, 1.0], accuracy: 1e-6)
        assertClose(bn.runningVariance.value.toArray(), [0.9 + 0.5, 0.9], accuracy: 1e-6)
        XCTAssertFalse(bn.runningMean.trainable)
    }

    func testBatchNormEvalUsesRunningStatistics() {
        let bn = BatchNorm(features: 2, maxBatch: 4, epsilon: 1e-3)
        bn.runningMean.value.copy(from: Matrix([[1, -2]]))
        bn.runningVariance.value.copy(from: Matrix([[4, 0.25]]))
        bn.gamma.value.copy(from: Matrix([[2, 1]]))
        bn.beta.value.copy(from: Matrix([[0, 1]]))
        let y = bn.forward(Matrix([[3, -1]]), training: false)
        assertClose(y.toArray(), [2 * 2 / (4.001 as Float).squareRoot(), 1 + 1 / (0.251 as Float).squareRoot()], accuracy: 1e-5)
        XCTAssertEqual(bn.runningMean.value.toArray(), [1, -2], "eval leaves statistics alone")
    }

    func testL2NormalizeGivesUnitRowsAndSurvivesZeroRows() {
        let l2 = L2Normalize(features: 3, maxBatch: 2)
        let y = l2.forward(Matrix([[3, 0, 4], [0, 0, 0]]), training: true)
        assertClose(y.toArray(), [0.6, 0, 0.8, 0, 0, 0], accuracy: 1e-6)
        let g = l2.backward(Matrix([[1, 1, 1], [1, 2, 3]]))
        XCTAssertTrue(g.toArray().allSatisfy(\.isFinite))
        // Gradient of a unit vector is orthogonal to it.
        XCTAssertEqual(g[0, 0] * 0.6 + g[0, 2] * 0.8, 0, accuracy: 1e-6)
    }

    func testDropoutRateScalingAndEvalIdentity() {
        let dropout = Dropout(features: 100, maxBatch: 100, rate: 0.3, seed: 5)
        let x = Matrix(rows: 100, cols: 100)
        x.fill(1)
        let y = dropout.forward(x, training: true)
        let kept = y.toArray().filter { $0 != 0 }
        XCTAssertEqual(Double(kept.count) / 10_000, 0.7, accuracy: 0.02)
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        XCTAssertEqual(dropout.forward(x, training: false).toArray(), x.toArray())
    }

    func testEmbeddingRecordsEachTouchedRowOnceAndZeroGradClearsThem() {
        var rng = SplitMix64(seed: 2)
        let emb = Embedding(count: 10, dim: 3, maxBatch: 8, rng: &rng)
        let ids: [Int32] = [4, 1, 4, 7]
        let y = ids.withUnsafeBufferPointer { emb.forward(ids: $0) }
        XCTAssertEqual(y.rowArray(2), emb.table.value.rowArray(4))
        _ = emb.backward(Matrix(rows: 4, cols: 3, values: Array(repeating: 1, count: 12)))
        XCTAssertEqual(emb.table.touchedRows, [4, 1, 7])
        XCTAssertEqual(emb.table.grad.rowArray(4), [2, 2, 2])
        emb.table.zeroGrad()
        XCTAssertEqual(emb.table.touchedRows, [])
        XCTAssertEqual(emb.table.grad.toArray(), Array(repeating: 0, count: 30))
        // After zeroGrad a row used before is recorded again.
        _ = [Int32(4)].withUnsafeBufferPointer { emb.forward(ids: $0) }
        _ = emb.backward(Matrix([[1, 1, 1]]))
        XCTAssertEqual(emb.table.touchedRows, [4])
    }

    func testMLPStructureAndIdentity() {
        var rng = SplitMix64(seed: 3)
        let mlp = MLP(inputSize: 300, widths: [256, 128], activation: .relu, batchNorm: true, lastLinear: true,
                      maxBatch: 4, rng: &rng)
        XCTAssertEqual(mlp.layers.map { String(describing: type(of: $0)) }, ["Dense", "BatchNorm", "ReLU", "Dense"])
        XCTAssertEqual((mlp.layers[0] as! Dense).bias == nil, true, "BN follows: no bias")
        XCTAssertNotNil((mlp.layers[3] as! Dense).bias)
        XCTAssertEqual(mlp.outputSize, 128)

        let identity = MLP(inputSize: 5, widths: [], maxBatch: 4, rng: &rng)
        let x = randomMatrix(rows: 3, cols: 5, rng: &rng)
        XCTAssertEqual(identity.outputSize, 5)
        XCTAssertEqual(identity.forward(x, training: true).toArray(), x.toArray())
        XCTAssertEqual(identity.backward(x).toArray(), x.toArray())
        XCTAssertTrue(identity.parameters.isEmpty)
    }

    func testWeightInitialisers() {
        var rng = SplitMix64(seed: 4)
        let m = Matrix(rows: 200, cols: 100)
        WeightInit.glorotUniform.fill(m, fanIn: 200, fanOut: 100, rng: &rng)
        let limit = (6 / Float(300)).squareRoot()
        XCTAssertTrue(m.toArray().allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(m.toArray().map(abs).max()!, 0.95 * limit)
        WeightInit.truncatedNormal(stddev: 0.1).fill(m, fanIn: 200, fanOut: 100, rng: &rng)
        let v = m.toArray()
        XCTAssertTrue(v.allSatisfy { abs($0) <= 0.2 })
        let std = (v.reduce(0) { $0 + $1 * $1 } / Float(v.count)).squareRoot()
        XCTAssertEqual(std, 0.088, accuracy: 0.005, "σ of a normal truncated at 2σ is 0.88σ")
    }
}

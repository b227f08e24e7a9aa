import NeuralNet
import Numerics
import XCTest

final class OptimizerTests: XCTestCase {
    /// Minimises ½‖w − t‖² from w = 0; returns the final distance to t.
    private func minimiseQuadratic(_ optimizer: Optimizer, steps: Int) -> Float {
        let w = Parameter(name: "w", rows: 2, cols: 3, role: .kernel)
        let t: [Float] = [1, -2, 3, 0.5, -0.5, 2]
        for _ in 0..<steps {
            w.zeroGrad()
            for i in 0..<6 { w.grad.data[i] = w.value.data[i] - t[i] }
            optimizer.step([w])
        }
        return zip(w.value.toArray(), t).map { abs($0 - $1) }.max()!
    }

    func testOptimizersReduceAQuadratic() {
        XCTAssertLessThan(minimiseQuadratic(SGD(learningRate: 0.1), steps: 200), 1e-4)
        XCTAssertLessThan(minimiseQuadratic(SGD(learningRate: 0.05, momentum: 0.9), steps: 300), 1e-3)
        XCTAssertLessThan(minimiseQuadratic(SGD(learningRate: 0.05, momentum: 0.9, nesterov: true), steps: 300), 1e-3)
        XCTAssertLessThan(minimiseQuadratic(Adam(learningRate: 0.05), steps: 600), 1e-2)
    }

    func testAdamFitsATinyRegression() {
        var rng = SplitMix64(seed: 1)
        let dense = Dense(inputSize: 3, outputSize: 2, maxBatch: 32, rng: &rng)
        let trueW = Matrix([[1, -1], [0.5, 2], [-1.5, 0]])
        let x = randomMatrix(rows: 32, cols: 3, rng: &rng)
        let target = Matrix.product(x, trueW)
        for r in 0..<32 { target.row(r)[0] += 0.3; target.row(r)[1] -= 0.7 }
        let optimizer = Adam(learningRate: 0.05)
        let grad = Matrix(rows: 32, cols: 2)
        var loss: Float = 0
        for _ in 0..<400 {
            for p in dense.parameters { p.zeroGrad() }
            let y = dense.forward(x, training: true)
            loss = 0
            for i in 0..<y.count { let d = y.data[i] - target.data[i]; loss += d * d / 64; grad.data[i] = d / 32 }
            _ = dense.backward(grad)
            optimizer.step(dense.parameters)
        }
        XCTAssertLessThan(loss, 1e-4)
        assertEqual(dense.kernel.value, trueW, accuracy: 0.02)
        assertClose(dense.bias!.value.toArray(), [0.3, -0.7], accuracy: 0.02)
    }

    func testAdamLazyPathUpdatesOnlyTouchedRows() {
        var rng = SplitMix64(seed: 2)
        let emb = Embedding(count: 6, dim: 2, maxBatch: 4, rng: &rng)
        let before = emb.table.value.copy()
        let adam = Adam(learningRate: 0.1)
        _ = [Int32(1), 3, 3].withUnsafeBufferPointer { emb.forward(ids: $0) }
        _ = emb.backward(Matrix([[1, -1], [1, 1], [1, 1]]))
        adam.step(emb.parameters)
        for r in 0..<6 {
            let changed = emb.table.value.rowArray(r) != before.rowArray(r)
            XCTAssertEqual(changed, r == 1 || r == 3, "row \(r)")
        }
        let m = adam.stateTensors(for: emb.table)![0]
        XCTAssertEqual(m.rowArray(0), [0, 0])
        assertClose(m.rowArray(3), [0.2, 0.2], accuracy: 1e-6)  // (1 − β₁)·(1 + 1)
        // A second step with no touched rows moves nothing (no stale momentum).
        emb.table.zeroGrad()
        let after = emb.table.value.copy()
        adam.step(emb.parameters)
        XCTAssertEqual(emb.table.value.toArray(), after.toArray())
    }

    func testOptimizersSkipStatistics() {
        let bn = BatchNorm(features: 3, maxBatch: 4)
        _ = bn.forward(Matrix([[1, 2, 3], [4, 5, 6]]), training: true)
        _ = bn.backward(Matrix([[1, 0, 1], [0, 1, 0]]))
        let mean = bn.runningMean.value.copy()
        let adam = Adam()
        adam.step(bn.parameters)
        XCTAssertEqual(bn.runningMean.value.toArray(), mean.toArray())
        XCTAssertNil(adam.stateTensors(for: bn.runningMean))
        XCTAssertNotNil(adam.stateTensors(for: bn.gamma))
    }

    func testDecoupledWeightDecayShrinksWeights() {
        let w = Parameter(name: "w", rows: 1, cols: 2, role: .kernel)
        let b = Parameter(name: "b", rows: 1, cols: 2, role: .bias)
        w.value.fill(2); b.value.fill(2)
        let adamw = Adam(learningRate: 0.1, weightDecay: 0.5, decoupled: true)
        adamw.step([w, b])  // zero gradients: only the decay acts, and only on the kernel
        assertClose(w.value.toArray(), [1.9, 1.9], accuracy: 1e-6)
        XCTAssertEqual(b.value.toArray(), [2, 2])
    }

    func testClipGradientNorm() {
        let a = Parameter(name: "a", rows: 1, cols: 1, role: .kernel)
        let b = Parameter(name: "b", rows: 1, cols: 1, role: .bias)
        a.grad.data[0] = 3; b.grad.data[0] = 4
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 5, accuracy: 1e-6)
        XCTAssertEqual([a.grad.data[0], b.grad.data[0]], [3, 4], "under the limit: untouched")
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-6)
        assertClose([a.grad.data[0], b.grad.data[0]], [0.6, 0.8], accuracy: 1e-6)
    }

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.1, step: 1000), 0.1)
        let decay = LearningRateSchedule.stepDecay(factor: 0.5, every: 10)
        XCTAssertEqual([0, 9, 10, 25].map { decay.rate(base: 1, step: $0) }, [1, 1, 0.5, 0.25])
        let cosine = LearningRateSchedule.cosine(totalSteps: 100)
        XCTAssertEqual(cosine.rate(base: 2, step: 0), 2, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 2, step: 50), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 2, step: 100), 0, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 2, step: 500), 0, accuracy: 1e-6)
    }

    func testStateExportAndRestoreContinuesIdentically() throws {
        func run(_ opt: Optimizer, _ w: Parameter, steps: Int) {
            for s in 0..<steps {
                w.zeroGrad()
                for i in 0..<w.grad.count { w.grad.data[i] = sin(Float(i + s)) + w.value.data[i] }
                opt.step([w])
            }
        }
        for make in [{ Adam(learningRate: 0.01) as Optimizer }, { SGD(learningRate: 0.01, momentum: 0.9) as Optimizer }] {
            let w1 = Parameter(name: "w", rows: 2, cols: 2, role: .kernel)
            let a = make()
            run(a, w1, steps: 5)
            // "Checkpoint": copy the weights, the step count and the slots into fresh objects.
            let w2 = Parameter(name: "w", rows: 2, cols: 2, role: .kernel)
            w2.value.copy(from: w1.value)
            let b = make()
            b.stepCount = a.stepCount
            try b.restoreState(a.stateTensors(for: w1)!.map { $0.copy() }, for: w2)
            XCTAssertEqual(b.slotNames, a.slotNames)
            run(a, w1, steps: 3)
            run(b, w2, steps: 3)
            XCTAssertEqual(w1.value.toArray(), w2.value.toArray())
            XCTAssertThrowsError(try b.restoreState([Matrix(rows: 3, cols: 2)], for: w2))
        }
    }
}

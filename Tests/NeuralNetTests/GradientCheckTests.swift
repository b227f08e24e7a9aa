import NeuralNet
import Numerics
import XCTest

/// A tanh whose backward forgets the (1 − y²) factor: the kind of bug the check must catch.
private final class BrokenTanh: Layer {
    let inner: Tanh
    init(features: Int, maxBatch: Int) { inner = Tanh(features: features, maxBatch: maxBatch) }
    var inputSize: Int { inner.inputSize }
    var outputSize: Int { inner.outputSize }
    var parameters: [Parameter] { [] }
    func forward(_ input: Matrix, training: Bool) -> Matrix { inner.forward(input, training: training) }
    func backward(_ gradOutput: Matrix) -> Matrix { gradOutput }
}

/// A Dense whose backward drops the bias gradient's contribution from the last batch row.
private final class DenseMissingRow: Layer {
    let inner: Dense
    init(rng: inout SplitMix64) { inner = Dense(inputSize: 4, outputSize: 3, maxBatch: 8, rng: &rng) }
    var inputSize: Int { 4 }
    var outputSize: Int { 3 }
    var parameters: [Parameter] { inner.parameters }
    func forward(_ input: Matrix, training: Bool) -> Matrix { inner.forward(input, training: training) }
    func backward(_ gradOutput: Matrix) -> Matrix {
        let g = inner.backward(gradOutput)
        let last = gradOutput.row(gradOutput.rows - 1)
        for j in 0..<3 { inner.bias!.grad.data[j] -= last[j] }
        return g
    }
}

final class GradientCheckTests: XCTestCase {
    func testNumericGradientOfQuadratic() {
        // loss = Σ x², gradient 2x: the check agrees with the right answer and not with a wrong one.
        let x = Matrix([[1, -2, 3], [0.5, 4, -1]])
        let loss = { (0..<x.count).reduce(0.0) { $0 + Double(x.data[$1] * x.data[$1]) } }
        let right = Matrix(rows: 2, cols: 3), wrong = Matrix(rows: 2, cols: 3)
        for i in 0..<6 { right.data[i] = 2 * x.data[i]; wrong.data[i] = x.data[i] }
        XCTAssertLessThan(GradientCheck.compare(x, analytic: right, loss: loss).maxRelativeError, 1e-3)
        XCTAssertGreaterThan(GradientCheck.compare(x, analytic: wrong, loss: loss).maxRelativeError, 0.4)
        XCTAssertEqual(x.toArray(), [1, -2, 3, 0.5, 4, -1], "values restored after perturbation")
    }

    func testWrongGradientIsCaught() {
        var rng = SplitMix64(seed: 3)
        let x = randomMatrix(rows: 6, cols: 5, scale: 1.5, rng: &rng)
        let broken = GradientCheck.checkLayer(BrokenTanh(features: 5, maxBatch: 8), input: x, training: true)
        XCTAssertGreaterThan(broken["input"]!.maxRelativeError, 10 * gradientTolerance)
        let correct = GradientCheck.checkLayer(Tanh(features: 5, maxBatch: 8), input: x, training: true)
        XCTAssertLessThan(correct["input"]!.maxRelativeError, gradientTolerance)

        // One batch row missing from a bias gradient (a subtle, partial error) is caught too.
        let dense = DenseMissingRow(rng: &rng)
        let results = GradientCheck.checkLayer(dense, input: randomMatrix(rows: 8, cols: 4, rng: &rng), training: true)
        XCTAssertLessThan(results["dense.kernel"]!.maxRelativeError, gradientTolerance)
        XCTAssertGreaterThan(results["dense.bias"]!.maxRelativeError, 5 * gradientTolerance)
    }
}

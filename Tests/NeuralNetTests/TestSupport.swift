import NeuralNet
import Numerics
import XCTest

/// A matrix of uniform values in [−scale, scale).
func randomMatrix(rows: Int, cols: Int, scale: Float = 1, rng: inout SplitMix64) -> Matrix {
    let m = Matrix(rows: rows, cols: cols)
    for i in 0..<m.count { m.data[i] = (2 * rng.nextFloat() - 1) * scale }
    return m
}

/// Tolerance for a correct gradient in Float32 with ε = 1e-2 central differences; a missing term
/// shows as an error of order 0.1–1 (see `GradientCheckTests.testWrongGradientIsCaught`).
let gradientTolerance = 2e-2

/// Asserts every entry of `GradientCheck.checkLayer` is within tolerance.
func assertGradientsCorrect(_ layer: Layer, input: Matrix, training: Bool, expecting names: Set<String>,
                            epsilon: Float = 1e-2, prepare: () -> Void = {}, file: StaticString = #filePath, line: UInt = #line) {
    let results = GradientCheck.checkLayer(layer, input: input, training: training, epsilon: epsilon, prepare: prepare)
    XCTAssertEqual(Set(results.keys), names, "checked gradients", file: file, line: line)
    for (name, r) in results.sorted(by: { $0.key < $1.key }) {
        XCTAssertLessThan(r.maxRelativeError, gradientTolerance, "\(name): \(r)", file: file, line: line)
    }
}

func assertEqual(_ a: Matrix, _ b: Matrix, accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.rows, b.rows, file: file, line: line)
    XCTAssertEqual(a.cols, b.cols, file: file, line: line)
    guard a.count == b.count else { return }
    var worst: Float = 0
    for i in 0..<a.count { worst = max(worst, abs(a.data[i] - b.data[i])) }
    XCTAssertLessThanOrEqual(worst, accuracy, "max abs difference", file: file, line: line)
}

func assertClose(_ a: [Float], _ b: [Float], accuracy: Float, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    for (x, y) in zip(a, b) where !(abs(x - y) <= accuracy) {
        XCTFail("\(a) ≠ \(b) (±\(accuracy)) \(message)", file: file, line: line)
        return
    }
}

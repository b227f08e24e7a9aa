import Foundation
import XCTest
import Numerics

/// The vectorised elementwise kernels against Foundation's scalar functions.
final class KernelsTests: XCTestCase {
    /// A grid of inputs covering tiny, moderate and saturating values of both signs.
    var inputs: [Float] {
        var v: [Float] = [0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 0.624, 0.626, -0.626, 1, -1,
                          10, -10, 20, -20, 40, -40, 80, -80, 88, -87, 100, -100]
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2000 { v.append((rng.nextFloat() - 0.5) * 30) }
        for _ in 0..<200 { v.append((rng.nextFloat() - 0.5) * 1e-3) }
        return v
    }

    func compare(_ name: String, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                 _ truth: (Double) -> Double, inputs xs: [Float], rel: Double = 2e-6, abs absTol: Double = 1e-37) {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { y in kernel(x.baseAddress!, y.baseAddress!, xs.count) } }
        for (x, y) in zip(xs, ys) {
            let t = truth(Double(x))
            if t.isInfinite { XCTAssertEqual(Double(y), t, "\(name)(\(x))"); continue }
            let err = Swift.abs(Double(y) - t)
            XCTAssertLessThanOrEqual(err, Swift.max(rel * Swift.abs(t), absTol), "\(name)(\(x)) = \(y), want \(t)")
        }
    }

    func testTanh() { compare("tanh", { Kernels.tanh($0, $1, count: $2) }, { Foundation.tanh($0) }, inputs: inputs) }

    func testExp() {
        compare("exp", { Kernels.exp($0, $1, count: $2) }, { Foundation.exp($0) },
                inputs: inputs.filter { $0 < 88.7 && $0 > -87 })
        var out: [Float] = [0, 0, 0]
        Kernels.exp([100, -200, 0], &out, count: 3)
        XCTAssertEqual(out, [.infinity, 0, 1])
    }

    func testSigmoid() {
        compare("sigmoid", { Kernels.sigmoid($0, $1, count: $2) }, { 1 / (1 + Foundation.exp(-$0)) },
                inputs: inputs.filter { $0 > -87 })
    }

    func testSoftplus() {
        compare("softplus", { Kernels.softplus($0, $1, count: $2) }, { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) },
                inputs: inputs.filter { $0 > -87 })
    }

    func testLog() {
        let xs = inputs.map { Swift.abs($0) + 1e-6 } + [1, 2, 0.5, 1e-30, 3e38]
        compare("log", { Kernels.log($0, $1, count: $2) }, { Foundation.log($0) }, inputs: xs, abs: 1e-6)
        var out: [Float] = [0, 0, 0]
        Kernels.log([0, -1, .infinity], &out, count: 3)
        XCTAssertEqual(out[0], -.infinity)
        XCTAssertTrue(out[1].isNaN)
        XCTAssertEqual(out[2], .infinity)
    }

    func testReLUAndGradients() {
        let x: [Float] = [-2, -0.0, 0, 0.5, 3, -1, 7, 8, -9]
        var y = [Float](repeating: 0, count: x.count)
        Kernels.relu(x, &y, count: x.count)
        XCTAssertEqual(y, x.map { Swift.max($0, 0) })
        var dx = y
        Kernels.reluBackward(y: y, dy: [Float](repeating: 2, count: x.count), dx: &dx, count: x.count)
        XCTAssertEqual(dx, x.map { $0 > 0 ? 2 : 0 })
        var t = y
        Kernels.tanh(x, &t, count: x.count)
        Kernels.tanhBackward(y: t, dy: [Float](repeating: 1, count: x.count), dx: &dx, count: x.count)
        for i in x.indices { XCTAssertEqual(dx[i], 1 - t[i] * t[i], accuracy: 1e-7) }
    }

    func testBLAS1TailsAndInPlace() {
        for n in 0..<40 {
            let x = (0..<n).map { Float($0) * 0.5 - 3 }
            var y = (0..<n).map { Float($0 % 7) }
            let y0 = y
            XCTAssertEqual(Kernels.dot(x, y, count: n), zip(x, y).map(*).reduce(0, +), accuracy: 1e-3)
            XCTAssertEqual(Kernels.sum(x, count: n), x.reduce(0, +), accuracy: 1e-3)
            XCTAssertEqual(Kernels.max(x, count: n), x.max() ?? -.infinity)
            Kernels.axpy(2, x, &y, count: n)
            XCTAssertEqual(y, zip(x, y0).map { 2 * $0 + $1 })
            y.withUnsafeMutableBufferPointer { Kernels.scale($0.baseAddress!, count: n, by: 0.5) }
            XCTAssertEqual(y, zip(x, y0).map { (2 * $0 + $1) * 0.5 })
            var z = [Float](repeating: .nan, count: n)
            Kernels.scale(-0.25, x, into: &z, count: n)
            XCTAssertEqual(z, x.map { $0 * -0.25 })
        }
    }

    /// The ALS updates: y = x + β·y and four axpys in one pass, each element one fused chain
    /// (so an element's value does not depend on whether it falls in the SIMD body or the tail).
    func testXPBYAndAXPY4MatchFusedScalarChainsAtEveryLength() {
        var rng = SplitMix64(seed: 11)
        for n in 0..<40 {
            let xs = (0..<4).map { _ in (0..<n).map { _ in rng.nextFloat() - 0.5 } }
            let y0 = (0..<n).map { _ in rng.nextFloat() - 0.5 }
            let c: [Float] = [0.3, -1.7, 2.1, -0.45]
            var y = y0
            Kernels.xpby(xs[0], 0.7, &y, count: n)
            XCTAssertEqual(y, (0..<n).map { xs[0][$0].addingProduct(0.7, y0[$0]) }, "n=\(n)")
            y = y0
            Kernels.axpy4(c[0], xs[0], c[1], xs[1], c[2], xs[2], c[3], xs[3], &y, count: n)
            let want = (0..<n).map { i in (0..<4).reduce(y0[i]) { $0.addingProduct(c[$1], xs[$1][i]) } }
            XCTAssertEqual(y, want, "n=\(n)")
        }
    }

    func testLogSumExpAndSoftmax() {
        let x: [Float] = [1000, 999, 998, -.infinity, 997, 1000, 0, 3, 2, 1]
        let want = 1000 + Foundation.log(x.map { Foundation.exp(Double($0) - 1000) }.reduce(0, +))
        XCTAssertEqual(Double(Kernels.logSumExp(x, count: x.count)), want, accuracy: 1e-3)
        XCTAssertEqual(Kernels.logSumExp([Float](repeating: -.infinity, count: 3), count: 3), -.infinity)
        var p = [Float](repeating: 0, count: x.count)
        Kernels.softmax(x, &p, count: x.count)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(p[3], 0)
        XCTAssertEqual(p[0], p[5])
    }
}

import Foundation
import NeuralNet
import Numerics
import XCTest

final class WeightAverageTests: XCTestCase {
    private func parameter(_ values: [Float]) -> Parameter {
        let p = Parameter(name: "w", rows: 1, cols: values.count, role: .kernel)
        for (i, v) in values.enumerated() { p.value.data[i] = v }
        return p
    }

    private func set(_ p: Parameter, _ values: [Float]) {
        for (i, v) in values.enumerated() { p.value.data[i] = v }
    }

    /// The average is the exponentially weighted mean of every value seen, by hand:
    /// Σ dⁿ⁻ᵏ w_k / Σ dⁿ⁻ᵏ — the first values included, the random start not over-weighted.
    func testTheAverageIsTheExponentiallyWeightedMean() {
        let w = parameter([0, 10])
        let average = WeightAverage(decay: 0.9)
        var seen: [[Double]] = []
        for step in 0...30 {
            let values: [Float] = [Float(step), Float(10 - step * step % 7)]
            set(w, values)
            average.update([w])
            seen.append(values.map(Double.init))
        }
        XCTAssertEqual(average.updates, 31)
        let n = seen.count
        let weights = (0..<n).map { pow(0.9, Double(n - 1 - $0)) }
        let expected = (0..<2).map { j in zip(weights, seen).map { $0 * $1[j] }.reduce(0, +) / weights.reduce(0, +) }
        let inside = average.withAverage(in: [w]) { w.value.toArray() }
        for (s, e) in zip(inside, expected) { XCTAssertEqual(Double(s), e, accuracy: 1e-4) }
    }

    /// The first update takes the values as they are; the decay then rises to its long-run value.
    func testTheDecayRisesToItsLongRunValue() {
        let average = WeightAverage(decay: 0.99)
        XCTAssertEqual(average.currentDecay, 0, accuracy: 1e-6)
        let w = parameter([1])
        average.update([w])
        XCTAssertEqual(average.currentDecay, Float(1 - 0.01 / (1 - 0.99 * 0.99)), accuracy: 1e-6)
        for _ in 0..<3000 { average.update([w]) }
        XCTAssertEqual(average.currentDecay, 0.99, accuracy: 1e-5)
    }

    /// Evaluation sees the average, training keeps its own weights: the raw values come back
    /// after `withAverage`, even when the body throws.
    func testWithAverageSwapsInAndPutsTheRawWeightsBack() throws {
        let w = parameter([4, -4])
        let average = WeightAverage(decay: 0.9)
        average.update([w])
        set(w, [8, 0])
        average.update([w])
        let inside = average.withAverage(in: [w]) { w.value.toArray() }
        XCTAssertNotEqual(inside, [8, 0])
        XCTAssertEqual(w.value.toArray(), [8, 0])
        struct Failure: Error {}
        XCTAssertThrowsError(try average.withAverage(in: [w]) { throw Failure() })
        XCTAssertEqual(w.value.toArray(), [8, 0])
    }

    /// `assign` leaves the average in the weights for good; before any update it changes nothing.
    func testAssignWritesTheAverage() {
        let w = parameter([2, 4])
        let average = WeightAverage(decay: 0.5)
        average.assign(to: [w])
        XCTAssertEqual(w.value.toArray(), [2, 4])
        average.update([w])
        set(w, [4, 8])
        average.update([w])
        let expected = average.withAverage(in: [w]) { w.value.toArray() }
        XCTAssertNotEqual(expected, [4, 8])
        average.assign(to: [w])
        XCTAssertEqual(w.value.toArray(), expected)
    }

    /// A constant weight averages to itself; a reset forgets the average, so a rollback's
    /// restored weights are what evaluation sees until the next update.
    func testResetForgetsTheAverage() {
        let w = parameter([3, 3])
        let average = WeightAverage(decay: 0.99)
        for _ in 0..<50 { average.update([w]) }
        XCTAssertEqual(average.withAverage(in: [w]) { w.value.toArray() }, [3, 3])
        set(w, [.nan, 1])
        average.update([w])
        average.reset()
        set(w, [2, 2])
        XCTAssertEqual(average.withAverage(in: [w]) { w.value.toArray() }, [2, 2])
        average.update([w])
        XCTAssertEqual(average.withAverage(in: [w]) { w.value.toArray() }, [2, 2])
    }
}

import XCTest
import Numerics

final class RandomTests: XCTestCase {
    func testSameSeedSameStream() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let xa = (0..<100).map { _ in a.next() }
        XCTAssertEqual(xa, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(xa, (0..<100).map { _ in c.next() })
    }

    func testSplitsAreDeterministicAndIndependent() {
        let root = SplitMix64(seed: 7)
        var s1 = root.split(1), s1again = root.split(1), s2 = root.split(2)
        let x1 = (0..<2000).map { _ in s1.nextDouble() }
        XCTAssertEqual(x1, (0..<2000).map { _ in s1again.nextDouble() })
        let x2 = (0..<2000).map { _ in s2.nextDouble() }
        // Uncorrelated streams: |corr| well below what a shared or shifted stream would give.
        let m1 = x1.reduce(0, +) / 2000, m2 = x2.reduce(0, +) / 2000
        var cov = 0.0, v1 = 0.0, v2 = 0.0
        for i in 0..<2000 { cov += (x1[i] - m1) * (x2[i] - m2); v1 += (x1[i] - m1) * (x1[i] - m1); v2 += (x2[i] - m2) * (x2[i] - m2) }
        XCTAssertLessThan(abs(cov / (v1 * v2).squareRoot()), 0.1)
        // Splitting does not advance the parent, and a child does not replay the parent.
        var parent = root
        let p = (0..<10).map { _ in parent.next() }
        var child = root.split(0)
        XCTAssertNotEqual(p, (0..<10).map { _ in child.next() })
    }

    func testDistributions() {
        var rng = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<20_000 {
            let f = rng.nextFloat()
            XCTAssertTrue(f >= 0 && f < 1)
            counts[rng.nextInt(below: 7)] += 1
            let g = Double(rng.nextGaussian())
            sum += g; sumSq += g * g
        }
        for c in counts { XCTAssertEqual(Double(c), 20_000 / 7, accuracy: 250) }
        XCTAssertEqual(sum / 20_000, 0, accuracy: 0.05)
        XCTAssertEqual(sumSq / 20_000, 1, accuracy: 0.05)
    }
}

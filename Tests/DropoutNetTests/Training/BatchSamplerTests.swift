import Numerics
import XCTest
@testable import DropoutNet

/// `BatchSampler`: sample weights handed out with their rows.
final class BatchSamplerTests: XCTestCase {
    func testSampleWeightsTravelWithTheirRows() throws {
        let n = 210
        let users = (0..<n).map { Int32($0 % 30) }, items = (0..<n).map(Int32.init), labels = (0..<n).map { UInt8($0 % 2) }
        let weights = (0..<n).map { Float($0 % 7) * 0.5 }
        let s = try BatchSampler(users: users, items: items, labels: labels, weights: weights, batchSize: 20, rng: SplitMix64(seed: 1))
        for _ in 0..<(2 * s.stepsPerEpoch) {
            s.next()
            for r in 0..<20 { XCTAssertEqual(s.sampleWeights[r], weights[Int(s.itemIDs[r])]) }
        }
        let unweighted = try BatchSampler(users: users, items: items, labels: labels, batchSize: 20, rng: SplitMix64(seed: 1))
        unweighted.next()
        XCTAssertTrue(unweighted.sampleWeights.allSatisfy { $0 == 1 }, "no weights: all 1")
    }
}

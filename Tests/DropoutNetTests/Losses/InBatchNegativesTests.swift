import XCTest
import DropoutNet
import Numerics

/// DESIGN §4.4: the roll, the anchors, the shifts and their checks.
final class InBatchNegativesTests: XCTestCase {
    /// The worked example: B = 4, shifts 1 and 3, labels [1, 0, 1, 1] → anchors 0, 2, 3 with
    /// negatives (v3, v1), (v1, v3), (v2, v0); row 1's clicked-0 item still serves as a negative.
    func testWorkedExampleRollsItemRows() throws {
        let negatives = InBatchNegatives(maxBatchSize: 4, maxNegatives: 2)
        let labels: [Float] = [1, 0, 1, 1]
        try labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, shifts: [1, 3]) }
        XCTAssertEqual(Array(negatives.anchorRows), [0, 2, 3])
        let table = negatives.anchorRows.map { i in (1...2).map { negatives.negativeRow(of: Int(i), $0) } }
        XCTAssertEqual(table, [[3, 1], [1, 3], [2, 0]])

        // Logits are P×(1+M): column 0 the own item, then the rolled ones.
        let batch = LossBatch.angles(users: [0, 90, 180, 45], items: [10, 100, 30, 200], labels: labels)
        negatives.score(users: batch.rawUsers, items: batch.rawItems)
        let s = negatives.scores
        XCTAssertEqual(s.rows, 3); XCTAssertEqual(s.cols, 3)
        func cosd(_ a: Double) -> Float { Float(cos(a * .pi / 180)) }
        let expected: [[Float]] = [[cosd(-10), cosd(-200), cosd(-100)],
                                   [cosd(150), cosd(80), cosd(-20)],
                                   [cosd(-155), cosd(15), cosd(35)]]
        for r in 0..<3 { for c in 0..<3 { XCTAssertEqual(s[r, c], expected[r][c], accuracy: 1e-6, "logit [\(r), \(c)]") } }
    }

    func testStrideShiftsRollNRowsMTimes() throws {
        let negatives = InBatchNegatives(maxBatchSize: 10, maxNegatives: 3)
        var rng = SplitMix64(seed: 1)
        let labels = [Float](repeating: 1, count: 10)
        try labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, n: 3, m: 3, mode: .stride, rng: &rng) }
        XCTAssertEqual(Array(negatives.shifts), [3, 6, 9])
        XCTAssertEqual(negatives.negativeRow(of: 1, 1), 8)   // (1 − 3) mod 10
        XCTAssertEqual(negatives.negativeRow(of: 7, 2), 1)
    }

    func testRandomShiftsAreDistinctNonZeroAndChangeEachStep() throws {
        let b = 16
        let negatives = InBatchNegatives(maxBatchSize: b, maxNegatives: b - 1)
        var rng = SplitMix64(seed: 3)
        let labels = [Float](repeating: 1, count: b)
        var seen: Set<[Int]> = []
        for _ in 0..<50 {
            try labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, n: 1, m: 5, mode: .random, rng: &rng) }
            let s = Array(negatives.shifts)
            XCTAssertEqual(s.count, 5)
            XCTAssertEqual(Set(s).count, 5, "shifts must be distinct: \(s)")
            XCTAssertTrue(s.allSatisfy { (1..<b).contains($0) }, "shifts must be in 1...\(b - 1): \(s)")
            seen.insert(s)
        }
        XCTAssertGreaterThan(seen.count, 40, "random shifts should differ from step to step")
        // M = B − 1 random shifts: every other row exactly once.
        try labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, n: 1, m: b - 1, mode: .random, rng: &rng) }
        XCTAssertEqual(Set(negatives.shifts), Set(1..<b))
    }

    func testInvalidNAndMThrowTheSettingsMessage() {
        let negatives = InBatchNegatives(maxBatchSize: 4, maxNegatives: 2)
        var rng = SplitMix64(seed: 1)
        let labels: [Float] = [1, 0, 1, 1]
        XCTAssertThrowsError(try labels.withUnsafeBufferPointer {
            try negatives.prepare(labels: $0, n: 2, m: 2, mode: .stride, rng: &rng)
        }) { error in
            let e = error as? SettingsError
            XCTAssertEqual(e?.key, "negatives.m")
            XCTAssertTrue(e?.message.contains("own negative") == true, "\(error)")
        }
        XCTAssertThrowsError(try labels.withUnsafeBufferPointer {
            try negatives.prepare(labels: $0, n: 1, m: 4, mode: .random, rng: &rng)
        }) { XCTAssertEqual(($0 as? SettingsError)?.key, "negatives.m") }
        XCTAssertThrowsError(try labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, shifts: [4]) })
    }

    func testGrowsWhenMGrowsAndKeepsWorking() throws {
        let negatives = InBatchNegatives(maxBatchSize: 8, maxNegatives: 1)
        var rng = SplitMix64(seed: 1)
        let batch = LossBatch.random(batch: 8, dimension: 4, seed: 5)
        for m in [1, 5, 2, 7] {
            try batch.labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, n: 1, m: m, mode: .stride, rng: &rng) }
            negatives.score(users: batch.rawUsers, items: batch.rawItems)
            let s = negatives.scores
            XCTAssertEqual(s.cols, 1 + m)
            for (r, i) in negatives.anchorRows.enumerated() {
                let j = negatives.negativeRow(of: Int(i), m)
                var dot: Float = 0
                for c in 0..<4 { dot += batch.rawUsers[Int(i), c] * batch.rawItems[j, c] }
                XCTAssertEqual(s[r, m], dot, accuracy: 1e-5)
            }
        }
    }

    /// The GEMM path (all anchors × all items, gathered) equals the direct dot products.
    func testGEMMAndDirectScoringAgree() throws {
        let batch = LossBatch.random(batch: 24, dimension: 16, seed: 11)
        var params = LossParameters.only(.svsoftmax, m: 9, n: 2)
        params.gamma = 5; params.margin = 0.1; params.t = 1.2
        params[weightOf: .sigmoid] = 0.5
        var results: [(LossBreakdown, [Float], [Float])] = []
        for strategy in [InBatchNegatives.ScoringStrategy.direct, .gemm] {
            let loss = TrainingLoss(maxBatchSize: 24, maxNegatives: 9)
            loss.negatives.strategy = strategy
            let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
            let gu = Matrix(rows: 24, cols: 16), gv = Matrix(rows: 24, cols: 16)
            let r = try loss.compute(users: u, items: v, batch: batch, params: params, gradUsers: gu, gradItems: gv)
            XCTAssertEqual(loss.negatives.usesGEMM, strategy == .gemm)
            results.append((r, gu.toArray(), gv.toArray()))
        }
        XCTAssertEqual(results[0].0[.svsoftmax], results[1].0[.svsoftmax], accuracy: 1e-5)
        for (a, b) in zip(results[0].1, results[1].1) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(results[0].2, results[1].2) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
}

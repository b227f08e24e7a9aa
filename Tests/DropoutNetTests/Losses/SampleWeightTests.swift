import XCTest
import DropoutNet
import Numerics

/// Sample weights (the data's `weight` column) in every loss: weighted means Σ w·ℓ / Σ w, the
/// softmax by the anchor's weight, sigmoid and MSE by the row's, pairs by w_i·w_j.
final class SampleWeightTests: XCTestCase {
    /// DESIGN §4.5's test batch: unit 2-D vectors, labels [1, 0, 1, 1].
    let vector = LossBatch.angles(users: [0, 90, 180, 45], items: [10, 100, 30, 200], labels: [1, 0, 1, 1])

    /// Every loss at once, with logQ and the false-negative mask.
    private func mix() -> (LossParameters, () -> TrainingLoss) {
        var p = LossParameters()
        p[weightOf: .svsoftmax] = 1; p[weightOf: .softmax] = 0.5; p[weightOf: .pairwise] = 0.25; p[weightOf: .hard_pairwise] = 2
        p[weightOf: .sigmoid] = 0.3; p[weightOf: .mse] = 0.1
        p.gamma = 7; p.margin = 0.15; p.t = 1.3; p.negativesN = 3; p.negativesM = 5
        p.logQ = true; p.maskFalseNegatives = true
        let prior = ItemSamplingPrior(positiveCounts: [50, 3, 1, 0, 9, 20, 2])
        return (p, { TrainingLoss(maxBatchSize: 64, maxNegatives: 5, samplingPrior: prior,
                                  positives: PositiveLookupClosure { $0 == 1 && $1 == 4 }) })
    }

    private func run(_ batch: LossBatch, _ p: LossParameters, _ loss: TrainingLoss, normalise: Bool = true) throws -> (LossBreakdown, [Float]) {
        let u = normalise ? TestNormalization.forward(batch.rawUsers) : batch.rawUsers
        let v = normalise ? TestNormalization.forward(batch.rawItems) : batch.rawItems
        let gu = Matrix(rows: batch.batchSize, cols: batch.dimension), gv = Matrix(rows: batch.batchSize, cols: batch.dimension)
        let r = try loss.compute(users: u, items: v, batch: batch, params: p, gradUsers: gu, gradItems: gv)
        return (r, gu.toArray() + gv.toArray())
    }

    func testWeightsOfOneGiveTheUnweightedStepBitForBit() throws {
        let (p, makeLoss) = mix()
        var batch = LossBatch.random(batch: 64, dimension: 8, seed: 21)
        let (plain, plainGrads) = try run(batch, p, makeLoss())
        batch.weights = [Float](repeating: 1, count: 64)
        let (ones, onesGrads) = try run(batch, p, makeLoss())
        XCTAssertEqual(plain.total.bitPattern, ones.total.bitPattern)
        for kind in LossKind.ordered { XCTAssertEqual(plain[kind].bitPattern, ones[kind].bitPattern, "\(kind)") }
        XCTAssertEqual(plain.terms, ones.terms)
        XCTAssertTrue(plainGrads.elementsEqual(onesGrads) { $0.bitPattern == $1.bitPattern })
        // A common factor changes nothing but rounding: the losses are weighted means.
        batch.weights = [Float](repeating: 2.5, count: 64)
        let (scaled, scaledGrads) = try run(batch, p, makeLoss())
        XCTAssertEqual(scaled.total, plain.total, accuracy: 1e-6 * abs(plain.total))
        for (a, b) in zip(plainGrads, scaledGrads) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(a))) }
    }

    /// Weights [2, 1, 0.5, 1] on the test batch, each loss written out by hand from the rows'
    /// cosines and DESIGN §4.5's per-anchor values.
    func testWeightedMeansByHandOnTheTestBatch() throws {
        var batch = vector
        batch.weights = [2, 1, 0.5, 1]
        let w: [Double] = [2, 1, 0.5, 1]
        // Own cosines s_i = cos(user angle − item angle).
        let angles: [Double] = [-10, -10, 150, -155]
        let s: [Double] = angles.map { (a: Double) -> Double in cos(a * Double.pi / 180) }
        let y: [Double] = [1, 0, 1, 1]

        // SV-softmax: anchors 0, 2, 3 with weights 2, 0.5, 1 (shifts 1 and 3, m 0.1, γ 5, t 1.2).
        let negatives = InBatchNegatives(maxBatchSize: 4, maxNegatives: 2)
        try batch.labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, shifts: [1, 3]) }
        negatives.score(users: batch.rawUsers, items: batch.rawItems)
        negatives.logitOffsets.zero()
        var perAnchor = [Float](repeating: 0, count: 3)
        let anchorWeights: [Float] = [2, 0.5, 1]
        let softmax = anchorWeights.withUnsafeBufferPointer { aw in
            perAnchor.withUnsafeMutableBufferPointer {
                SupportVectorSoftmax.forwardBackward(scores: negatives.scores, offsets: negatives.logitOffsets,
                                                     gradients: negatives.scoreGradients, gamma: 5, margin: 0.1, t: 1.2, weight: 1,
                                                     anchorWeights: aw.baseAddress, perAnchorLoss: $0.baseAddress!)
            }
        }
        XCTAssertEqual(softmax, (2 * 0.005126 + 0.5 * 11.478332 + 1 * 12.173887) / 3.5, accuracy: 1e-5)

        let loss = TrainingLoss(maxBatchSize: 4, maxNegatives: 0)
        // Pairwise: pairs (0,1), (2,1), (3,1) weigh 2·1, 0.5·1, 1·1.
        let pair = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: .only(.pairwise, m: 0))
        var pairSum = 0.0
        for i in [0, 2, 3] { pairSum += w[i] * w[1] * log1p(exp(s[1] - s[i])) }
        XCTAssertEqual(pair[.pairwise], pairSum / 3.5, accuracy: 1e-5)
        XCTAssertEqual(pair.terms[.pairwise], 3)
        // Sigmoid (γ = 1): Σ w·(softplus(s) − y·s) / 4.5.
        let sig = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: .only(.sigmoid, m: 0))
        var sigSum = 0.0, mseSum = 0.0
        for i in 0..<4 {
            let rowLoss: Double = log1p(exp(s[i])) - y[i] * s[i]
            sigSum += w[i] * rowLoss
            mseSum += w[i] * (s[i] - y[i]) * (s[i] - y[i])
        }
        XCTAssertEqual(sig[.sigmoid], sigSum / 4.5, accuracy: 1e-5)
        // MSE against the labels: Σ w·(s − y)² / 4.5.
        let mse = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: .only(.mse, m: 0))
        XCTAssertEqual(mse[.mse], mseSum / 4.5, accuracy: 1e-5)
    }

    /// A row of weight 0 is as good as absent for the losses of its own score: the same values,
    /// the same gradients for every other row, none for it.
    func testZeroWeightRemovesTheRowFromTheOwnScoreLosses() throws {
        var batch = LossBatch.random(batch: 14, dimension: 4, seed: 5, userCount: 3)
        let positive = batch.labels.firstIndex(of: 1)!, negative = batch.labels.lastIndex(of: 0)!
        for kind in [LossKind.pairwise, .hard_pairwise, .sigmoid, .mse] {
            for k in [positive, negative] {
                batch.weights = LossBatch.randomWeights(count: 14, seed: 9, zero: [k])
                let (full, fullGrads) = try run(batch, .only(kind, m: 0), TrainingLoss(maxBatchSize: 14, maxNegatives: 0))
                let (without, withoutGrads) = try run(batch.removing(row: k), .only(kind, m: 0), TrainingLoss(maxBatchSize: 14, maxNegatives: 0))
                XCTAssertGreaterThan(full.terms[kind], 0, "\(kind)")
                XCTAssertEqual(full[kind], without[kind], accuracy: 1e-6, "\(kind), row \(k)")
                XCTAssertEqual(full.terms[kind], without.terms[kind], "\(kind), row \(k)")
                let d = 4, b = 14
                for side in 0..<2 {
                    for row in 0..<b {
                        for c in 0..<d {
                            let g = fullGrads[side * b * d + row * d + c]
                            if row == k { XCTAssertEqual(g, 0, "\(kind): row \(k) of weight 0 gets no gradient"); continue }
                            let r = row < k ? row : row - 1
                            XCTAssertEqual(g, withoutGrads[side * (b - 1) * d + r * d + c], accuracy: 1e-6, "\(kind), row \(row)")
                        }
                    }
                }
            }
        }
    }

    /// In the softmax a positive of weight 0 is no anchor, exactly as if it had not been clicked:
    /// its item is still rolled in as the others' negative.
    func testZeroWeightAnchorIsLikeAShownNotClickedRowForTheSoftmax() throws {
        var p = LossParameters.only(.svsoftmax, m: 4, n: 5)
        p.gamma = 5; p.margin = 0.1; p.t = 1.2
        var weighted = LossBatch.random(batch: 12, dimension: 4, seed: 7)
        let k = weighted.labels.firstIndex(of: 1)!
        weighted.weights = [Float](repeating: 1, count: 12)
        weighted.weights![k] = 0
        var unclicked = weighted
        unclicked.weights = nil
        unclicked.labels[k] = 0
        let (a, aGrads) = try run(weighted, p, TrainingLoss(maxBatchSize: 12, maxNegatives: 4))
        let (b, bGrads) = try run(unclicked, p, TrainingLoss(maxBatchSize: 12, maxNegatives: 4))
        XCTAssertEqual(a[.svsoftmax], b[.svsoftmax], accuracy: 1e-6)
        for (x, y) in zip(aGrads, bGrads) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        XCTAssertTrue((0..<4).allSatisfy { aGrads[k * 4 + $0] == 0 }, "its user vector appears in no term")
    }

    /// Every loss with uneven weights against the plain Double reference: the pairwise fast path
    /// with unequal and with equal (≠ 1) negative weights, and the general path.
    func testWeightedLossesMatchDoubleReference() throws {
        let (p, makeLoss) = mix()
        var batch = LossBatch.random(batch: 32, dimension: 8, seed: 21)
        let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
        let prior = ItemSamplingPrior(positiveCounts: [50, 3, 1, 0, 9, 20, 2])
        let uneven = LossBatch.randomWeights(count: 32, seed: 4, zero: [3, 17])
        let evenNegatives = zip(uneven, batch.labels).map { $1 > 0 ? $0 : 0.7 }
        for weights in [uneven, evenNegatives] {
            batch.weights = weights
            let r = try makeLoss().compute(users: u, items: v, batch: batch, params: p)
            let ref = ReferenceLosses(batch: batch, users: u, items: v, shifts: (1...5).map { $0 * 3 % 32 },
                                      prior: prior, mask: { $0 == 1 && $1 == 4 })
            XCTAssertEqual(r[.svsoftmax], ref.softmax(gamma: 7, margin: 0.15, t: 1.3), accuracy: 1e-5)
            XCTAssertEqual(r[.softmax], ref.softmax(gamma: 7, margin: 0, t: 1), accuracy: 1e-5)
            XCTAssertEqual(r[.pairwise], ref.pairwise(sameUser: false).loss, accuracy: 1e-5)
            XCTAssertEqual(r.terms[.pairwise], ref.pairwise(sameUser: false).pairs)
            XCTAssertEqual(r[.hard_pairwise], ref.pairwise(sameUser: true).loss, accuracy: 1e-5)
            XCTAssertEqual(r.terms[.hard_pairwise], ref.pairwise(sameUser: true).pairs)
            XCTAssertEqual(r[.sigmoid], ref.sigmoid(gamma: 7), accuracy: 1e-5)
            XCTAssertEqual(r[.mse], ref.mse(), accuracy: 1e-5)
        }
        batch.labels = (0..<32).map { Float($0 % 4) * 0.5 }
        batch.weights = uneven
        let general = try TrainingLoss(maxBatchSize: 32, maxNegatives: 0)
            .compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: .only(.pairwise, m: 0))
        let ref = ReferenceLosses(batch: batch, users: batch.rawUsers, items: batch.rawItems, shifts: [])
        XCTAssertEqual(general[.pairwise], ref.pairwise(sameUser: false).loss, accuracy: 1e-5)
        XCTAssertEqual(general.terms[.pairwise], ref.pairwise(sameUser: false).pairs)
    }

    /// All weights 0: nothing to average, every loss 0 and no gradient (not NaN).
    func testAllZeroWeightsGiveZeroLossAndGradient() throws {
        let (p, makeLoss) = mix()
        var batch = LossBatch.random(batch: 16, dimension: 4, seed: 2)
        batch.weights = [Float](repeating: 0, count: 16)
        let (r, grads) = try run(batch, p, makeLoss())
        XCTAssertEqual(r.total, 0)
        XCTAssertTrue(grads.allSatisfy { $0 == 0 })
    }
}

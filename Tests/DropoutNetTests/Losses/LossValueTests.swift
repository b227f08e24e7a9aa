import XCTest
import DropoutNet
import NeuralNet
import Numerics

/// Loss values: DESIGN §4.5's test vector, and every loss against a plain Double reference.
final class LossValueTests: XCTestCase {
    let vector = LossBatch.angles(users: [0, 90, 180, 45], items: [10, 100, 30, 200], labels: [1, 0, 1, 1])

    /// SV-softmax on the worked example: m = 0.1, γ = 5, t = 1.2, shifts 1 and 3, logQ off.
    func testSupportVectorSoftmaxTestVector() throws {
        let negatives = InBatchNegatives(maxBatchSize: 4, maxNegatives: 2)
        try vector.labels.withUnsafeBufferPointer { try negatives.prepare(labels: $0, shifts: [1, 3]) }
        negatives.score(users: vector.rawUsers, items: vector.rawItems)
        negatives.logitOffsets.zero()
        var perAnchor = [Float](repeating: 0, count: 3)
        let loss = perAnchor.withUnsafeMutableBufferPointer {
            SupportVectorSoftmax.forwardBackward(scores: negatives.scores, offsets: negatives.logitOffsets,
                                                 gradients: negatives.scoreGradients, gamma: 5, margin: 0.1, t: 1.2,
                                                 weight: 1, perAnchorLoss: $0.baseAddress!)
        }
        XCTAssertEqual(loss, 7.885782, accuracy: 1e-5)
        XCTAssertEqual(perAnchor[0], 0.005126, accuracy: 1e-5)
        XCTAssertEqual(perAnchor[1], 11.478332, accuracy: 1e-5)
        XCTAssertEqual(perAnchor[2], 12.173887, accuracy: 1e-5)
    }

    func testPairwiseAndSigmoidTestVector() throws {
        let loss = TrainingLoss(maxBatchSize: 4, maxNegatives: 0)
        let pair = try loss.compute(users: vector.rawUsers, items: vector.rawItems, batch: vector, params: .only(.pairwise, m: 0))
        XCTAssertEqual(pair[.pairwise], 1.573855, accuracy: 1e-5)
        XCTAssertEqual(pair.terms[.pairwise], 3)   // (0,1), (2,1), (3,1)
        XCTAssertEqual(pair.total, pair[.pairwise], accuracy: 1e-12)
        let sig = try loss.compute(users: vector.rawUsers, items: vector.rawItems, batch: vector, params: .only(.sigmoid, m: 0))
        XCTAssertEqual(sig[.sigmoid], 1.020577, accuracy: 1e-5)
    }

    /// The same value when the negatives come from stride settings through `TrainingLoss`:
    /// N = 1, M = 3 on B = 4 rolls 1, 2, 3 rows; checked against the Double reference.
    func testTrainingLossMatchesReferenceOnTestBatch() throws {
        let loss = TrainingLoss(maxBatchSize: 4, maxNegatives: 3)
        var p = LossParameters.only(.svsoftmax, m: 3)
        p.gamma = 5; p.margin = 0.1; p.t = 1.2
        let r = try loss.compute(users: vector.rawUsers, items: vector.rawItems, batch: vector, params: p)
        let ref = ReferenceLosses(batch: vector, users: vector.rawUsers, items: vector.rawItems, shifts: [1, 2, 3])
        XCTAssertEqual(r[.svsoftmax], ref.softmax(gamma: 5, margin: 0.1, t: 1.2), accuracy: 1e-5)
        XCTAssertEqual(r.anchors, 3)
    }

    /// Every loss on a random batch, with logQ and the mask on, equals the Double reference.
    func testAllLossesMatchDoubleReference() throws {
        let b = 32
        let batch = LossBatch.random(batch: b, dimension: 8, seed: 21)
        let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
        let prior = ItemSamplingPrior(positiveCounts: [50, 3, 1, 0, 9, 20, 2])
        let known: Set<[Int32]> = [[0, 1], [1, 4], [2, 0], [3, 5]]
        let loss = TrainingLoss(maxBatchSize: b, maxNegatives: 5, samplingPrior: prior,
                                positives: PositiveLookupClosure { known.contains([$0, $1]) })
        var p = LossParameters()
        p[weightOf: .svsoftmax] = 1; p[weightOf: .softmax] = 0.5; p[weightOf: .pairwise] = 0.25; p[weightOf: .hard_pairwise] = 2
        p[weightOf: .sigmoid] = 0.3; p[weightOf: .mse] = 0.1
        p.gamma = 7; p.margin = 0.15; p.t = 1.3; p.negativesN = 3; p.negativesM = 5
        p.logQ = true; p.maskFalseNegatives = true
        let r = try loss.compute(users: u, items: v, batch: batch, params: p)
        let ref = ReferenceLosses(batch: batch, users: u, items: v, shifts: (1...5).map { $0 * 3 % b },
                                  prior: prior, mask: { known.contains([$0, $1]) })
        XCTAssertEqual(r[.svsoftmax], ref.softmax(gamma: 7, margin: 0.15, t: 1.3), accuracy: 1e-5)
        XCTAssertEqual(r[.softmax], ref.softmax(gamma: 7, margin: 0, t: 1), accuracy: 1e-5)
        XCTAssertEqual(r[.pairwise], ref.pairwise(sameUser: false).loss, accuracy: 1e-5)
        XCTAssertEqual(r.terms[.pairwise], ref.pairwise(sameUser: false).pairs)
        XCTAssertEqual(r[.hard_pairwise], ref.pairwise(sameUser: true).loss, accuracy: 1e-5)
        XCTAssertEqual(r.terms[.hard_pairwise], ref.pairwise(sameUser: true).pairs)
        XCTAssertGreaterThan(r.terms[.hard_pairwise], 0)
        XCTAssertEqual(r[.sigmoid], ref.sigmoid(gamma: 7), accuracy: 1e-5)
        XCTAssertEqual(r[.mse], ref.mse(), accuracy: 1e-5)
        XCTAssertEqual(r.total, r[.svsoftmax] + 0.5 * r[.softmax] + 0.25 * r[.pairwise] + 2 * r[.hard_pairwise]
                       + 0.3 * r[.sigmoid] + 0.1 * r[.mse], accuracy: 1e-6)
    }

    /// Non-binary labels and large scores take the general pairwise path; it must agree too.
    func testPairwiseGeneralLabelsMatchReference() throws {
        var batch = LossBatch.random(batch: 20, dimension: 3, seed: 8)
        batch.labels = (0..<20).map { Float($0 % 4) * 0.5 }
        let loss = TrainingLoss(maxBatchSize: 20, maxNegatives: 0)
        let r = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: .only(.pairwise, m: 0))
        let ref = ReferenceLosses(batch: batch, users: batch.rawUsers, items: batch.rawItems, shifts: [])
        XCTAssertEqual(r[.pairwise], ref.pairwise(sameUser: false).loss, accuracy: 1e-5)
        XCTAssertEqual(r.terms[.pairwise], ref.pairwise(sameUser: false).pairs)
    }

    /// logQ: a uniform prior shifts every logit equally (no change); a skewed one lowers the
    /// popular items' logits — the loss rises where the positive is popular and falls where the
    /// negatives are.
    func testLogQCorrectionChangesLossAsExpected() throws {
        let batch = LossBatch.angles(users: [0, 90, 180, 45], items: [10, 100, 30, 200], labels: [1, 1, 1, 1])
        var p = LossParameters.only(.softmax, m: 3)
        p.gamma = 5
        let plain = try TrainingLoss(maxBatchSize: 4, maxNegatives: 3)
            .compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)[.softmax]
        p.logQ = true
        let uniform = TrainingLoss(maxBatchSize: 4, maxNegatives: 3,
                                   samplingPrior: ItemSamplingPrior(positiveCounts: [Int](repeating: 0, count: 100) + [5, 5, 5, 5]))
        let sameValue = try uniform.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)[.softmax]
        XCTAssertEqual(sameValue, plain, accuracy: 1e-5)
        // Item 100 (row 0's) very popular: as row 0's positive its logit drops (loss up); as
        // others' negative it drops too (their loss down). Per anchor, check row 0 rises.
        let skewed = TrainingLoss(maxBatchSize: 4, maxNegatives: 3,
                                  samplingPrior: ItemSamplingPrior(positiveCounts: [Int](repeating: 0, count: 100) + [1000, 5, 5, 5]))
        let before = try TrainingLoss(maxBatchSize: 4, maxNegatives: 3)
        var off = p; off.logQ = false
        _ = try before.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: off)
        _ = try skewed.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)
        XCTAssertGreaterThan(skewed.lastAnchorLosses[0], before.lastAnchorLosses[0] + 1)
        for r in 1..<4 { XCTAssertLessThan(skewed.lastAnchorLosses[r], before.lastAnchorLosses[r]) }
        // Without a prior, logQ on is an explained error, not a silent no-op.
        XCTAssertThrowsError(try TrainingLoss(maxBatchSize: 4)
            .compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)) {
            XCTAssertEqual(($0 as? SettingsError)?.key, "negatives.logq")
        }
    }

    /// The mask drops a rolled negative that is the anchor's own item id or a known positive:
    /// the loss equals the softmax over the remaining columns.
    func testFalseNegativeMaskRemovesThoseColumns() throws {
        var batch = LossBatch.angles(users: [0, 90, 180, 45], items: [10, 100, 30, 200], labels: [1, 1, 1, 1])
        batch.itemIDs = [7, 8, 7, 9]          // rows 0 and 2 share an item
        batch.userIDs = [0, 1, 2, 3]
        var p = LossParameters.only(.softmax, m: 2, n: 1)   // shifts 1, 2
        p.gamma = 5
        let lookup = PositiveLookupClosure { user, item in user == 3 && item == 8 }   // user 3 liked item 8
        let loss = TrainingLoss(maxBatchSize: 4, maxNegatives: 2, positives: lookup)
        _ = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)
        let unmasked = Array(loss.lastAnchorLosses)
        p.maskFalseNegatives = true
        let masked = try loss.compute(users: batch.rawUsers, items: batch.rawItems, batch: batch, params: p)
        let after = Array(loss.lastAnchorLosses)
        // Shifts 1, 2: row 0's negatives rows 3, 2 (item 7 = its own → masked); row 2's rows 1, 0
        // (row 0 has item 7 → masked); row 3's rows 2, 1 (item 8, a positive of user 3 → masked).
        let ref = ReferenceLosses(batch: batch, users: batch.rawUsers, items: batch.rawItems, shifts: [1, 2],
                                  mask: { lookup.isPositive(user: $0, item: $1) })
        XCTAssertEqual(masked[.softmax], ref.softmax(gamma: 5, margin: 0, t: 1), accuracy: 1e-5)
        XCTAssertEqual(after[1], unmasked[1], accuracy: 1e-6, "row 1 has nothing to mask")
        for r in [0, 2, 3] { XCTAssertLessThan(after[r], unmasked[r], "row \(r) lost a negative") }
        // Only one real negative left for row 0: loss = softplus(γ(n − pos)).
        let s = { (a: Double, b: Double) in cos((a - b) * .pi / 180) }
        XCTAssertEqual(Double(after[0]), log1p(exp(5 * (s(0, 200) - s(0, 10)))), accuracy: 1e-5)
    }

    /// M = 0 works for the losses that need no negatives; softmax with M = 0 is a defined 0.
    func testZeroNegativesWorksForOwnScoreLosses() throws {
        let loss = TrainingLoss(maxBatchSize: 4, maxNegatives: 0)
        var p = LossParameters.only(.sigmoid, m: 0)
        p[weightOf: .pairwise] = 1
        let r = try loss.compute(users: vector.rawUsers, items: vector.rawItems, batch: vector, params: p)
        XCTAssertEqual(r[.sigmoid], 1.020577, accuracy: 1e-5)
        XCTAssertEqual(r[.pairwise], 1.573855, accuracy: 1e-5)
        let soft = try loss.compute(users: vector.rawUsers, items: vector.rawItems, batch: vector, params: .only(.softmax, m: 0))
        XCTAssertEqual(soft[.softmax], 0)
        XCTAssertEqual(soft.total, 0)
    }

    func testParametersFromSettings() throws {
        var s = Settings()
        try s.apply(assignment: "loss=svsoftmax,pairwise,sigmoid")
        try s.apply(assignment: "loss_weights=1,0.5,2")
        try s.apply(assignment: "gamma=20")
        try s.apply(assignment: "negatives.m=8")
        try s.apply(assignment: "negatives.shifts=random")
        let p = LossParameters(settings: s)
        XCTAssertEqual(p[weightOf: .svsoftmax], 1); XCTAssertEqual(p[weightOf: .pairwise], 0.5); XCTAssertEqual(p[weightOf: .sigmoid], 2)
        XCTAssertEqual(p[weightOf: .softmax], 0); XCTAssertEqual(p.gamma, 20); XCTAssertEqual(p.negativesM, 8)
        XCTAssertEqual(p.shiftMode, .random); XCTAssertTrue(p.logQ); XCTAssertEqual(p.t, 1.2, accuracy: 1e-6)
        XCTAssertTrue(p.needsNegatives)
    }

    func testL2PenaltyOnKernelsOnly() {
        let w = Parameter(name: "w", rows: 2, cols: 2, role: .kernel)
        let bias = Parameter(name: "b", rows: 1, cols: 2, role: .bias)
        w.value.copy(from: Matrix([[1, 2], [3, -1]])); bias.value.fill(5)
        let value = L2Penalty.apply(lambda: 0.1, to: [w, bias])
        XCTAssertEqual(value, 0.1 * 15, accuracy: 1e-6)
        XCTAssertEqual(w.grad.toArray(), [0.2, 0.4, 0.6, -0.2].map { Float($0) })
        XCTAssertEqual(bias.grad.toArray(), [0, 0])
    }
}

/// The losses of DESIGN §4.5–4.6 written out plainly in Double, one pair at a time, as means
/// weighted by the batch's sample weights (all 1 when it has none).
struct ReferenceLosses {
    let batch: LossBatch
    let s: [[Double]]   // s[i][j] = u_i · v_j
    let shifts: [Int]
    let prior: ItemSamplingPrior?
    let mask: ((Int32, Int32) -> Bool)?

    init(batch: LossBatch, users: Matrix, items: Matrix, shifts: [Int], prior: ItemSamplingPrior? = nil,
         mask: ((Int32, Int32) -> Bool)? = nil) {
        self.batch = batch
        self.shifts = shifts
        self.prior = prior
        self.mask = mask
        let b = batch.batchSize
        s = (0..<b).map { i in (0..<b).map { j in (0..<users.cols).reduce(0.0) { $0 + Double(users[i, $1]) * Double(items[j, $1]) } } }
    }

    func w(_ i: Int) -> Double { Double(batch.weights?[i] ?? 1) }

    func softmax(gamma: Double, margin: Double, t: Double) -> Double {
        let b = batch.batchSize
        var total = 0.0, anchors = 0.0
        for i in 0..<b where batch.labels[i] > 0 {
            anchors += w(i)
            func offset(_ row: Int) -> Double { prior.map { -Double($0.logP(batch.itemIDs[row])) } ?? 0 }
            let shifted = s[i][i] - margin
            var z = [gamma * shifted + offset(i)]
            for sk in shifts {
                let j = ((i - sk) % b + b) % b
                if let mask, batch.itemIDs[j] == batch.itemIDs[i] || mask(batch.userIDs[i], batch.itemIDs[j]) { continue }
                let n = s[i][j]
                z.append(gamma * (n > shifted ? t * n + t - 1 : n) + offset(j))
            }
            let mx = z.max()!
            total += w(i) * (mx + log(z.reduce(0) { $0 + exp($1 - mx) }) - z[0])
        }
        return anchors == 0 ? 0 : total / anchors
    }

    func pairwise(sameUser: Bool) -> (loss: Double, pairs: Int) {
        var total = 0.0, weightSum = 0.0, pairs = 0
        let b = batch.batchSize
        for i in 0..<b { for j in 0..<b where batch.labels[i] > batch.labels[j] && w(i) * w(j) != 0 {
            if sameUser && batch.userIDs[i] != batch.userIDs[j] { continue }
            pairs += 1
            weightSum += w(i) * w(j)
            total += w(i) * w(j) * log1p(exp(-(s[i][i] - s[j][j])))
        } }
        return (pairs == 0 ? 0 : total / weightSum, pairs)
    }

    func sigmoid(gamma: Double) -> Double {
        let b = batch.batchSize
        return (0..<b).reduce(0.0) { acc, i in
            let z = gamma * s[i][i], y = Double(batch.labels[i])
            return acc + w(i) * (log1p(exp(z)) - y * z)
        } / (0..<b).reduce(0.0) { $0 + w($1) }
    }

    func mse() -> Double {
        let b = batch.batchSize
        return (0..<b).reduce(0.0) { $0 + w($1) * pow(s[$1][$1] - Double(batch.labels[$1]), 2) } / (0..<b).reduce(0.0) { $0 + w($1) }
    }
}

final class LossThreadInvarianceTests: XCTestCase {
    /// At the trainer's shape the scoring, softmax and gradient loops split across threads;
    /// each output row is computed by one thread in a fixed order, so the bits do not change.
    func testLossAndGradientsIdenticalOnOneAndSeveralThreads() throws {
        let b = 1024, d = 128
        let batch = LossBatch.random(batch: b, dimension: d, seed: 2, userCount: 50, itemCount: 400)
        let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
        var p = LossParameters()
        p[weightOf: .svsoftmax] = 1; p[weightOf: .pairwise] = 0.5; p[weightOf: .sigmoid] = 0.25; p.negativesM = 4
        func run(threads: Int) throws -> [Float] {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            let loss = TrainingLoss(maxBatchSize: b, maxNegatives: 4,
                                    samplingPrior: ItemSamplingPrior(positiveCounts: (0..<400).map { 1 + $0 % 9 }))
            let gu = Matrix(rows: b, cols: d), gv = Matrix(rows: b, cols: d)
            let r = try loss.compute(users: u, items: v, batch: batch, params: p, gradUsers: gu, gradItems: gv)
            return [Float(r.total)] + gu.toArray() + gv.toArray()
        }
        let one = try run(threads: 1)
        for threads in [2, 3] {
            XCTAssertTrue(one.elementsEqual(try run(threads: threads)) { $0.bitPattern == $1.bitPattern }, "\(threads) threads")
        }
    }
}

import XCTest
import DropoutNet
import NeuralNet
import Numerics

/// Every loss's gradient against central finite differences, through the L2 normalisation of
/// raw tower outputs (the map the towers end with).
final class LossGradientTests: XCTestCase {
    /// Checks d total / d raw (users and items) for `params` on a random batch, scoring the
    /// negatives both with direct dot products and with the GEMM.
    private func check(_ params: LossParameters, batch b: Int = 10, dimension d: Int = 5, seed: UInt64 = 1,
                       weights: [Float]? = nil, labels: [Float]? = nil, normalise: Bool = true, loss makeLoss: () -> TrainingLoss,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        for strategy in [InBatchNegatives.ScoringStrategy.direct, .gemm] {
            try checkOne(params, batch: b, dimension: d, seed: seed, weights: weights, labels: labels, normalise: normalise, loss: {
                let l = makeLoss()
                l.negatives.strategy = strategy
                return l
            }, file: file, line: line)
        }
    }

    private func checkOne(_ params: LossParameters, batch b: Int = 10, dimension d: Int = 5, seed: UInt64 = 1,
                       weights: [Float]?, labels: [Float]?, normalise: Bool = true, loss makeLoss: () -> TrainingLoss,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        var batch = LossBatch.random(batch: b, dimension: d, seed: seed)
        batch.weights = weights
        if let labels { batch.labels = labels }
        let loss = makeLoss()
        func evaluate(_ xu: Matrix, _ xv: Matrix, _ gu: Matrix? = nil, _ gv: Matrix? = nil) throws -> (Double, Matrix, Matrix) {
            let u = normalise ? TestNormalization.forward(xu) : xu
            let v = normalise ? TestNormalization.forward(xv) : xv
            let r = try loss.compute(users: u, items: v, batch: batch, params: params, seed: 99, gradUsers: gu, gradItems: gv)
            return (r.total, u, v)
        }
        let gu = Matrix(rows: b, cols: d), gv = Matrix(rows: b, cols: d)
        let (value, u, v) = try evaluate(batch.rawUsers, batch.rawItems, gu, gv)
        XCTAssertTrue(value.isFinite && value > 0, "loss \(value)", file: file, line: line)
        let analyticU = normalise ? TestNormalization.backward(batch.rawUsers, u, gu) : gu
        let analyticV = normalise ? TestNormalization.backward(batch.rawItems, v, gv) : gv
        let eps: Float = 1e-3
        var worst = 0.0
        for (raw, analytic, name) in [(batch.rawUsers, analyticU, "user"), (batch.rawItems, analyticV, "item")] {
            for idx in 0..<raw.count {
                let keep = raw.data[idx]
                raw.data[idx] = keep + eps
                let plus = try evaluate(batch.rawUsers, batch.rawItems).0
                raw.data[idx] = keep - eps
                let minus = try evaluate(batch.rawUsers, batch.rawItems).0
                raw.data[idx] = keep
                let numeric = (plus - minus) / Double(2 * eps)
                let a = Double(analytic.data[idx])
                let err = abs(a - numeric)
                worst = max(worst, err)
                XCTAssertLessThan(err, 2e-3 + 2e-2 * abs(numeric),
                                  "\(name) [\(idx / d), \(idx % d)]: analytic \(a), numeric \(numeric)", file: file, line: line)
            }
        }
        // A gradient check that passes on an all-zero gradient proves nothing.
        let norm = (0..<b * d).reduce(0.0) { $0 + abs(Double(analyticU.data[$1])) + abs(Double(analyticV.data[$1])) }
        XCTAssertGreaterThan(norm, 1e-3, file: file, line: line)
    }

    func testSupportVectorSoftmaxGradient() throws {
        var p = LossParameters.only(.svsoftmax, m: 3, n: 2)
        p.gamma = 5; p.margin = 0.1; p.t = 1.2
        try check(p) { TrainingLoss(maxBatchSize: 10, maxNegatives: 3) }
    }

    func testSupportVectorSoftmaxGradientWithLogQMaskAndRandomShifts() throws {
        var p = LossParameters.only(.svsoftmax, m: 4)
        p.gamma = 4; p.margin = 0.2; p.t = 1.5
        p.shiftMode = .random; p.logQ = true; p.maskFalseNegatives = true
        let prior = ItemSamplingPrior(positiveCounts: [10, 1, 4, 7, 2, 30, 3])
        try check(p, seed: 4) {
            TrainingLoss(maxBatchSize: 10, maxNegatives: 4, samplingPrior: prior,
                         positives: PositiveLookupClosure { $0 == 1 && $1 == 2 })
        }
    }

    func testSupportVectorSoftmaxGradientManyNegatives() throws {
        var p = LossParameters.only(.svsoftmax, m: 6)
        p.gamma = 3; p.margin = 0.1; p.t = 1.2
        try check(p, seed: 6) { TrainingLoss(maxBatchSize: 10, maxNegatives: 6) }
    }

    func testPlainSoftmaxGradient() throws {
        var p = LossParameters.only(.softmax, m: 9)   // every other row: full in-batch softmax
        p.gamma = 6
        try check(p, seed: 2) { TrainingLoss(maxBatchSize: 10, maxNegatives: 9) }
    }

    func testPairwiseGradient() throws {
        try check(.only(.pairwise, m: 0), seed: 3) { TrainingLoss(maxBatchSize: 10, maxNegatives: 0) }
    }

    func testHardPairwiseGradient() throws {
        try check(.only(.hard_pairwise, m: 0), batch: 14, seed: 5) { TrainingLoss(maxBatchSize: 14, maxNegatives: 0) }
    }

    func testSigmoidGradient() throws {
        var p = LossParameters.only(.sigmoid, m: 0)
        p.gamma = 4
        try check(p, seed: 7) { TrainingLoss(maxBatchSize: 10, maxNegatives: 0) }
    }

    /// Classic DropoutNet: MSE of the raw dot product against a real-valued target.
    func testMeanSquaredErrorGradientOnRawScores() throws {
        try check(.only(.mse, m: 0), seed: 8, normalise: false) { TrainingLoss(maxBatchSize: 10, maxNegatives: 0) }
    }

    func testWeightedMixGradient() throws {
        var p = LossParameters()
        p[weightOf: .svsoftmax] = 1; p[weightOf: .softmax] = 0.3; p[weightOf: .pairwise] = 0.5; p[weightOf: .hard_pairwise] = 0.7
        p[weightOf: .sigmoid] = 0.2; p[weightOf: .mse] = 0.1
        p.gamma = 5; p.margin = 0.1; p.t = 1.2; p.negativesN = 3; p.negativesM = 3; p.logQ = false
        try check(p, batch: 12, seed: 9) { TrainingLoss(maxBatchSize: 12, maxNegatives: 3) }
    }

    /// Every loss with random sample weights (one row at 0): the weighted means' gradients.
    func testEveryLossGradientWithSampleWeights() throws {
        var sv = LossParameters.only(.svsoftmax, m: 3, n: 2)
        sv.gamma = 5; sv.margin = 0.1; sv.t = 1.2
        var sigmoid = LossParameters.only(.sigmoid, m: 0)
        sigmoid.gamma = 4
        let cases: [(String, LossParameters, Int, Bool)] = [
            ("svsoftmax", sv, 10, true), ("softmax", .only(.softmax, m: 9), 10, true), ("pairwise", .only(.pairwise, m: 0), 10, true),
            ("hard_pairwise", .only(.hard_pairwise, m: 0), 14, true), ("sigmoid", sigmoid, 10, true), ("mse", .only(.mse, m: 0), 10, false),
        ]
        for (name, p, b, normalise) in cases {
            let weights = LossBatch.randomWeights(count: b, seed: UInt64(b + name.count), zero: [2])
            try check(p, batch: b, seed: 5, weights: weights, normalise: normalise) {
                TrainingLoss(maxBatchSize: b, maxNegatives: max(p.negativesM, 1))
            }
        }
    }

    /// Graded labels send the global pairwise loss down its general path; weighted too.
    func testGeneralPairwiseGradientWithSampleWeights() throws {
        try check(.only(.pairwise, m: 0), seed: 3, weights: LossBatch.randomWeights(count: 10, seed: 8),
                  labels: (0..<10).map { Float($0 % 3) * 0.5 }) {
            TrainingLoss(maxBatchSize: 10, maxNegatives: 0)
        }
    }

    /// The L2 part: d(λ·Σ‖W‖²)/dW = 2λW, by finite differences on the penalty's value.
    func testL2PenaltyGradient() {
        let w = Parameter(name: "w", rows: 3, cols: 4, role: .kernel)
        var rng = SplitMix64(seed: 2)
        for i in 0..<w.value.count { w.value.data[i] = rng.nextGaussian() }
        L2Penalty.apply(lambda: 0.05, to: [w])
        for i in 0..<w.value.count {
            let keep = w.value.data[i]
            w.value.data[i] = keep + 1e-2
            let plus = L2Penalty.value(lambda: 0.05, matrices: [w.value])
            w.value.data[i] = keep - 1e-2
            let minus = L2Penalty.value(lambda: 0.05, matrices: [w.value])
            w.value.data[i] = keep
            XCTAssertEqual(Double(w.grad.data[i]), (plus - minus) / 2e-2, accuracy: 1e-4)
        }
    }
}

import XCTest
import DropoutNet
import Numerics

/// Timing of one loss step at the trainer's shape (batch 1024, D = 128), direct vs GEMM scoring.
/// Prints figures; runs only with DROPOUTNET_BENCH=1 so the suite stays fast on shared cores.
final class LossTimingTests: XCTestCase {
    func testStepTimingDirectVersusGEMM() throws {
        guard ProcessInfo.processInfo.environment["DROPOUTNET_BENCH"] == "1" else {
            throw XCTSkip("timing figures only with DROPOUTNET_BENCH=1")
        }
        let b = 1024, d = 128
        let batch = LossBatch.random(batch: b, dimension: d, seed: 1, userCount: 300, itemCount: 2000)
        let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
        let gu = Matrix(rows: b, cols: d), gv = Matrix(rows: b, cols: d)
        let prior = ItemSamplingPrior(positiveCounts: (0..<2000).map { 1 + $0 % 50 })
        func time(_ p: LossParameters, _ strategy: InBatchNegatives.ScoringStrategy) throws -> Double {
            let loss = TrainingLoss(maxBatchSize: b, maxNegatives: p.negativesM, samplingPrior: prior)
            loss.negatives.strategy = strategy
            for _ in 0..<3 { _ = try loss.compute(users: u, items: v, batch: batch, params: p, gradUsers: gu, gradItems: gv) }
            // The fastest of 20: the machine is shared, the minimum is the step's own cost.
            var best = Double.infinity
            for _ in 0..<20 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try loss.compute(users: u, items: v, batch: batch, params: p, gradUsers: gu, gradItems: gv)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return best
        }
        for m in [4, 16, 64, 128, 256, 1023] {
            var p = LossParameters()
            p[weightOf: .svsoftmax] = 1; p.negativesM = m; p.shiftMode = .random
            let direct = try time(p, .direct), gemm = try time(p, .gemm)
            print(String(format: "svsoftmax B=%d D=%d M=%4d: direct %.3f ms, gemm %.3f ms", b, d, m, direct, gemm))
        }
        for kind in [Settings.LossKind.pairwise, .hard_pairwise, .sigmoid] {
            let ms = try time(.only(kind, m: 0), .automatic)
            print(String(format: "%@ B=%d D=%d: %.3f ms", kind.rawValue, b, d, ms))
        }
    }

    /// Runs LOSS_STEPS steps of every loss at once (mask, logQ, random shifts, sample weights):
    /// run it under a heap profiler with two step counts to see that extra steps allocate nothing.
    func testRepeatedStepsForAllocationProbe() throws {
        guard let steps = ProcessInfo.processInfo.environment["LOSS_STEPS"].flatMap(Int.init) else {
            throw XCTSkip("allocation probe only with LOSS_STEPS=n")
        }
        let b = 1024, d = 128   // large enough that the loops split across threads
        let batch = LossBatch.random(batch: b, dimension: d, seed: 1, userCount: 40, itemCount: 300)
        let u = TestNormalization.forward(batch.rawUsers), v = TestNormalization.forward(batch.rawItems)
        let gu = Matrix(rows: b, cols: d), gv = Matrix(rows: b, cols: d)
        let lookup = SortedUserPositives(userCount: 40, users: batch.userIDs, items: batch.itemIDs,
                                         labels: batch.labels.map { UInt8($0) }, interactions: (0..<Int32(b)).map { $0 })
        let loss = TrainingLoss(maxBatchSize: b, maxNegatives: 4,
                                samplingPrior: ItemSamplingPrior(positiveCounts: (0..<300).map { $0 % 7 }), positives: lookup)
        var p = LossParameters()
        p[weightOf: .svsoftmax] = 1; p[weightOf: .softmax] = 1; p[weightOf: .pairwise] = 1; p[weightOf: .hard_pairwise] = 1
        p[weightOf: .sigmoid] = 1; p[weightOf: .mse] = 1; p.shiftMode = .random; p.maskFalseNegatives = true
        var rng = SplitMix64(seed: 3)
        let weights = LossBatch.randomWeights(count: b, seed: 4, zero: [7])
        try batch.labels.withUnsafeBufferPointer { labels in
            try batch.userIDs.withUnsafeBufferPointer { uid in
                try batch.itemIDs.withUnsafeBufferPointer { iid in
                    try weights.withUnsafeBufferPointer { w in
                        for _ in 0..<steps {
                            _ = try loss.compute(users: u, items: v, labels: labels, userIDs: uid, itemIDs: iid, sampleWeights: w,
                                                 params: p, rng: &rng, gradUsers: gu, gradItems: gv)
                        }
                    }
                }
            }
        }
    }
}

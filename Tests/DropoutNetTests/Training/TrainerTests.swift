import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

final class TrainerTests: XCTestCase {
    func testSameSeedSameLossesWithOneThread() throws {
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = saved }
        func losses(seed: UInt64) throws -> [Double] {
            let t = try Trainer(data: TrainingFixture.data, settings: TrainingFixture.settings(seed: seed))
            return try (0..<30).map { _ in try t.trainStep().total }
        }
        let a = try losses(seed: 5), b = try losses(seed: 5), c = try losses(seed: 6)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testBatchesCoverEveryInteractionOncePerEpoch() throws {
        let d = TrainingFixture.data
        let sampler = try BatchSampler(users: d.trainUsers, items: Array(0..<Int32(d.trainUsers.count)),
                                       labels: d.trainLabels, batchSize: 64, rng: SplitMix64(seed: 1))
        var seen = Set<Int32>()
        for _ in 0..<sampler.stepsPerEpoch {
            sampler.next()
            seen.formUnion(sampler.itemIDs)
        }
        XCTAssertEqual(seen.count, sampler.stepsPerEpoch * 64, "no interaction twice in an epoch")
        XCTAssertEqual(sampler.stepsPerEpoch, d.trainUsers.count / 64, "the partial batch is dropped")
    }

    /// `batching = grouped` reaches the sampler: the hard-negative loss finds many more of a
    /// user's (positive, shown-not-clicked) pairs per step than in shuffled batches.
    func testGroupedBatchingGivesTheHardPairwiseLossMorePairs() throws {
        func meanPairs(_ batching: Settings.Batching) throws -> Double {
            var s = TrainingFixture.settings()
            try s.set("loss", "svsoftmax,hard_pairwise")
            s.batching = batching
            let t = try Trainer(data: TrainingFixture.data, settings: s)
            XCTAssertEqual((t.sampler as? BatchSampler)?.batching, batching)
            return Double(try (0..<20).map { _ in try t.trainStep().terms[.hard_pairwise] }.reduce(0, +)) / 20
        }
        let shuffled = try meanPairs(.shuffled), grouped = try meanPairs(.grouped)
        XCTAssertGreaterThan(grouped, 10 * max(shuffled, 1), "grouped \(grouped) vs shuffled \(shuffled) pairs per batch")
    }

    /// `weight_average`: validation ranks with (and keeps as best) the moving average of the
    /// weights, while training goes on from the weights the optimizer wrote; 0 keeps those.
    func testValidationKeepsTheAveragedWeightsAndTrainingItsOwn() throws {
        for decay in [0.9, 0] {
            var s = TrainingFixture.settings(epochs: 1)
            s.weightAverage = decay
            let t = try Trainer(data: TrainingFixture.data, settings: s)
            for _ in 0..<40 { try t.trainStep() }
            let params = t.model.trainableParameters
            let raw = params.map { $0.value.toArray() }
            let averaged = t.weightAverage?.withAverage(in: params) { params.map { $0.value.toArray() } }
            XCTAssertEqual(t.weightAverage == nil, decay == 0)
            t.evaluateValidation(scope: .sample)
            XCTAssertEqual(params.map { $0.value.toArray() }, raw, "training continues from its own weights")
            try t.trainStep()
            t.restoreBest()
            let kept = params.map { $0.value.toArray() }
            if let averaged {
                XCTAssertEqual(kept, averaged, "the best weights are the average validation scored")
                XCTAssertNotEqual(kept, raw)
                // Restored best weights are the model's: rankings no longer swap an average in.
                XCTAssertEqual(t.withAveragedWeights { params.map { $0.value.toArray() } }, kept)
            } else {
                XCTAssertEqual(kept, raw)
            }
        }
    }

    /// A run that never scored a validation (no validation users) tests the average it would have
    /// evaluated: `restoreBest` writes it into the model, so the baselines, the few-shot curve and
    /// the checkpoint read the same weights as the test.
    func testWithoutAScoredValidationTheAverageIsWhatIsTested() throws {
        var s = TrainingFixture.settings(epochs: 1)
        s.weightAverage = 0.9
        let t = try Trainer(data: TrainingFixture.data, settings: s)
        for _ in 0..<30 { try t.trainStep() }
        let params = t.model.trainableParameters
        let raw = params.map { $0.value.toArray() }
        let averaged = t.withAveragedWeights { params.map { $0.value.toArray() } }
        XCTAssertNotEqual(averaged, raw)
        XCTAssertTrue(t.bestWeights.isEmpty)
        t.restoreBest()
        XCTAssertEqual(params.map { $0.value.toArray() }, averaged)
        XCTAssertEqual(t.withAveragedWeights { params.map { $0.value.toArray() } }, averaged, "no average left to swap in")
    }

    func testBatchLargerThanTheDataIsAClearError() {
        var s = TrainingFixture.settings()
        s.batchSize = 1_000_000
        XCTAssertThrowsError(try Trainer(data: TrainingFixture.data, settings: s)) { e in
            XCTAssertTrue("\(e)".contains("batch_size"), "\(e)")
        }
    }

    func testLossFallsAndColdItemsBeatPopularity() throws {
        let t = try Trainer(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 4))
        var first = 0.0, last = 0.0
        let n = t.totalSteps
        for i in 0..<n {
            let l = try t.trainStep().total
            if i < 10 { first += l / 10 }
            if i >= n - 10 { last += l / 10 }
        }
        XCTAssertLessThan(last, first * 0.9)
        let (test, baselines) = t.finish()
        let model = try XCTUnwrap(test.report["cold_item"]?.recall(at: 10))
        let pop = try XCTUnwrap(baselines["popularity"]?["cold_item"]?.recall(at: 10))
        XCTAssertGreaterThan(model, pop + 0.1, "content must carry cold items (model \(model), popularity \(pop))")
    }
}

import NeuralNet
import XCTest
@testable import DropoutNet

/// `lr_decay` / `lr_decay_every` reach the optimizer: the rate each step trains with.
final class LearningRateScheduleTests: XCTestCase {
    func testStepDecayHalvesTheOptimizersRateEveryThirdStep() throws {
        var s = TrainingFixture.settings()
        s.lr = 0.01
        try s.set("lr_decay", "0.5")
        try s.set("lr_decay_every", "3")
        let t = try Trainer(data: TrainingFixture.data, settings: s)
        var rates: [Float] = []
        for _ in 0..<7 {
            try t.trainStep()
            rates.append(t.optimizer.learningRate)
        }
        XCTAssertEqual(rates, [0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025])
    }

    func testNoDecayUnlessBothSettingsAskForIt() throws {
        var s = Settings()
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .constant)
        s.lrDecay = 0.5
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .constant, "lr_decay_every = 0: no decay")
        s.lrDecayEvery = 100
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .stepDecay(factor: 0.5, every: 100))
        s.lrDecay = 1
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .constant)
    }

    /// `lr_decay_at` is a fraction of the run, so the same setting decays a short run and a long
    /// one at the same point; a step count in `lr_decay_every` wins over it.
    func testDecayAtAFractionOfTheRun() throws {
        var s = Settings()
        s.lrDecay = 0.1
        s.lrDecayAt = 0.67
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .stepDecay(factor: 0.1, every: 670))
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 30), .stepDecay(factor: 0.1, every: 20))
        let long = LearningRateSchedule(settings: s, totalSteps: 17_760)
        XCTAssertEqual(long.rate(base: 0.02, step: 11_898), 0.02)
        XCTAssertEqual(long.rate(base: 0.02, step: 11_899), Float(0.002))
        XCTAssertEqual(long.rate(base: 0.02, step: 17_759), Float(0.002), "0.67: a single decay within the run")
        s.lrDecayEvery = 50
        XCTAssertEqual(LearningRateSchedule(settings: s, totalSteps: 1000), .stepDecay(factor: 0.1, every: 50))
    }
}

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
        XCTAssertEqual(LearningRateSchedule(settings: s), .constant)
        s.lrDecay = 0.5
        XCTAssertEqual(LearningRateSchedule(settings: s), .constant, "lr_decay_every = 0: no decay")
        s.lrDecayEvery = 100
        XCTAssertEqual(LearningRateSchedule(settings: s), .stepDecay(factor: 0.5, every: 100))
        s.lrDecay = 1
        XCTAssertEqual(LearningRateSchedule(settings: s), .constant)
    }
}

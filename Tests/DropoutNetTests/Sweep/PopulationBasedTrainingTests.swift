import XCTest
import Numerics
@testable import DropoutNet

/// Population-based training's rules on hand-made tables: who copies whom, and how far explore
/// moves a setting.
final class PopulationBasedTrainingTests: XCTestCase {
    func testTheWeakerHalfCopiesTheStrongerHalfWorstFromBest() {
        let table: [Int: Double?] = [1: 0.30, 2: 0.10, 3: 0.25, 4: 0.05, 5: nil]
        // Ranked 1, 3, 2, 4, 5: the two weakest copy the two strongest, the middle one stays.
        XCTAssertEqual(PopulationBasedTraining.exploit(table), [5: 1, 4: 3])
        XCTAssertEqual(PopulationBasedTraining.exploit([1: 0.2, 2: 0.4]), [1: 2])
    }

    func testEqualMembersCopyNobodyAndTiesRankByNumber() {
        XCTAssertEqual(PopulationBasedTraining.exploit([1: 0.2, 2: 0.2, 3: 0.2, 4: 0.2]), [:], "nobody is strictly better")
        XCTAssertEqual(PopulationBasedTraining.exploit([1: nil, 2: nil]), [:])
        // 3 and 4 tie at the top: 3 ranks first, so the weakest (1) copies 3 and 2 copies 4.
        XCTAssertEqual(PopulationBasedTraining.exploit([1: 0.1, 2: 0.15, 3: 0.3, 4: 0.3]), [1: 3, 2: 4])
    }

    static let parameters = [
        SweepParameter(key: "lr", domain: .range(low: 1e-4, high: 1e-2, log: true, integer: false)),
        SweepParameter(key: "item_dropout", domain: .range(low: 0.1, high: 0.9, log: false, integer: false)),
        SweepParameter(key: "negatives.m", domain: .range(low: 2, high: 16, log: false, integer: true)),
        SweepParameter(key: "loss", domain: .choices(["svsoftmax", "pairwise", "softmax"])),
    ]

    func testExploreScalesByAFifthAndStaysInsideTheRanges() {
        let rule = PopulationBasedTraining(resample: 0.3)
        var rng = SplitMix64(seed: 9)
        var values = ["lr": "0.009", "item_dropout": "0.85", "negatives.m": "3", "loss": "svsoftmax"]
        var lossChanges = 0
        for _ in 0..<400 {
            let next = rule.explore(values, parameters: Self.parameters, rng: &rng)
            let lr = Double(next["lr"]!)!, old = Double(values["lr"]!)!
            XCTAssertTrue((1e-4...1e-2).contains(lr), "lr \(lr)")
            XCTAssertTrue(lr == 1e-2 || lr == 1e-4 || abs(lr / old - 0.8) < 1e-3 || abs(lr / old - 1.2) < 1e-3, "\(old) → \(lr)")
            XCTAssertTrue((0.1...0.9).contains(Double(next["item_dropout"]!)!))
            let m = Int(next["negatives.m"]!)!
            XCTAssertTrue((2...16).contains(m))
            XCTAssertNotEqual(m, Int(values["negatives.m"]!)!, "a whole number moves by at least one")
            XCTAssertTrue(["svsoftmax", "pairwise", "softmax"].contains(next["loss"]!))
            if next["loss"] != values["loss"] { lossChanges += 1 }
            values = next
        }
        // Redrawn with probability 0.3, to a different choice 2 times in 3: about 80 of 400.
        XCTAssertTrue((40...130).contains(lossChanges), "\(lossChanges)")
        var again = SplitMix64(seed: 9)
        let none = PopulationBasedTraining(resample: 0)
        XCTAssertEqual(none.explore(["loss": "pairwise"], parameters: Self.parameters, rng: &again), ["loss": "pairwise"])
    }

    func testARoundsDrawsDependOnTheSeedStepAndMemberOnly() {
        let rule = PopulationBasedTraining()
        let v = ["lr": "0.001", "item_dropout": "0.5", "negatives.m": "8", "loss": "pairwise"]
        var a = PopulationBasedTraining.generator(seed: 3, step: 40, member: 2)
        var b = PopulationBasedTraining.generator(seed: 3, step: 40, member: 2)
        XCTAssertEqual(rule.explore(v, parameters: Self.parameters, rng: &a), rule.explore(v, parameters: Self.parameters, rng: &b))
        let draws = (1...8).map { m -> [String: String] in
            var g = PopulationBasedTraining.generator(seed: 3, step: 40, member: m)
            return rule.explore(v, parameters: Self.parameters, rng: &g)
        }
        XCTAssertGreaterThan(Set(draws.map { $0["lr"]! }).count, 1, "members draw differently")
    }
}

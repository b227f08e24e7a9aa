import XCTest
@testable import DropoutNet

/// ASHA's rungs and its promotion rule on hand-made tables.
final class ASHATests: XCTestCase {
    func testRungsGrowByTheReductionFactorBelowTheLastStep() {
        XCTAssertEqual(ASHA(minSteps: 200, reductionFactor: 3).rungs(totalSteps: 1850), [200, 600, 1800])
        XCTAssertEqual(ASHA(minSteps: 200, reductionFactor: 3).rungs(totalSteps: 1800), [200, 600])
        XCTAssertEqual(ASHA(minSteps: 500, reductionFactor: 2).rungs(totalSteps: 400), [])
    }

    func testATrialGoesOnOnlyInTheTopThirdOnceThreeHaveReachedTheRung() {
        let rule = ASHA(minSteps: 10, reductionFactor: 3)
        var table = ASHATable()
        // Arrival order: 0.5, 0.3 (fewer than η there: both go on), 0.4 (third of 3: top 1 is 0.5),
        // 0.6 (best of 4: top 1), 0.55 (5: top 1 is 0.6), 0.7, then 0.58 with 7 values: top 2 = 0.7, 0.6.
        let arrivals: [(Int, Double, Bool)] = [(1, 0.5, true), (2, 0.3, true), (3, 0.4, false), (4, 0.6, true),
                                               (5, 0.55, false), (6, 0.7, true), (7, 0.58, false), (8, 0.65, true)]
        for (trial, value, expected) in arrivals {
            XCTAssertEqual(table.record(trial: trial, rung: 0, value: value, rule: rule), expected, "trial \(trial) (\(value))")
        }
        // Rungs are judged separately.
        XCTAssertTrue(table.record(trial: 1, rung: 1, value: 0.1, rule: rule))
    }

    func testTiesGoOnAndATrialVotesOncePerRung() {
        let rule = ASHA(minSteps: 10, reductionFactor: 2)
        var table = ASHATable()
        XCTAssertTrue(table.record(trial: 1, rung: 0, value: 0.5, rule: rule))
        XCTAssertTrue(table.record(trial: 2, rung: 0, value: 0.5, rule: rule), "a tie with the top half goes on")
        XCTAssertFalse(table.record(trial: 3, rung: 0, value: 0.4, rule: rule))
        XCTAssertFalse(table.record(trial: 3, rung: 0, value: 0.9, rule: rule), "the first value at a rung counts")
        XCTAssertEqual(table.values[0]?.count, 3)
    }
}

import XCTest
@testable import DropoutNet

/// Scheduled validations keep within `eval_budget` of the active time: an expensive one makes
/// the next due ones wait until training has caught up.
final class EvaluationCadenceTests: XCTestCase {
    func testTheFirstValidationRunsThenTheBudgetDecides() {
        var c = EvaluationCadence()
        XCTAssertTrue(c.allows(budget: 0.1, trainingSeconds: 0), "nothing measured yet")
        c.record(seconds: 2)
        // With 2 s more, validations would be 4 of 4 + T s: T must be at least 36 s for 10%.
        XCTAssertFalse(c.allows(budget: 0.1, trainingSeconds: 10))
        XCTAssertFalse(c.allows(budget: 0.1, trainingSeconds: 35.9))
        XCTAssertTrue(c.allows(budget: 0.1, trainingSeconds: 36))
        XCTAssertTrue(c.allows(budget: 0, trainingSeconds: 0), "0: every due validation runs")
        XCTAssertTrue(c.allows(budget: 1, trainingSeconds: 0))
    }

    /// Simulated run: a validation costs 50 steps' time and one is due every 10 steps; the
    /// share spent validating ends within the budget, not at the 83% an unbudgeted run pays.
    func testAnExpensiveValidationThinsTheCurveToTheBudget() {
        var c = EvaluationCadence()
        let step = 0.01, validation = 0.5
        var training = 0.0, evaluated = 0
        for s in 1...10_000 {
            training += step
            if s % 10 == 0 && c.allows(budget: 0.1, trainingSeconds: training) {
                c.record(seconds: validation)
                evaluated += 1
            }
        }
        let share = c.seconds / (training + c.seconds)
        XCTAssertLessThanOrEqual(share, 0.1 + 1e-9)
        XCTAssertGreaterThan(share, 0.09, "the budget is used, not starved")
        XCTAssertGreaterThan(evaluated, 10)
    }
}

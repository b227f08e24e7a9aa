import XCTest
@testable import DropoutNet

/// The searchers on functions whose optimum is known.
final class SearcherTests: XCTestCase {
    static let parameters = [
        SweepParameter(key: "x", domain: .range(low: -1, high: 1, log: false, integer: false)),
        SweepParameter(key: "y", domain: .range(low: -1, high: 1, log: false, integer: false)),
    ]

    /// A 2-D quadratic with its peak (0) at (0.3, −0.2).
    static func quadratic(_ v: [String: String]) -> Double {
        let x = Double(v["x"]!)!, y = Double(v["y"]!)!
        return -((x - 0.3) * (x - 0.3) + (y + 0.2) * (y + 0.2))
    }

    /// Trials until one comes within 0.1 of the optimum (f ≥ −0.01), at most `cap`.
    static func trialsToOptimum(_ searcher: SweepSearcher, cap: Int = 300) -> Int {
        var history: [SweepObservation] = []
        for n in 1...cap {
            let v = searcher.suggest(trial: n, history: history)!
            let f = quadratic(v)
            if f >= -0.01 { return n }
            history.append(SweepObservation(trial: n, values: v, objective: f))
        }
        return cap
    }

    func testTPEFindsTheOptimumOfAQuadraticInFewerTrialsThanRandom() {
        var tpe = 0, random = 0
        for seed in UInt64(1)...5 {
            tpe += Self.trialsToOptimum(TPESearcher(parameters: Self.parameters, seed: seed))
            random += Self.trialsToOptimum(RandomSearcher(parameters: Self.parameters, seed: seed))
        }
        XCTAssertLessThan(tpe * 2, random, "TPE \(tpe) trials over 5 seeds, random \(random)")
    }

    func testProposalsDependOnlyOnSeedTrialAndHistory() {
        let history = (1...8).map { SweepObservation(trial: $0, values: ["x": "\(Double($0) / 10)", "y": "0"], objective: -Double($0)) }
        let a = TPESearcher(parameters: Self.parameters, seed: 9), b = TPESearcher(parameters: Self.parameters, seed: 9)
        XCTAssertEqual(a.suggest(trial: 9, history: history), b.suggest(trial: 9, history: Array(history.reversed())))
        XCTAssertNotEqual(a.suggest(trial: 9, history: history), a.suggest(trial: 10, history: history))
        XCTAssertEqual(RandomSearcher(parameters: Self.parameters, seed: 4).suggest(trial: 3, history: []),
                       RandomSearcher(parameters: Self.parameters, seed: 4).suggest(trial: 3, history: history))
    }

    func testTPEPrefersTheChoiceThatWon() {
        let p = [SweepParameter(key: "loss", domain: .choices(["a", "b", "c"]))]
        let history = (1...12).map { SweepObservation(trial: $0, values: ["loss": ["a", "b", "c"][$0 % 3]], objective: $0 % 3 == 1 ? 1 : 0) }
        let picks = (13...32).compactMap { TPESearcher(parameters: p, seed: 2).suggest(trial: $0, history: history)?["loss"] }
        XCTAssertGreaterThan(picks.filter { $0 == "b" }.count, 15, "\(picks)")
    }

    func testGridEnumeratesEveryCombinationOnce() {
        let p = [
            SweepParameter(key: "loss", domain: .choices(["svsoftmax", "pairwise"])),
            SweepParameter(key: "lr", domain: .range(low: 1e-4, high: 1e-2, log: true, integer: false), gridPoints: 3),
            SweepParameter(key: "negatives.m", domain: .range(low: 2, high: 3, log: false, integer: true), gridPoints: 5),
        ]
        let grid = GridSearcher(parameters: p)
        XCTAssertEqual(p[1].gridValues, ["0.0001", "0.001", "0.01"])
        XCTAssertEqual(p[2].gridValues, ["2", "3"], "whole numbers are not repeated")
        XCTAssertEqual(grid.size, 12)
        let all = (1...12).map { grid.suggest(trial: $0, history: [])! }
        XCTAssertEqual(Set(all.map { "\($0["loss"]!) \($0["lr"]!) \($0["negatives.m"]!)" }).count, 12)
        XCTAssertEqual(all[0], ["loss": "svsoftmax", "lr": "0.0001", "negatives.m": "2"])
        XCTAssertEqual(all[1], ["loss": "svsoftmax", "lr": "0.0001", "negatives.m": "3"], "the last parameter varies fastest")
        XCTAssertNil(grid.suggest(trial: 13, history: []))
    }

    func testRangesStayInsideAndIntegersAreWhole() {
        let p = SweepParameter(key: "negatives.m", domain: .range(low: 2, high: 64, log: true, integer: true))
        let values = (0..<200).map { p.value(unit: Double($0) / 200) }
        XCTAssertTrue(values.allSatisfy { Int($0).map { (2...64).contains($0) } ?? false }, "\(values)")
        XCTAssertEqual(p.value(unit: 0), "2")
    }
}

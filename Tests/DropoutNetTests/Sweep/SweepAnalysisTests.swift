import XCTest
import Numerics
@testable import DropoutNet

/// The Pareto front, the importance of settings and the leaderboard's order.
final class SweepAnalysisTests: XCTestCase {
    func testTheFrontKeepsExactlyTheUndominatedPoints() {
        let points: [(x: Double, y: Double)] = [(0.5, 0.1), (0.4, 0.3), (0.45, 0.2), (0.3, 0.3), (0.2, 0.5), (0.45, 0.15), (0.1, 0.5)]
        XCTAssertEqual(ParetoFront.indices(of: points), [4, 1, 2, 0])
        XCTAssertEqual(ParetoFront.indices(of: [(0.3, 0.3), (0.3, 0.3)]), [0, 1], "equal points are both on the front")
        XCTAssertEqual(ParetoFront.indices(of: []), [])
    }

    func testTrialsOnTheFrontUseWarmAndTheMeanOfTheColdSplits() {
        func trial(_ n: Int, _ warm: Double, _ cu: Double, _ ci: Double, _ s: SweepTrialStatus = .finished) -> SweepTrial {
            var r = SweepTrialResult()
            r.validation = ["warm": warm, "cold_user": cu, "cold_item": ci]
            return SweepTrial(number: n, run: nil, status: s, values: [:], result: r)
        }
        let trials = [trial(1, 0.5, 0.1, 0.1), trial(2, 0.3, 0.375, 0.125), trial(3, 0.3, 0.125, 0.375), trial(4, 0.2, 0.2, 0.2),
                      trial(5, 0.9, 0.9, 0.9, .running)]
        XCTAssertEqual(SweepAnalysis.paretoFront(trials), [2, 3, 1], "trials 2 and 3 tie at cold 0.25; running trials are left out")
    }

    func testImportanceFindsThePlantedSetting() {
        // objective = 2·lr-ish + loss bonus; "noise" does nothing.
        let params = [
            SweepParameter(key: "a", domain: .range(low: 0, high: 1, log: false, integer: false)),
            SweepParameter(key: "noise", domain: .range(low: 0, high: 1, log: false, integer: false)),
            SweepParameter(key: "loss", domain: .choices(["p", "q"])),
        ]
        var rng = SplitMix64(seed: 5)
        var values: [[String: String]] = [], objectives: [Double] = []
        for i in 0..<60 {
            let a = rng.nextDouble(), noise = rng.nextDouble(), loss = i % 2 == 0 ? "p" : "q"
            values.append(["a": String(a), "noise": String(noise), "loss": loss])
            objectives.append(2 * a + (loss == "q" ? 0.4 : 0))
        }
        let shares = Dictionary(uniqueKeysWithValues: SettingImportance.shares(values: values, objectives: objectives, parameters: params).map { ($0.key, $0.share) })
        XCTAssertGreaterThan(shares["a"]!, 0.7)
        XCTAssertLessThan(shares["noise"]!, 0.15)
        XCTAssertGreaterThan(shares["loss"]!, 0.05)
        XCTAssertLessThan(shares["loss"]!, shares["a"]!)
        XCTAssertEqual(SettingImportance.shares(values: Array(values.prefix(2)), objectives: Array(objectives.prefix(2)), parameters: params).map(\.share), [0, 0, 0])
    }

    func testTheLeaderboardRanksByObjectiveWithTrialsWithoutOneLast() {
        func trial(_ n: Int, _ o: Double?) -> SweepTrial {
            var r = SweepTrialResult(); r.objective = o
            return SweepTrial(number: n, run: nil, status: o == nil ? .failed : .finished, values: [:], result: r)
        }
        XCTAssertEqual(SweepAnalysis.ranked([trial(1, 0.2), trial(2, nil), trial(3, 0.5), trial(4, 0.2)]).map(\.number), [3, 1, 4, 2])
    }
}

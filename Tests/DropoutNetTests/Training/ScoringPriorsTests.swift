import Numerics
import XCTest
@testable import DropoutNet

/// The trainer scores each split with only the prior that reaches its pairs; that must rank
/// exactly as every prior's columns together do (what exports, `recommend` and the explorer use).
final class ScoringPriorsTests: XCTestCase {
    func testPerSplitScoringMatchesTheFullRankingEmbeddings() throws {
        let t = try Trainer(data: TrainingFixture.data, settings: PriorFixtures.wmfSettings())
        for _ in 0..<10 { try t.trainStep() }
        t.coldUserPrior = ColdUserPrior(weight: 0.7, map: try XCTUnwrap(t.coldUserMap))
        t.coldItemPrior = ColdItemPrior(weight: 0.4, map: try XCTUnwrap(t.coldItemMap))
        t.warmPrior = WarmPrior(weight: 0.3, factors: try XCTUnwrap(t.rawWMFFactors))
        let perSplit = t.evaluateTest().report
        let ranking = t.rankingEmbeddings()
        XCTAssertEqual(ranking.users.cols, t.model.embeddingDim + t.priors.width)
        let evaluator = Evaluator(targets: t.data.evaluationTargets(EvaluationSplit.test), ks: [10, 20], itemCount: t.data.itemCount)
        let full = evaluator.evaluate(userEmbeddings: ranking.users, itemEmbeddings: ranking.items)
        for split in EvaluationSplit.test.map(\.rawValue) {
            let a = try XCTUnwrap(perSplit[split]?.recall(at: 20)), b = try XCTUnwrap(full[split]?.recall(at: 20))
            XCTAssertEqual(a, b, accuracy: 1e-6, split)
        }
    }
}

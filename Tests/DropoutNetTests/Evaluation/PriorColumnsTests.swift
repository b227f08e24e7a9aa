import Numerics
import XCTest
@testable import DropoutNet

/// `ScoringPriors`: the four priors' columns appended together, in one pass.
final class PriorColumnsTests: XCTestCase {
    /// Every pair's score with all four priors is the towers' score plus each prior's own
    /// term, as each prior adds it alone: the joint columns neither lose nor mix a prior.
    func testAllFourPriorsTogetherAddEachPriorsOwnTerm() throws {
        let data = TrainingFixture.data
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 4, seed: 11, centered: true)
        let itemContent = ContentAffinity.fit(data: data, seed: 1)
        let priors = ScoringPriors(coldUser: ColdUserPrior(weight: 0.5, map: ContentPopularity.fit(data: data, k: 20, seed: 1)),
                                   coldItem: ColdItemPrior(weight: 0.25, map: itemContent),
                                   warm: WarmPrior(weight: 2, factors: ClassicModelTests.fixtureWMF),
                                   warmContent: WarmContentPrior(weight: 0.75, map: itemContent))
        let (ru, rv) = priors.rankingEmbeddings(users: u, items: v, data: data)
        XCTAssertEqual(ru.cols, 4 + priors.width)
        XCTAssertEqual(rv.cols, 4 + priors.width)
        let alone = [ScoringPriors(coldUser: priors.coldUser), ScoringPriors(coldItem: priors.coldItem), ScoringPriors(warm: priors.warm),
                     ScoringPriors(warmContent: priors.warmContent)]
            .map { $0.rankingEmbeddings(users: u, items: v, data: data) }
        let dot = PriorFixtures.dot
        let pick = { (known: [Bool], want: Bool) in try XCTUnwrap(known.indices.first { known[$0] == want }) }
        for user in [try pick(data.isKnownUser, true), try pick(data.isKnownUser, false)] {
            for item in [try pick(data.isKnownItem, true), try pick(data.isKnownItem, false)] {
                let towers = dot(u, user, v, item)
                let expected = towers + alone.map { dot($0.users, user, $0.items, item) - towers }.reduce(0, +)
                XCTAssertEqual(dot(ru, user, rv, item), expected, accuracy: 1e-3, "user \(user), item \(item)")
            }
        }
        XCTAssertEqual(ScoringPriors().rankingEmbeddings(users: u, items: v, data: data).users.cols, 4, "no prior, no columns")
    }
}

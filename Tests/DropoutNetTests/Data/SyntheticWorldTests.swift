import XCTest
import Numerics
@testable import DropoutNet

final class SyntheticWorldTests: XCTestCase {
    func testGeneratorWritesALoadableWorldDeterministically() throws {
        var o = SyntheticWorld.Options()
        o.users = 300; o.items = 200; o.interactions = 6_000; o.oracleTopK = 5
        let a = try DataFixture.directory([:]), b = try DataFixture.directory([:])
        defer { DataFixture.remove(a); DataFixture.remove(b) }
        let summary = try SyntheticWorld(options: o).write(to: a)
        try SyntheticWorld(options: o).write(to: b)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a + "/interactions.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: b + "/interactions.csv")), "same seed, same data")
        let d = try DataFixture.load(a)
        XCTAssertEqual(d.userCount, 300)
        XCTAssertEqual(d.interactionCount, summary.interactions)
        XCTAssertEqual(Double(summary.interactions), 6_000, accuracy: 600)
        XCTAssertEqual(d.positiveCount, summary.positives)
        let ctr = Double(summary.positives) / Double(summary.interactions)
        XCTAssertTrue(ctr > 0.15 && ctr < 0.6, "click-through rate \(ctr)")
        // No user sees the same item twice (splits would otherwise leak).
        XCTAssertEqual(Set(zip(d.users, d.items).map { Int64($0) << 32 | Int64($1) }).count, d.interactionCount)
        let oracle = try String(contentsOfFile: a + "/oracle.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(oracle.count, 301)
        XCTAssertEqual(oracle[1].split(separator: ",")[1].split(separator: "|").count, 5)
        XCTAssertNotNil(d.itemContent.title(0))
    }

    /// The bundled sample must reward content: simple content scorers beat popularity clearly
    /// on cold items and cold users (otherwise the workbench's demo shows nothing).
    func testSampleDataContentBeatsPopularityOnColdSplits() throws {
        let d = SplitTests.sample
        let data = try TrainingData.prepare(dataset: d, split: Splitter.make(d, SplitOptions()))
        let evaluator = Evaluator(targets: data.evaluationTargets(), ks: [20], itemCount: d.itemCount)
        let pop = PopularityBaseline.embeddings(userCount: d.userCount, itemPositiveCounts: data.itemPopularity)
        func recall(_ split: EvaluationSplit, _ users: Matrix, _ items: Matrix) -> Double {
            evaluator.evaluate(data.evaluationTarget(split), userEmbeddings: users, itemEmbeddings: items)!.recall(at: 20)!
        }
        // Cold items: a user's profile is the mean content of their training positives.
        let itemContent = data.itemFeatures.sparse.toDense()
        let profiles = Matrix(rows: d.userCount, cols: itemContent.cols)
        for u in 0..<d.userCount {
            for i in data.trainPositives[u] { for c in 0..<itemContent.cols { profiles[u, c] += itemContent[Int(i), c] } }
        }
        let coldItemContent = recall(.coldItem, profiles, itemContent)
        // Popularity cannot rank never-seen items (all score 0), so the bar is a random pick.
        let coldItemCandidates = Double(data.candidates[.coldItem]!.count)
        let coldItemRandom = 20 / coldItemCandidates
        // Cold users: a bilinear content model fitted by counting, score = Σ_f,g x_uf · lift(f, g) · x_ig
        // + log popularity, where lift(f, g) is how much more often users with attribute f click
        // items with content feature g than users at large.
        let userContent = data.userFeatures.sparse.toDense()
        let f = userContent.cols, g = itemContent.cols
        var pairCounts = [Double](repeating: 0, count: f * g), itemFeatureClicks = [Double](repeating: 0, count: g)
        var userFeatureClicks = [Double](repeating: 0, count: f)
        for (u, i) in zip(data.positiveUsers, data.positiveItems) {
            for c in 0..<g where itemContent[Int(i), c] != 0 {
                let x = Double(itemContent[Int(i), c])
                itemFeatureClicks[c] += x
                for a in 0..<f where userContent[Int(u), a] != 0 { pairCounts[a * g + c] += x }
            }
            for a in 0..<f { userFeatureClicks[a] += Double(userContent[Int(u), a]) }
        }
        let positives = Double(data.positiveUsers.count)
        let itemSide = Matrix(rows: d.itemCount, cols: f + 1), userSide = Matrix(rows: d.userCount, cols: f + 1)
        for i in 0..<d.itemCount {
            itemSide[i, 0] = Float(log(Double(data.itemPopularity[i]) + 1))
            var weight = 0.0
            for c in 0..<g { weight += Double(itemContent[i, c]) }
            guard weight > 0 else { continue }
            for a in 0..<f {
                var s = 0.0
                for c in 0..<g where itemContent[i, c] != 0 {
                    let lift = log((pairCounts[a * g + c] + 1) / (itemFeatureClicks[c] + 2)) - log((userFeatureClicks[a] + 1) / (positives + 2))
                    s += Double(itemContent[i, c]) * lift
                }
                itemSide[i, a + 1] = Float(s / weight)
            }
        }
        for u in 0..<d.userCount {
            userSide[u, 0] = 1
            for a in 0..<f { userSide[u, a + 1] = userContent[u, a] }
        }
        let coldUserContent = recall(.coldUser, userSide, itemSide)
        let coldUserPopularity = recall(.coldUser, pop.users, pop.items)
        XCTAssertGreaterThan(coldItemContent, 2 * coldItemRandom, "cold items: content \(coldItemContent) vs random \(coldItemRandom)")
        XCTAssertGreaterThan(coldUserContent, 1.2 * coldUserPopularity, "cold users: content \(coldUserContent) vs popularity \(coldUserPopularity)")
        print("sample-data recall@20 cold-item content \(coldItemContent) vs random \(coldItemRandom); "
              + "cold-user content \(coldUserContent) vs popularity \(coldUserPopularity)")
    }
}

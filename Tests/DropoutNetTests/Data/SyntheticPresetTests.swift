import XCTest
@testable import DropoutNet

/// The `data generate --preset` worlds keep the shape of the data sets they stand in for, at a
/// scaled-down size: what a user tuning on the proxy relies on.
final class SyntheticPresetTests: XCTestCase {
    /// Share of all positives held by the top `fraction` of items (by positives).
    private func topShare(_ d: Dataset, _ fraction: Double) -> Double {
        var positives = [Int](repeating: 0, count: d.itemCount)
        for k in 0..<d.interactionCount where d.labels[k] == 1 { positives[Int(d.items[k])] += 1 }
        positives.sort(by: >)
        let top = positives.prefix(Int((fraction * Double(d.itemCount)).rounded())).reduce(0, +)
        return Double(top) / Double(max(positives.reduce(0, +), 1))
    }

    private func perUser(_ d: Dataset) -> [Int] {
        var n = [Int](repeating: 0, count: d.userCount)
        for u in d.users { n[Int(u)] += 1 }
        return n
    }

    private func column(_ content: SideContent, _ name: String) -> SideContent.Column? {
        content.columns.first { $0.name == name }
    }

    private func generate(_ preset: SyntheticPreset, users: Int, items: Int, interactions: Int, seed: UInt64 = 7) throws -> String {
        let dir = try DataFixture.directory([:])
        _ = try preset.write(to: dir, users: users, items: items, interactions: interactions, seed: seed, oracleTopK: 5)
        return dir
    }

    func testMovieLensPresetHasTheShapeOfRatings() throws {
        // A tenth of the full size with the same ratings per user and per film.
        let dir = try generate(.movielens, users: 300, items: 1_000, interactions: 30_000)
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.userCount, 300)
        XCTAssertEqual(d.itemCount, 1_000)
        XCTAssertEqual(Double(d.interactionCount), 30_000, accuracy: 300)
        let counts = perUser(d)
        XCTAssertGreaterThanOrEqual(counts.min()!, 20, "every user rates at least 20 films")
        XCTAssertGreaterThan(Double(counts.max()!), 5 * Double(counts.sorted()[150]), "a long tail of heavy raters")
        let labelZero = 1 - Double(d.positiveCount) / Double(d.interactionCount)
        XCTAssertEqual(labelZero, 0.45, accuracy: 0.08, "about 45 % of ratings are below 4")
        XCTAssertEqual(topShare(d, 0.1), 0.5, accuracy: 0.1, "the top 10 % of films hold about half of the positives")
        var rated = Set<Int32>()
        for i in d.items { rated.insert(i) }
        XCTAssertEqual(rated.count, 1_000, "every film has a rating")
        XCTAssertEqual(Set(zip(d.users, d.items).map { Int64($0) << 32 | Int64($1) }).count, d.interactionCount, "no film rated twice")
        // The columns the MovieLens loader gives the model, of the same kinds.
        XCTAssertEqual(column(d.userContent, "age")?.kind, .categorical)
        XCTAssertEqual(column(d.userContent, "gender")?.kind, .categorical)
        XCTAssertEqual(column(d.userContent, "occupation")?.kind, .categorical)
        XCTAssertEqual(column(d.userContent, "zip")?.kind, .display)
        XCTAssertEqual(column(d.itemContent, "genres")?.kind, .multi)
        XCTAssertEqual(column(d.itemContent, "decade")?.kind, .categorical)
        XCTAssertEqual(column(d.itemContent, "title_words")?.kind, .text)
        let ages = Set(column(d.userContent, "age")!.values)
        XCTAssertTrue(ages.isSubset(of: ["<18", "18-24", "25-34", "35-44", "45-49", "50-55", "56+"]), "\(ages)")
        XCTAssertTrue(column(d.itemContent, "genres")!.values.allSatisfy { !$0.isEmpty }, "every film has a genre")
        XCTAssertNotNil(d.itemContent.title(0))
    }

    /// Demographics say a little about taste, not much: two users of the same age bucket like
    /// more of the same films than two of different buckets (mean cosine of their positives), by
    /// about a fifth — so a cold user's demographics lift a ranking only a little above popularity.
    func testMovieLensPresetDemographicsAreWeaklyInformative() throws {
        let dir = try generate(.movielens, users: 400, items: 1_682, interactions: 42_000)
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        var liked = [[Int32]](repeating: [], count: d.userCount)
        for k in 0..<d.interactionCount where d.labels[k] == 1 { liked[Int(d.users[k])].append(d.items[k]) }
        let sets = liked.map(Set.init)
        let age = try XCTUnwrap(column(d.userContent, "age")).values
        var same = (sum: 0.0, n: 0), other = (sum: 0.0, n: 0)
        for u in 0..<d.userCount where !sets[u].isEmpty {
            for v in (u + 1)..<d.userCount where !sets[v].isEmpty {
                let cosine = Double(sets[u].intersection(sets[v]).count) / (Double(sets[u].count) * Double(sets[v].count)).squareRoot()
                if age[u] == age[v] { same.sum += cosine; same.n += 1 } else { other.sum += cosine; other.n += 1 }
            }
        }
        let ratio = (same.sum / Double(same.n)) / (other.sum / Double(other.n))
        XCTAssertGreaterThan(ratio, 1.1, "users of an age bucket share some taste")
        XCTAssertLessThan(ratio, 1.5, "but demographics are a small part of taste")
    }

    func testCiteULikePresetHasTheShapeOfSaves() throws {
        let dir = try generate(.citeulike, users: 600, items: 2_000, interactions: 22_000)
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.itemCount, 2_000)
        XCTAssertEqual(d.positiveCount, d.interactionCount, "implicit data: no label-0 rows")
        XCTAssertGreaterThanOrEqual(perUser(d).min()!, 10, "every user saves at least 10 articles")
        XCTAssertTrue(d.userContent.columns.isEmpty, "no user content")
        XCTAssertEqual(topShare(d, 0.1), 0.33, accuracy: 0.1, "popularity is mild")
        let tags = try XCTUnwrap(column(d.itemContent, "tags"))
        XCTAssertEqual(tags.kind, .multi)
        let perItem = tags.values.map { $0.isEmpty ? 0 : $0.split(separator: "|").count }
        let untagged = Double(perItem.filter { $0 == 0 }.count) / Double(perItem.count)
        XCTAssertEqual(untagged, 0.2, accuracy: 0.05, "about a fifth of articles have no tags")
        let tagged = perItem.filter { $0 > 0 }.sorted()
        XCTAssertEqual(Double(tagged[tagged.count / 2]), 15, accuracy: 4, "a tagged article has ~15 tags (median)")
        var uses: [Substring: Int] = [:]
        for v in tags.values { for t in v.split(separator: "|") { uses[t, default: 0] += 1 } }
        XCTAssertGreaterThan(uses.count, 2 * d.itemCount, "a vocabulary larger than the catalogue")
        let once = Double(uses.values.filter { $0 == 1 }.count) / Double(uses.count)
        XCTAssertGreaterThan(once, 0.35, "a long tail of one-off tags")
    }

    func testPresetsAreDeterministicForASeed() throws {
        for preset in SyntheticPreset.allCases {
            let a = try generate(preset, users: 120, items: 300, interactions: 5_000)
            let b = try generate(preset, users: 120, items: 300, interactions: 5_000)
            let c = try generate(preset, users: 120, items: 300, interactions: 5_000, seed: 8)
            defer { for dir in [a, b, c] { DataFixture.remove(dir) } }
            for file in ["interactions.csv", "items.csv", "oracle.csv"] {
                let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + file))
                XCTAssertEqual(x, try Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), "\(preset) \(file): same seed, same bytes")
                XCTAssertNotEqual(x, try Data(contentsOf: URL(fileURLWithPath: c + "/" + file)), "\(preset) \(file): another seed")
            }
        }
    }
}

import XCTest
import Foundation
import Numerics
@testable import DropoutNet

/// `--split-dir` on CiteULike-format data evaluates exactly as the DropoutNet reference code
/// does (its `EvalData` and `batch_eval_recall`): candidates are the ids of `test_item_ids.csv`
/// (also in the warm directory), test pairs with other items are dropped, test users are those
/// with a remaining pair, warm masks the user's training positives, and recall@K is hits in the
/// top K over the user's number of test items, averaged over test users.
///
/// The expected figures come from a brute-force implementation of that formula in this file:
/// it reads the split files itself, scores every candidate, sorts them all, and counts.
final class ReferenceProtocolTests: XCTestCase {
    static let users = 30, items = 40, dim = 4
    static let ks = [1, 5, 10, 20]

    /// users.dat / mult.dat of a random small CiteULike, and each user's 0-based items.
    struct World {
        var root: String
        var lists: [[Int]]
        var userEmbeddings: Matrix
        var itemEmbeddings: Matrix
    }

    private func makeWorld() throws -> World {
        var rng = SplitMix64(seed: 17)
        var lists: [[Int]] = []
        for _ in 0..<Self.users {
            var chosen = Set<Int>()
            let n = 6 + rng.nextInt(below: 7)
            while chosen.count < n { chosen.insert(rng.nextInt(below: Self.items)) }
            lists.append(chosen.sorted())
        }
        var usersDat = ""
        for l in lists { usersDat += "\(l.count) " + l.map(String.init).joined(separator: " ") + "\n" }
        var multDat = ""
        for i in 0..<Self.items { multDat += "2 \(i % 7):1 \(7 + i % 5):2\n" }
        let root = try DataFixture.directory(["users.dat": usersDat, "mult.dat": multDat])
        let u = Matrix(rows: Self.users, cols: Self.dim), v = Matrix(rows: Self.items, cols: Self.dim)
        for r in 0..<Self.users { for c in 0..<Self.dim { u[r, c] = rng.nextFloat() * 2 - 1 } }
        for r in 0..<Self.items { for c in 0..<Self.dim { v[r, c] = rng.nextFloat() * 2 - 1 } }
        return World(root: root, lists: lists, userEmbeddings: u, itemEmbeddings: v)
    }

    /// Writes a split directory `name` under the world: pairs are (0-based user, 0-based item),
    /// written 1-based as `user,item,1`; candidates are 0-based items, written 1-based in order.
    private func writeSplit(_ w: World, _ name: String, train: [(Int, Int)], test: [(Int, Int)], candidates: [Int]) throws -> String {
        let dir = (w.root as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func csv(_ pairs: [(Int, Int)]) -> String { pairs.map { "\($0.0 + 1),\($0.1 + 1),1\n" }.joined() }
        try Data(csv(train).utf8).write(to: URL(fileURLWithPath: dir + "/train.csv"))
        try Data(csv(test).utf8).write(to: URL(fileURLWithPath: dir + "/test.csv"))
        try Data(candidates.map { "\($0 + 1)\n" }.joined().utf8).write(to: URL(fileURLWithPath: dir + "/test_item_ids.csv"))
        return dir
    }

    /// Reads `user,item,1` rows back as 0-based pairs (CiteULike ids are 1-based positions).
    private func readPairs(_ path: String) throws -> [(Int, Int)] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let f = line.split(separator: ",")
            return (Int(f[0])! - 1, Int(f[1])! - 1)
        }
    }

    /// The reference formula, brute force: recall@K per K and the number of test users.
    private func referenceRecall(_ w: World, dir: String, warm: Bool, mask: Bool = true, allItems: Bool = false) throws -> (recall: [Double], users: Int) {
        let train = try readPairs(dir + "/train.csv"), test = try readPairs(dir + "/test.csv")
        var candidates = try String(contentsOfFile: dir + "/test_item_ids.csv", encoding: .utf8)
            .split(separator: "\n").map { Int($0)! - 1 }
        if allItems { candidates = Array(0..<Self.items) }
        let column = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        var testItems: [Int: Set<Int>] = [:]
        for (u, i) in test where column[i] != nil { testItems[u, default: []].insert(i) }
        var trainItems: [Int: Set<Int>] = [:]
        for (u, i) in train { trainItems[u, default: []].insert(i) }
        var sums = [Double](repeating: 0, count: Self.ks.count)
        for (u, relevant) in testItems {
            var scored: [(score: Float, position: Int, item: Int)] = []
            for (position, i) in candidates.enumerated() {
                var s: Float = 0
                for c in 0..<Self.dim { s += w.userEmbeddings[u, c] * w.itemEmbeddings[i, c] }
                if warm && mask && trainItems[u]?.contains(i) == true { s -= 100_000 }
                scored.append((s, position, i))
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.position < $1.position }
            for (n, k) in Self.ks.enumerated() {
                let hits = scored.prefix(k).filter { relevant.contains($0.item) }.count
                sums[n] += Double(hits) / Double(relevant.count)
            }
        }
        return (sums.map { $0 / Double(testItems.count) }, testItems.count)
    }

    /// Our pipeline: load, split from the directory, prepare, evaluate the test splits.
    private func ours(_ w: World, dir: String) throws -> (report: EvaluationReport, data: TrainingData) {
        let d = try DatasetLoader.load(directory: w.root, format: .citeulike, useCache: false)
        let split = try Splitter.make(d, SplitOptions(splitDir: dir))
        XCTAssertEqual(try Split(serialized: split.serialized()), split, "the split round-trips with its candidates")
        let data = try TrainingData.prepare(dataset: d, split: split)
        let evaluator = Evaluator(targets: data.evaluationTargets(), ks: Self.ks, itemCount: data.itemCount)
        return (evaluator.evaluate(userEmbeddings: w.userEmbeddings, itemEmbeddings: w.itemEmbeddings), data)
    }

    func testWarmDirectoryMatchesTheReferenceFormula() throws {
        let w = try makeWorld()
        defer { DataFixture.remove(w.root) }
        var rng = SplitMix64(seed: 5)
        var train: [(Int, Int)] = [], test: [(Int, Int)] = []
        for (u, l) in w.lists.enumerated() {
            for (n, i) in l.enumerated() {
                if n > 0 && rng.nextFloat() < 0.3 { test.append((u, i)) } else { train.append((u, i)) }
            }
        }
        // User 0's test items are left out of the candidates: those pairs are dropped, and user 0
        // is not a test user unless another item remains (it has none by construction).
        let unlisted = Set(test.filter { $0.0 == 0 }.map(\.1))
        XCTAssertFalse(unlisted.isEmpty)
        var listed = (0..<Self.items).filter { !unlisted.contains($0) }
        listed.shuffle(using: &rng)
        let dir = try writeSplit(w, "warm", train: train, test: test, candidates: listed)

        let (report, data) = try ours(w, dir: dir)
        XCTAssertEqual(report.order, ["warm", "cold_user", "cold_item"])
        XCTAssertNil(report["cold_user"])
        XCTAssertNil(report["cold_item"])
        XCTAssertEqual(data.candidates[.warm], listed.map(Int32.init), "candidates are the file's ids, in its order")
        let m = try XCTUnwrap(report["warm"])
        let expected = try referenceRecall(w, dir: dir, warm: true)
        XCTAssertEqual(m.users, expected.users)
        XCTAssertLessThan(expected.users, Set(test.map(\.0)).count, "a user with only unlisted test items is not a test user")
        for (n, k) in Self.ks.enumerated() {
            XCTAssertEqual(m.recall(at: k)!, expected.recall[n], accuracy: 1e-12, "recall@\(k)")
        }
        // The comparison can fail: without the mask, or among all items, the figures differ.
        let unmasked = try referenceRecall(w, dir: dir, warm: true, mask: false)
        XCTAssertNotEqual(unmasked.recall, expected.recall)
        let everything = try referenceRecall(w, dir: dir, warm: true, allItems: true)
        XCTAssertNotEqual(everything.recall, expected.recall)
    }

    func testColdDirectoryMatchesTheReferenceFormula() throws {
        let w = try makeWorld()
        defer { DataFixture.remove(w.root) }
        var rng = SplitMix64(seed: 8)
        var order = Array(0..<Self.items)
        order.shuffle(using: &rng)
        let cold = Set(order.prefix(8))
        var train: [(Int, Int)] = [], test: [(Int, Int)] = []
        for (u, l) in w.lists.enumerated() {
            for i in l { if cold.contains(i) { test.append((u, i)) } else { train.append((u, i)) } }
        }
        // Six of the eight cold items are candidates; pairs with the other two are dropped.
        let listed = Array(order.prefix(6)).sorted()
        let dir = try writeSplit(w, "cold", train: train, test: test, candidates: listed)

        let (report, data) = try ours(w, dir: dir)
        XCTAssertNil(report["warm"])
        XCTAssertNil(report["cold_user"])
        XCTAssertEqual(data.candidates[.coldItem], listed.map(Int32.init))
        XCTAssertEqual(data.split.coldItemTest.count, test.filter { listed.contains($0.1) }.count)
        let m = try XCTUnwrap(report["cold_item"])
        let expected = try referenceRecall(w, dir: dir, warm: false)
        XCTAssertEqual(m.users, expected.users)
        for (n, k) in Self.ks.enumerated() {
            XCTAssertEqual(m.recall(at: k)!, expected.recall[n], accuracy: 1e-12, "recall@\(k)")
        }
        let everything = try referenceRecall(w, dir: dir, warm: false, allItems: true)
        XCTAssertNotEqual(everything.recall, expected.recall)
    }

    func testCandidatesThatMatchNoTestPairAreABadSplit() throws {
        let w = try makeWorld()
        defer { DataFixture.remove(w.root) }
        let pairs = w.lists.enumerated().flatMap { u, l in l.map { (u, $0) } }
        let testItems = Set(pairs.suffix(3).map(\.1))
        let other = (0..<Self.items).first { !testItems.contains($0) }!
        let dir = try writeSplit(w, "bad", train: Array(pairs.dropLast(3)), test: Array(pairs.suffix(3)), candidates: [other])
        let d = try DatasetLoader.load(directory: w.root, format: .citeulike, useCache: false)
        XCTAssertThrowsError(try Splitter.make(d, SplitOptions(splitDir: dir))) {
            XCTAssertEqual("\($0)", "test_item_ids.csv: none of the 3 test interactions of test.csv has an item listed here, so nothing would be evaluated")
        }
        try Data("\(other + 1)\n0\n".utf8).write(to: URL(fileURLWithPath: dir + "/test_item_ids.csv"))
        XCTAssertThrowsError(try Splitter.make(d, SplitOptions(splitDir: dir))) {
            XCTAssertEqual("\($0)", "test_item_ids.csv:2:1: unknown item id '0' (not in the dataset)")
        }
    }
}

import XCTest
import Foundation
import Numerics
@testable import DropoutNet

/// `dropoutnet eval --embeddings DIR`: another system's vectors, scored by our evaluator.
final class ExternalEmbeddingsTests: XCTestCase {
    /// Items one-hot; each even user's vector marks its held-out items of every test split
    /// with +1, each odd user's marks them −1: an even user finds all of its held-out items that
    /// are candidates in its top 20, an odd user none.
    func testPlantedEmbeddingsScoreTheirKnownRecall() throws {
        // 100 users with a dozen interactions each among 600 items: every split has far more
        // than 20 candidates beyond a user's held-out and masked items.
        var rng = SplitMix64(seed: 8)
        var us: [Int32] = [], its: [Int32] = [], labels: [UInt8] = []
        for u in 0..<100 {
            var seen = Set<Int>()
            for _ in 0..<12 { let i = rng.nextInt(below: 600); if seen.insert(i).inserted { us.append(Int32(u)); its.append(Int32(i)); labels.append(1) } }
        }
        let world = Dataset(name: "planted", userIDs: (0..<100).map { "u\($0)" }, itemIDs: (0..<600).map { "i\($0)" },
                            users: us, items: its, labels: labels)
        let data = try TrainingData.prepare(dataset: world, split: try Splitter.make(world, SplitOptions()))
        let d = data.dataset
        var userVectors = [[Float]](repeating: [Float](repeating: 0, count: d.itemCount), count: d.userCount)
        for split in EvaluationSplit.test {
            let held = data.heldOut[split]!
            for u in held.nonEmptyRows { for i in held[Int(u)] { userVectors[Int(u)][Int(i)] = u % 2 == 0 ? 1 : -1 } }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("external-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(dir, ExternalEmbeddings.userFile, ids: d.userIDs, userVectors)
        try write(dir, ExternalEmbeddings.itemFile, ids: d.itemIDs, (0..<d.itemCount).map { i in (0..<d.itemCount).map { $0 == i ? 1 : 0 } })

        let external = try ExternalEmbeddings.read(directory: dir, data: data)
        XCTAssertEqual(external.dimension, d.itemCount)
        let report = external.evaluate(data, ks: [20])
        var checked = 0
        for split in EvaluationSplit.test {
            let target = data.evaluationTarget(split)
            let users = Set(data.heldOut[split]!.nonEmptyRows)
            guard let m = report[split.rawValue] else { continue }
            XCTAssertLessThanOrEqual(users.map { data.heldOut[split]![Int($0)].count }.max() ?? 0, 20, "every user's held-out items fit in the top 20")
            let held = data.heldOut[split]!
            let maxHeld = users.map { held[Int($0)].count }.max() ?? 0
            let candidates = Set(target.candidates ?? [])
            XCTAssertGreaterThanOrEqual(candidates.count, 20 + maxHeld + (split == .warm ? 12 : 0), "room for 20 items scored ≥ 0")
            XCTAssertEqual(m.users, target.userCount)
            // Recall divides by all held-out items; those that are no candidate cannot be found.
            let expected = users.map { u -> Double in
                u % 2 == 0 ? Double(held[Int(u)].filter { candidates.contains($0) }.count) / Double(held[Int(u)].count) : 0
            }.reduce(0, +) / Double(users.count)
            XCTAssertEqual(m.recall(at: 20)!, expected, accuracy: 1e-9, split.rawValue)
            XCTAssertGreaterThan(expected, 0)
            XCTAssertLessThan(expected, 1)
            checked += 1
        }
        XCTAssertEqual(checked, 3, "warm, cold-user and cold-item all scored")
    }

    func testAMalformedOrIncompleteFileIsAClearError() throws {
        let data = EasyRecDataTests.data
        let d = data.dataset
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("external-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(dir, ExternalEmbeddings.itemFile, ids: d.itemIDs, (0..<d.itemCount).map { _ in [1, 0] })
        try "u0,1,0\nu1,0.5,x\n".write(to: dir.appendingPathComponent(ExternalEmbeddings.userFile), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExternalEmbeddings.read(directory: dir, data: data)) { error in
            XCTAssertEqual((error as? DataError)?.line, 2)
            XCTAssertEqual((error as? DataError)?.column, 3)
        }
        try "u0,1,0\n".write(to: dir.appendingPathComponent(ExternalEmbeddings.userFile), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExternalEmbeddings.read(directory: dir, data: data)) { error in
            XCTAssertTrue("\(error)".contains("expected a vector for every user"), "\(error)")
        }
    }

    private func write(_ dir: URL, _ name: String, ids: [String], _ vectors: [[Float]]) throws {
        let text = zip(ids, vectors).map { id, v in ([id] + v.map { "\($0)" }).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

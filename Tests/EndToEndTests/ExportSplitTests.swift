import XCTest
import Foundation

/// `data export-split` writes what an outside model needs to be compared on our protocol: the
/// training interactions, held-out items and candidates of every split (sizes as `data inspect`
/// reports them), the encoded content, and with `--checkpoint` the model's unit-norm embeddings.
final class ExportSplitTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-export-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    private func lines(_ name: String, in folder: URL) throws -> [Substring] {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
    }

    func testExportMatchesInspectAndCheckpointEmbeddingsAreUnitRows() throws {
        let sample = try CLI.sampleData()
        let inspect = try CLI.run(["data", "inspect", "--data", sample.path, "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let split = try XCTUnwrap(try json(inspect.stdout)["split"] as? [String: Any])

        let plain = dir.appendingPathComponent("plain")
        let export = try CLI.run(["data", "export-split", "--data", sample.path, "--out", plain.path, "--json"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let meta = try json(export.stdout)
        XCTAssertNil(meta["embedding_dim"], "no checkpoint, no embeddings")
        XCTAssertEqual(try lines("train.csv", in: plain).count - 1, split["train"] as? Int)
        XCTAssertEqual(try lines("candidates_cold_item.txt", in: plain).count, split["cold_item_candidates"] as? Int)
        XCTAssertEqual(try lines("candidates_warm.txt", in: plain).count, split["warm_items"] as? Int)
        let warmUsers = Set(try lines("heldout_warm.csv", in: plain).dropFirst().map { $0.split(separator: ",")[0] })
        XCTAssertEqual(warmUsers.count, split["warm_users"] as? Int)
        let features = try lines("item_features.csv", in: plain).dropFirst()
        let width = try XCTUnwrap(meta["item_feature_dim"] as? Int)
        XCTAssertFalse(features.isEmpty)
        XCTAssertTrue(features.allSatisfy { Int($0.split(separator: ",")[1])! < width }, "feature columns within the width")
        let itemIDs = try lines("item_ids.txt", in: plain)
        XCTAssertEqual(itemIDs.count, meta["items"] as? Int, "one id per item")
        XCTAssertEqual(try lines("user_ids.txt", in: plain).count, meta["users"] as? Int, "one id per user")
        XCTAssertEqual(Set(itemIDs).count, itemIDs.count, "ids are distinct")
        let sampleItems = try String(contentsOf: sample.appendingPathComponent("items.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(itemIDs.first, sampleItems[1].split(separator: ",").first, "entity 0 is the first item of items.csv")

        // A tiny model, one epoch: the export carries its split and its embeddings.
        let train = try CLI.run(["train", "--data", sample.path, "--epochs", "1", "--quiet", "--json", "--runs",
                                 dir.appendingPathComponent("runs").path, "--set", "user_tower=[8]", "--set", "item_tower=[8]",
                                 "--set", "content_dnn=[8]", "--set", "preference_dnn=[8]", "--set", "preference=stats",
                                 "--set", "baselines.content_only=off"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let checkpoint = try XCTUnwrap(try json(train.stdout)["checkpoint"] as? String)
        let withModel = dir.appendingPathComponent("model")
        let e = try CLI.run(["data", "export-split", "--checkpoint", checkpoint, "--out", withModel.path, "--json"])
        XCTAssertEqual(e.status, 0, e.stderr)
        let m = try json(e.stdout)
        // The towers' 8 columns, plus the cold-user prior's when the run chose one.
        let prior = m["cold_user_prior"] as? Double
        let priorColumns = m["cold_user_prior_columns"] as? Int, itemPriorColumns = m["cold_item_prior_columns"] as? Int
        XCTAssertEqual(prior == nil, priorColumns == nil, "the weight and its columns come together")
        XCTAssertEqual(m["cold_item_prior"] == nil, itemPriorColumns == nil, "the weight and its columns come together")
        let dim = 8 + (priorColumns ?? 0) + (itemPriorColumns ?? 0) + (m["warm_prior_columns"] as? Int ?? 0)
            + (m["warm_content_prior_columns"] as? Int ?? 0)
        XCTAssertEqual(m["embedding_dim"] as? Int, dim)
        XCTAssertEqual(try lines("train.csv", in: withModel), try lines("train.csv", in: plain), "the checkpoint's split is the default split")
        let bytes = try Data(contentsOf: withModel.appendingPathComponent("item_embeddings.f32"))
        let items = try XCTUnwrap(m["items"] as? Int)
        XCTAssertEqual(bytes.count, items * dim * 4)
        let values = bytes.withUnsafeBytes { raw in (0..<items * dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        for row in [0, items / 2, items - 1] {
            let norm = (0..<8).reduce(Float(0)) { $0 + values[row * dim + $1] * values[row * dim + $1] }.squareRoot()
            XCTAssertEqual(norm, 1, accuracy: 1e-4, "item \(row) embedding is L2-normalised")
        }
        if let priorColumns {
            // Users with training rows get zeros in the prior's columns, users without none do not.
            let userBytes = try Data(contentsOf: withModel.appendingPathComponent("user_embeddings.f32"))
            let users = try XCTUnwrap(m["users"] as? Int)
            let u = userBytes.withUnsafeBytes { raw in (0..<users * dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
            let known = Set(try lines("train.csv", in: withModel).dropFirst().compactMap { Int($0.split(separator: ",")[0]) })
            let warm = try XCTUnwrap(known.min()), cold = try XCTUnwrap((0..<users).first { !known.contains($0) })
            XCTAssertEqual(Array(u[(warm * dim + 8)..<(warm * dim + 8 + priorColumns)]), [Float](repeating: 0, count: priorColumns))
            XCTAssertTrue(u[(cold * dim + 8)..<(cold * dim + 8 + priorColumns)].contains { $0 != 0 }, "cold user \(cold) carries the prior")
        }
    }
}

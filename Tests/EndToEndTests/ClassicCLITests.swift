import Foundation
import XCTest

/// The classic DropoutNet from the command line: `pretrain wmf`, then `train --set model=classic
/// --wmf FILE --json` with those factors, then `eval` of its checkpoint.
final class ClassicCLITests: XCTestCase {
    func testPretrainThenTrainClassicWithTheFactorsThenEval() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dn-classic-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path, factors = dir.appendingPathComponent("wmf.factors").path
        let runs = dir.appendingPathComponent("runs").path
        let gen = try CLI.run(["data", "generate", "--out", data, "--users", "300", "--items", "250", "--interactions", "9000",
                               "--oracle-top", "0"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let pre = try CLI.run(["pretrain", "wmf", "--data", data, "--rank", "12", "--iterations", "4", "--out", factors, "--no-eval"])
        XCTAssertEqual(pre.status, 0, pre.stderr)

        let small = ["--set", "model=classic", "--set", "user_tower=24,12", "--set", "item_tower=24,12",
                     "--set", "embedding_dim=12", "--set", "classic.top_k=8", "--set", "batch_size=128", "--set", "eval_every=0"]
        let train = try CLI.run(["train", "--data", data, "--epochs", "2", "--wmf", factors, "--runs", runs, "--json", "--quiet"] + small)
        XCTAssertEqual(train.status, 0, train.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        let settings = try XCTUnwrap(result["settings"] as? [String: Any])
        XCTAssertEqual(settings["model"] as? String, "classic")
        XCTAssertEqual(settings["optimizer"] as? String, "sgd", "model=classic starts from the classic defaults")
        XCTAssertEqual(settings["wmf.rank"] as? Int, 12, "the run records the factors file's rank")
        let baselines = try XCTUnwrap(result["baselines"] as? [String: Any])
        let wmf = try XCTUnwrap(baselines["wmf"] as? [String: Any])
        XCTAssertNotNil(wmf["warm"] as? [String: Any])
        XCTAssertTrue(wmf["cold_item"] is NSNull && wmf["cold_user"] is NSNull, "WMF alone has no cold result: \(wmf)")

        let checkpoint = try XCTUnwrap(result["checkpoint"] as? String)
        let eval = try CLI.run(["eval", "--checkpoint", checkpoint, "--data", data, "--json", "--quiet"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let again = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((again["metrics"] as? NSDictionary), (result["metrics"] as? NSDictionary), "eval reproduces the run's metrics")
        XCTAssertEqual((again["baselines"] as? NSDictionary)?["wmf"] as? NSDictionary, wmf as NSDictionary)

        // Factors fitted on another split are refused: they have seen this split's test positives.
        let other = try CLI.run(["train", "--data", data, "--cold-items", "0.2", "--wmf", factors, "--runs", runs, "--quiet"] + small)
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertTrue(other.stderr.contains("another dataset or split"), other.stderr)
    }
}

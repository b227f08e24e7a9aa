import XCTest
import Foundation

/// The benchmarks that replaced timed unit tests still run and say what they measured (on tiny
/// shapes here: the figures themselves are for `dropoutnet bench`, not for the suite).
final class BenchCLITests: XCTestCase {
    private func object(_ out: CLI.Output, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(out.status, 0, out.stderr, file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any], out.stdout,
                             file: file, line: line)
    }

    func testBenchLossTimesDirectAndGEMMScoringAndTheOwnScoreLosses() throws {
        let o = try object(CLI.run(["bench", "loss", "--batch", "64", "--dim", "8", "--negatives", "4,63",
                                    "--repeats", "1", "--threads", "1", "--json"]))
        let figures = try XCTUnwrap(o["figures"] as? [[String: Any]])
        XCTAssertEqual(figures.compactMap { $0["loss"] as? String },
                       ["svsoftmax", "svsoftmax", "pairwise", "hard_pairwise", "sigmoid"])
        XCTAssertEqual(figures.prefix(2).compactMap { $0["m"] as? Int }, [4, 63])
        for f in figures.prefix(2) {
            XCTAssertNotNil(f["direct_ms"] as? Double, "\(f)")
            XCTAssertNotNil(f["gemm_ms"] as? Double, "\(f)")
        }
        XCTAssertTrue(figures.suffix(3).allSatisfy { $0["ms"] is Double }, "\(figures)")

        let probe = try CLI.run(["bench", "loss", "--batch", "64", "--dim", "8", "--probe-steps", "3"])
        XCTAssertEqual(probe.status, 0, probe.stderr)
        XCTAssertTrue(probe.stdout.contains("3 steps of every loss"), probe.stdout)

        let bad = try CLI.run(["bench", "loss", "--batch", "64", "--negatives", "64"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--negatives"), bad.stderr)
    }

    func testBenchScaleTimesAWholeRunOnAGeneratedWorld() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dn-bench-scale-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let o = try object(CLI.run(["bench", "scale", "--users", "300", "--items", "200", "--interactions", "6000",
                                    "--dir", dir.path, "--json", "--set", "user_tower=16,8", "--set", "item_tower=16,8",
                                    "--set", "embedding_dim=8", "--set", "batch_size=128", "--set", "eval_every=10",
                                    "--set", "eval_budget=0", "--set", "baselines.content_only=off"]))
        XCTAssertEqual(o["interactions"] as? Int, 6000)
        let steps = try XCTUnwrap(o["steps"] as? Int)
        XCTAssertGreaterThan(steps, 10)
        XCTAssertEqual(o["validations"] as? Int, steps / 10 + (steps % 10 == 0 ? 0 : 1), "every 10 steps and the final one")
        let wall = try XCTUnwrap(o["wall_seconds"] as? Double)
        let parts = ["prepare_seconds", "setup_seconds", "training_seconds", "validation_seconds", "end_seconds"]
            .compactMap { o[$0] as? Double }
        XCTAssertEqual(parts.count, 5, "\(o)")
        XCTAssertLessThanOrEqual(parts.reduce(0, +), wall * 1.001, "the phases are parts of the wall time: \(o)")
        XCTAssertGreaterThan(try XCTUnwrap(o["peak_rss_bytes"] as? Int), 0)
        XCTAssertEqual(try XCTUnwrap(o["validation_share"] as? Double), parts[3] / wall, accuracy: 1e-6)
        let test = try XCTUnwrap(o["test_seconds"] as? Double), contentOnly = try XCTUnwrap(o["content_only_seconds"] as? Double)
        XCTAssertGreaterThan(test, 0)
        XCTAssertLessThanOrEqual(test + contentOnly, parts[4] * 1.001, "the end is the tests, then the content-only baseline: \(o)")
        XCTAssertEqual(o["content_only_steps"] as? Int, 0, "switched off")
    }

    func testBenchFrameReportsRenderAndDiffCost() throws {
        let o = try object(CLI.run(["bench", "frame", "--width", "80", "--height", "24", "--frames", "3", "--json"]))
        XCTAssertEqual(o["width"] as? Int, 80)
        XCTAssertNotNil(o["render_ms"] as? Double)
        XCTAssertGreaterThan(try XCTUnwrap(o["changed_cells"] as? Int), 0)
    }
}

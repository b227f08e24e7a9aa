import Foundation
import XCTest

/// `train` on a disk that fills up mid-run, without root: the shell's file-size limit
/// (`ulimit -f`, with SIGXFSZ ignored so a write past it fails with EFBIG as on a full disk)
/// lets the run store open, then fails its log writes and the best checkpoint. The run trains
/// to its end and prints its evaluation, says it is no longer recorded, exits 1, and the run
/// recorded before it is intact.
final class WriteFaultCLITests: XCTestCase {
    func testTrainOnADiskThatFillsUpFinishesPrintsItsResultAndKeepsEarlierRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dn-writefault-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path, runs = dir.appendingPathComponent("runs").path
        let gen = try CLI.run(["data", "generate", "--out", data, "--users", "300", "--items", "250", "--interactions", "9000",
                               "--oracle-top", "0"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let small = ["--set", "user_tower=24,12", "--set", "item_tower=24,12", "--set", "embedding_dim=12",
                     "--set", "batch_size=128", "--set", "eval_every=20", "--set", "baselines.content_only=off"]
        let first = try CLI.run(["train", "--data", data, "--epochs", "1", "--runs", runs, "--quiet"] + small)
        XCTAssertEqual(first.status, 0, first.stderr)
        let listedBefore = try CLI.run(["runs", "list", "--runs", runs])
        let checkpoints = try FileManager.default.subpathsOfDirectory(atPath: runs).filter { $0.hasSuffix(".dnckpt") }
        XCTAssertEqual(checkpoints.count, 1)
        let checkpointBefore = try Data(contentsOf: URL(fileURLWithPath: runs + "/" + checkpoints[0]))

        // 40 KB per file: the store's shared-memory file (32 KB) and its first log frames fit,
        // the losses of the first seconds and the checkpoint (over 1 MB) do not.
        // 60 epochs (a few seconds): the recorder flushes every 0.5 s, and a run that ends before
        // its first flush meets the full disk only at its end, with nothing left to continue.
        let full = try CLI.run(["train", "--data", data, "--epochs", "60", "--runs", runs] + small, fileSizeLimitKB: 40)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stdout.contains("dropoutnet"), "the evaluation is printed: \(full.stdout)")
        XCTAssertTrue(full.stderr.contains("is no longer recorded"), full.stderr)
        XCTAssertTrue(full.stderr.contains("training continues without recording"), "said while training: \(full.stderr)")
        XCTAssertTrue(full.stderr.contains("step-") && full.stderr.contains(String(cString: strerror(EFBIG))),
                      "the best checkpoint's failure names the file and the reason: \(full.stderr)")
        XCTAssertTrue(full.stderr.contains("the evaluation printed above is complete"), full.stderr)

        // The earlier run, reopened: listed as before, its checkpoint byte for byte.
        let listedAfter = try CLI.run(["runs", "list", "--runs", runs])
        XCTAssertEqual(listedAfter.status, 0, listedAfter.stderr)
        func rows(_ text: String) -> [[Substring]] { text.split(separator: "\n").dropFirst().map { $0.split(separator: " ") } }
        let before = try XCTUnwrap(rows(listedBefore.stdout).first)
        XCTAssertEqual(rows(listedAfter.stdout).first { $0[0] == before[0] }, before,
                       "before:\n\(listedBefore.stdout)\nafter:\n\(listedAfter.stdout)")
        XCTAssertEqual(before[3], "finished")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: runs + "/" + checkpoints[0])), checkpointBefore)
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: runs).filter { $0.contains(".tmp-") }, [],
                       "no temp file is left behind")
    }

}

import XCTest
@testable import DropoutNet

final class RunStoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runstore-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    static let dataset = DatasetIdentity(name: "synthetic", path: "sample-data", users: 100, items: 50,
                                         interactions: 1000, positives: 600, fingerprint: "0123456789abcdef")
    static let split = SplitIdentity(origin: "random seed=7 cold_items=0.2", hash: "fedcba9876543210")

    /// Runs that start together on a new runs directory (a sweep's workers, two terminals) each
    /// open the store while another may be creating its tables: every open succeeds and sees
    /// the whole schema.
    func testStoresOpenedTogetherOnANewDirectoryAllOpen() throws {
        for round in 0..<8 {
            let fresh = dir.appendingPathComponent("together-\(round)")
            var failures: [String] = []
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try RunStore(directory: fresh).listRuns() } catch {
                    lock.lock(); failures.append("\(error)"); lock.unlock()
                }
            }
            XCTAssertEqual(failures, [], "round \(round)")
        }
    }

    func testRoundTripOfEverythingARunRecords() throws {
        let store = try RunStore(directory: dir)
        var settings = Settings()
        try settings.set("loss", "svsoftmax,pairwise")
        try settings.set("loss_weights", "1,0.5")
        try settings.set("user_dropout", "0.25")
        try settings.set("negatives.m", "7")
        let id = try store.createRun(settings: settings, dataset: Self.dataset, split: Self.split)
        let recorder = store.recorder(for: id)
        recorder.recordLoss(step: 1, total: 2.5, parts: ["svsoftmax": 2.0, "pairwise": 1.0])
        recorder.recordLoss(step: 2, total: .nan)
        recorder.recordSettingChange(step: 2, key: "user_dropout", old: "0.25", new: "0.5")
        recorder.recordEval(step: 2, split: "warm", metrics: ["recall@20": 0.31, "ndcg@20": 0.2])
        recorder.recordEval(step: 2, split: "validation", metrics: ["recall@20": 0.29])
        recorder.recordBaseline(name: "popularity", split: "warm", metrics: ["recall@20": 0.1])
        recorder.recordCheckpoint(step: 1, path: "runs/a.dnckpt", isBest: true, metrics: ["warm/recall@20": 0.2])
        recorder.recordCheckpoint(step: 2, path: "runs/b.dnckpt", isBest: true, metrics: ["warm/recall@20": 0.31])
        try recorder.finish(status: .finished)

        // A second connection, as another process (`dropoutnet runs show`) would open it.
        let reader = try RunStore(directory: dir, create: false)
        let run = try XCTUnwrap(try reader.run(id))
        XCTAssertEqual(run.status, .finished)
        XCTAssertNotNil(run.finished)
        XCTAssertEqual(run.dataset, Self.dataset)
        XCTAssertEqual(run.split, Self.split)
        XCTAssertEqual(run.codeVersion, DropoutNetVersion.string)
        XCTAssertEqual(try run.settingsValue(), settings)
        XCTAssertEqual(run.lastStep, 2)

        let losses = try reader.lossSeries(id)
        XCTAssertEqual(losses.map(\.step), [1, 2])
        XCTAssertEqual(losses[0].loss, 2.5)
        XCTAssertEqual(losses[0].parts, ["svsoftmax": 2.0, "pairwise": 1.0])
        XCTAssertTrue(losses[1].loss.isNaN, "a diverged step is kept as NaN, not dropped")

        let evals = try reader.evalSeries(id)
        XCTAssertEqual(evals.count, 3)
        XCTAssertEqual(evals.first { $0.split == "warm" && $0.key == "recall@20" }?.value, 0.31)

        XCTAssertEqual(try reader.settingChanges(id).map { [$0.key, $0.old, $0.new] }, [["user_dropout", "0.25", "0.5"]])
        let checkpoints = try reader.checkpoints(id)
        XCTAssertEqual(checkpoints.map(\.isBest), [false, true], "only the latest best checkpoint stays best")
        XCTAssertEqual(checkpoints[1].metrics["warm/recall@20"], 0.31)
        XCTAssertEqual(try reader.baselines(id).map(\.key), ["recall@20"])
    }

    func testBestEvaluationIsChosenOnValidationNotTest() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let r = store.recorder(for: id)
        for (step, val, warm) in [(100, 0.10, 0.20), (200, 0.30, 0.25), (300, 0.20, 0.40)] {
            r.recordEval(step: step, split: "validation", metrics: ["recall@20": val])
            r.recordEval(step: step, split: "warm", metrics: ["recall@20": warm])
        }
        try r.flush()
        let best = try XCTUnwrap(try store.bestEvaluation(id))
        XCTAssertEqual(best.step, 200)
        XCTAssertEqual(best.value(split: "warm", key: "recall@20"), 0.25)
        XCTAssertEqual(best.rule, "best validation recall@20")
    }

    func testBestEvaluationAveragesTheDataLayersValidationSplits() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let r = store.recorder(for: id)
        // Step 100 is best on validation_warm alone, step 200 on the mean of the three.
        for (step, warm, user, item) in [(100, 0.50, 0.10, 0.10), (200, 0.40, 0.30, 0.30)] {
            r.recordEval(step: step, split: EvaluationSplit.validationWarm.rawValue, metrics: ["recall@20": warm, "recall@50": 0.9])
            r.recordEval(step: step, split: EvaluationSplit.validationColdUser.rawValue, metrics: ["recall@20": user])
            r.recordEval(step: step, split: EvaluationSplit.validationColdItem.rawValue, metrics: ["recall@20": item])
        }
        try r.flush()
        let best = try XCTUnwrap(try store.bestEvaluation(id))
        XCTAssertEqual(best.step, 200)
        XCTAssertTrue(best.rule.hasPrefix("best mean validation recall@20"), best.rule)
    }

    /// `runs list` and the Runs screen show a stopped run's validation recall (it has no test
    /// evaluation), marked as validation; a finished run's test value wins.
    func testAStoppedRunIsJudgedByItsValidationSplitsWhereTestIsMissing() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let r = store.recorder(for: id)
        r.recordEval(step: 50, split: EvaluationSplit.validationWarm.rawValue, metrics: ["recall@20": 0.3])
        r.recordEval(step: 50, split: EvaluationSplit.validationColdItem.rawValue, metrics: ["recall@20": 0.1])
        try r.finish(status: .stopped)
        let stopped = try XCTUnwrap(try store.bestEvaluation(id))
        XCTAssertEqual(stopped.testOrValidation(split: "warm", key: "recall@20")?.value, 0.3)
        XCTAssertEqual(stopped.testOrValidation(split: "warm", key: "recall@20")?.isValidation, true)
        XCTAssertNil(stopped.testOrValidation(split: "cold_user", key: "recall@20"), "no such split evaluated")

        let finished = BestEvaluation(step: 50, rule: "", points: stopped.points + [
            EvalPoint(step: 50, split: "warm", metric: "recall", k: 20, value: 0.28)])
        XCTAssertEqual(finished.testOrValidation(split: "warm", key: "recall@20")?.value, 0.28)
        XCTAssertEqual(finished.testOrValidation(split: "warm", key: "recall@20")?.isValidation, false)
    }

    /// A note per run (an empty one removes it) and deleting a run with everything it recorded;
    /// a run still being recorded is refused.
    func testNotesAndDeletingARun() throws {
        let store = try RunStore(directory: dir)
        let a = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let r = store.recorder(for: a)
        r.recordLoss(step: 1, total: 1)
        r.recordEval(step: 1, split: "warm", metrics: ["recall@20": 0.1])
        r.recordSettingChange(step: 1, key: "lr", old: "0.001", new: "0.01")
        r.recordCheckpoint(step: 1, path: "x", isBest: true)
        XCTAssertThrowsError(try store.deleteRun(a), "a run this process still records") { e in
            XCTAssertEqual(e as? RunStoreError, .runStillRecording(a.rawValue))
        }
        try r.finish(status: .finished)
        try store.setNote(a, "  baseline  ")
        XCTAssertEqual(try store.notes(), [a: "baseline"])
        try store.setNote(a, " ")
        XCTAssertEqual(try store.notes(), [:])
        try store.setNote(a, "keep")
        XCTAssertThrowsError(try store.setNote(RunID("nosuch"), "x"))
        try FileManager.default.createDirectory(at: store.runDirectory(a), withIntermediateDirectories: true)
        try store.deleteRun(a)
        XCTAssertNil(try store.run(a))
        XCTAssertTrue(try store.lossSeries(a).isEmpty && store.evalSeries(a).isEmpty && store.settingChanges(a).isEmpty
                      && store.checkpoints(a).isEmpty && store.notes().isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.runDirectory(a).path))
    }

    func testBestEvaluationWithoutValidationIsTheLastOne() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let r = store.recorder(for: id)
        r.recordEval(step: 10, split: "warm", metrics: ["recall@20": 0.5])
        r.recordEval(step: 20, split: "warm", metrics: ["recall@20": 0.4])
        try r.flush()
        XCTAssertEqual(try store.bestEvaluation(id)?.step, 20)
        XCTAssertEqual(try store.bestEvaluation(id)?.rule, "last evaluation")
    }

    func testRunsAreFoundByPrefixOrLastAndUnknownOnesNamed() throws {
        let store = try RunStore(directory: dir)
        let a = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split,
                                    created: Date(timeIntervalSince1970: 1_800_000_000))
        let b = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split,
                                    created: Date(timeIntervalSince1970: 1_900_000_000))
        XCTAssertEqual(try store.listRuns().map(\.id), [a, b])
        XCTAssertEqual(try store.resolveRun("last").id, b)
        XCTAssertEqual(try store.resolveRun(String(a.rawValue.prefix(10))).id, a)
        XCTAssertThrowsError(try store.resolveRun("1999")) { error in
            XCTAssertEqual(error as? RunStoreError, .unknownRun("1999", directory: self.dir.path))
        }
        XCTAssertThrowsError(try store.resolveRun("20")) { error in
            guard case .ambiguousRun? = error as? RunStoreError else { return XCTFail("\(error)") }
        }
        // The workbench prints ids without their date (`114844-b032`); those, and the last part alone, find the run.
        let short = a.short
        XCTAssertEqual(try store.resolveRun(short).id, a)
        XCTAssertEqual(try store.resolveRun(String(a.rawValue.suffix(4))).id, a)
        XCTAssertThrowsError(try store.resolveRun("-" + String(a.rawValue.suffix(4))))
    }

    func testOpeningAMissingStoreForReadingSaysSo() {
        XCTAssertThrowsError(try RunStore(directory: dir, create: false)) { error in
            XCTAssertTrue("\(error)".contains("no run store"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path), "reading must not create the directory")
    }

    func testTheStoreUsesWALWithNormalSync() throws {
        let store = try RunStore(directory: dir)
        try store.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA synchronous"), 1)  // NORMAL
        }
    }

    func testAReaderSeesWholeBatchesWhileTheRunWrites() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let recorder = store.recorder(for: id, flushInterval: 0.01)
        let reader = try RunStore(directory: dir, create: false)
        let total = 3000
        let writer = Thread {
            for step in 0..<total {
                recorder.recordLoss(step: step, total: Double(step))
                if step % 100 == 0 { recorder.recordEval(step: step, split: "warm", metrics: ["recall@20": 0.1]) }
                if step % 300 == 0 { Thread.sleep(forTimeInterval: 0.005) }
            }
        }
        writer.start()
        var seen = 0
        var reads = 0
        let deadline = Date().addingTimeInterval(20)
        while seen < total && Date() < deadline {
            let series = try reader.lossSeries(id)
            // Each flush is one transaction: a reader sees a gap-free prefix, never a torn batch.
            XCTAssertEqual(series.map(\.step), Array(0..<series.count))
            XCTAssertGreaterThanOrEqual(series.count, seen)
            seen = series.count
            reads += 1
            if seen < total { try recorder.flush() }
        }
        XCTAssertEqual(seen, total)
        XCTAssertGreaterThan(reads, 1)
        try recorder.finish(status: .stopped)
        XCTAssertEqual(try reader.run(id)?.status, .stopped)
    }

    func testRecordingIsCheapForTheTrainingLoop() throws {
        let store = try RunStore(directory: dir)
        let id = try store.createRun(settings: Settings(), dataset: Self.dataset, split: Self.split)
        let recorder = store.recorder(for: id)
        let start = Date()
        for step in 0..<50_000 { recorder.recordLoss(step: step, total: 1, parts: ["svsoftmax": 1]) }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 2.0, "50k record calls took \(elapsed) s: recording must only buffer")
        try recorder.finish(status: .finished)
        XCTAssertEqual(try store.lossSeries(id).count, 50_000)
    }

    func testSettingsSurviveTheStoreIncludingLargeSeeds() throws {
        var s = Settings.classicDefaults
        try s.set("seed", "9007199254740993")
        try s.set("k", "5,10")
        try s.set("negatives.shifts", "random")
        try s.set("preference", "wmf,id")
        XCTAssertEqual(try Settings(json: try JSONValue.parse(s.json.jsonText)), s)
        guard case .object(let o) = s.json else { return XCTFail() }
        XCTAssertEqual(o["gamma"], .number(10), "numbers are stored as JSON numbers for json_extract")
        XCTAssertEqual(o["batch_norm"], .bool(true))
    }

    func testUnknownStoredSettingIsAnErrorNamingIt() {
        XCTAssertThrowsError(try Settings(json: .object(["warp_drive": .number(9)]))) { error in
            XCTAssertEqual((error as? SettingsError)?.key, "warp_drive")
        }
    }
}

import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// The content-only baseline (DESIGN §4.8): the run's towers trained on their own with
/// preference dropout 1 — a model that never reads a preference input, selected by its own
/// validation evaluations, trained after the run and reported as `content_only`.
final class ContentOnlyBaselineTests: XCTestCase {
    static func wmfSettings() -> Settings { TrainingFixture.wmfSettings(iterations: 3) }

    /// A copy of `m` filled with noise: a preference input that has nothing to do with the data.
    static func noise(like m: Matrix, seed: UInt64) -> Matrix {
        var rng = SplitMix64(seed: seed)
        let out = Matrix(rows: m.rows, cols: m.cols)
        for i in 0..<out.count { out.data[i] = rng.nextFloat() * 6 - 3 }
        return out
    }

    func testItsModelNeverReadsAPreferenceInputInTrainingOrScoring() throws {
        let data = TrainingFixture.data
        let s = Self.wmfSettings()
        let raw = try Trainer.fitRawWMF(data: data, settings: s)
        let real = Trainer.standardized(raw, data: data)
        let random = (users: Self.noise(like: real.users, seed: 1), items: Self.noise(like: real.items, seed: 2))
        let mainReal = try Trainer(data: data, settings: s, wmf: real, rawWMF: raw)
        let mainRandom = try Trainer(data: data, settings: s, wmf: random, rawWMF: raw)
        // The run's own model reads the preference: the same weights embed differently.
        XCTAssertNotEqual(mainReal.model.embedAllUsers().rowArray(0), mainRandom.model.embedAllUsers().rowArray(0))

        let a = try ContentOnlyBaseline.trainer(for: mainReal), b = try ContentOnlyBaseline.trainer(for: mainRandom)
        XCTAssertTrue(a.model.ignoresPreference)
        XCTAssertEqual([a.initialSettings.userDropout, a.initialSettings.itemDropout], [1, 1])
        for _ in 0..<60 {
            try a.trainStep()
            try b.trainStep()
        }
        // Trained on real and on random preferences, the two baselines are the same model.
        let (ua, ub) = (a.model.embedAllUsers(), b.model.embedAllUsers())
        let (ia, ib) = (a.model.embedAllItems(), b.model.embedAllItems())
        for r in [0, 1, data.userCount / 2, data.userCount - 1] { assertClose(ua.rowArray(r), ub.rowArray(r), "user \(r)") }
        for r in [0, 7, data.itemCount - 1] { assertClose(ia.rowArray(r), ib.rowArray(r), "item \(r)") }
        // Preference rows handed in (the few-shot path) are ignored as well.
        let ids: [Int32] = [0, 5, 9]
        let given = a.model.embedUsers(ids: ids, preference: Self.noise(like: Matrix(rows: 3, cols: real.users.cols), seed: 3))
        for (r, u) in ids.enumerated() { assertClose(given.rowArray(r), ua.rowArray(Int(u)), "given row \(u)") }
        // The embeddings moved from where they started: it did train.
        let fresh = try ContentOnlyBaseline.trainer(for: mainReal)
        XCTAssertNotEqual(fresh.model.embedAllUsers().rowArray(0), ua.rowArray(0))
    }

    func testAnIDPreferenceTableIsNeverReadEither() throws {
        var s = TrainingFixture.settings(epochs: 1)
        s.userPreference = .id
        s.itemPreference = .stats
        let main = try Trainer(data: TrainingFixture.data, settings: s)
        let b = try ContentOnlyBaseline.trainer(for: main)
        for _ in 0..<5 { try b.trainStep() }
        let before = b.model.embedAllUsers()
        guard case .embedding(let table, _) = b.model.user.preference.source else { return XCTFail("an id preference is a table") }
        for p in table.parameters { for i in 0..<p.value.count { p.value.data[i] = 100 } }
        XCTAssertEqual(b.model.embedAllUsers().rowArray(3), before.rowArray(3))
    }

    /// Classic: the same family, its targets still the run's WMF scores, no transform row (a
    /// transform is a preference input too).
    func testClassicBaselineKeepsTheWMFTargetsAndDropsTheTransform() throws {
        var s = Settings.classicDefaults
        s.classicTransform = true
        s.dropoutScaling = true
        let c = ContentOnlyBaseline.settings(for: s)
        XCTAssertEqual(c.model, .classic)
        XCTAssertFalse(c.classicTransform)
        XCTAssertEqual([c.userDropout, c.itemDropout], [1, 1])
        XCTAssertEqual(c.contentOnlyBaseline, .off)
        var other = c
        other.userDropout = s.userDropout; other.itemDropout = s.itemDropout
        other.classicTransform = s.classicTransform; other.contentOnlyBaseline = s.contentOnlyBaseline
        XCTAssertEqual(other, s, "nothing else changes")
    }

    /// A run that reaches its last epoch trains the baseline after its test, reports its steps
    /// apart from the run's, selects its weights by its own validation and adds its test as
    /// `content_only` (the run's towers with the preference zeroed are `zeroed_preference`).
    func testARunTrainsItAfterItsTestSelectsItByItsOwnValidationAndReportsIt() throws {
        var s = TrainingFixture.settings(epochs: 2)
        s.evalEvery = 60
        s.contentOnlyBaseline = .trained
        let run = try TrainingRun(data: TrainingFixture.data, settings: s)
        let log = BaselineLog()
        run.observers = [log]
        let result = try run.trainToEnd()
        let b = try XCTUnwrap(run.contentOnly)

        XCTAssertEqual(log.steps, Array(1...run.trainer.totalSteps), "the run's steps are the run's alone")
        XCTAssertEqual(log.baselineSteps, Array(1...b.totalSteps))
        XCTAssertEqual(log.added, ["content_only"])
        XCTAssertEqual(log.finished, 1)
        let started = try XCTUnwrap(log.events.firstIndex(of: "training the content-only baseline…"), "\(log.events)")
        XCTAssertTrue(log.events[..<started].contains { $0.hasPrefix("test evaluation with the weights of step") })

        // Its own validation history on the run's schedule, its own best.
        XCTAssertEqual(b.evaluations.map(\.step), run.trainer.evaluations.map(\.step))
        XCTAssertNotEqual(b.evaluations.map(\.score), run.trainer.evaluations.map(\.score))
        let bestScore = try XCTUnwrap(b.evaluations.compactMap(\.score).max())
        XCTAssertEqual(b.best?.score, bestScore)
        // The reported test is that of the weights of its best validation.
        XCTAssertEqual(try XCTUnwrap(b.evaluateValidation().score), bestScore, accuracy: 1e-12)
        let reported = try XCTUnwrap(result.baselines["content_only"])
        let retested = b.evaluateTest().report
        for split in ["warm", "cold_user", "cold_item"] {
            let x = try XCTUnwrap(reported[split]?.recall(at: 20), split), y = try XCTUnwrap(retested[split]?.recall(at: 20))
            XCTAssertEqual(x, y, accuracy: 1e-12, split)
        }
        XCTAssertEqual(run.result?.baselines["content_only"], reported)
        let zeroed = try XCTUnwrap(result.baselines["zeroed_preference"]?["warm"]?.recall(at: 20))
        XCTAssertNotEqual(try XCTUnwrap(reported["warm"]?.recall(at: 20)), zeroed, "a model of its own, not the run's towers")
    }

    func testOffTrainsNothingAndAStopDuringItLeavesItUnreported() throws {
        var s = TrainingFixture.settings(epochs: 1)
        let off = try TrainingRun(data: TrainingFixture.data, settings: s)
        let plain = try off.trainToEnd()
        XCTAssertNil(off.contentOnly)
        XCTAssertEqual(Set(plain.baselines.keys), ["popularity", "zeroed_preference", "wmf"])

        s.contentOnlyBaseline = .trained
        let run = try TrainingRun(data: TrainingFixture.data, settings: s)
        let log = BaselineLog()
        run.observers = [log]
        let result = try XCTUnwrap(try run.train(control: StopBaseline(after: 20)))
        XCTAssertFalse(result.stopped, "the run itself finished")
        XCTAssertNotNil(result.test)
        XCTAssertNil(result.baselines["content_only"])
        XCTAssertEqual(run.contentOnly?.step, 20)
        XCTAssertTrue(log.events.contains { $0.hasPrefix("content-only baseline stopped at step 20") }, "\(log.events)")
        XCTAssertTrue(log.added.isEmpty)
    }

    /// `auto` (the default) trains it on data of the quality table's sizes and leaves it out
    /// above the limit, saying so and how to have it anyway; `trained` and `off` ignore the size.
    func testAutoTrainsItUpToTheLimitAndSaysWhyWhenItDoesNot() {
        let data = TrainingFixture.data
        var s = Settings()
        XCTAssertEqual(s.contentOnlyBaseline, .auto)
        XCTAssertTrue(ContentOnlyBaseline.decision(for: s, data: data).trains)
        let small = data.trainUsers.count - 1
        let skipped = ContentOnlyBaseline.decision(for: s, data: data, limit: small)
        XCTAssertFalse(skipped.trains)
        let note = try? XCTUnwrap(skipped.note)
        XCTAssertTrue(note?.contains("\(data.trainUsers.count) training interactions") == true, note ?? "")
        XCTAssertTrue(note?.contains("baselines.content_only = trained") == true, note ?? "")
        s.contentOnlyBaseline = .trained
        XCTAssertTrue(ContentOnlyBaseline.decision(for: s, data: data, limit: small).trains)
        s.contentOnlyBaseline = .off
        XCTAssertFalse(ContentOnlyBaseline.decision(for: s, data: data).trains)
    }

    /// Live changes of the run are replayed at the same steps, except the preference dropouts.
    func testReplaysTheRunsLiveChangesButNotItsDropouts() throws {
        var s = TrainingFixture.settings(epochs: 1)
        s.contentOnlyBaseline = .trained
        let live = LiveSettings(s)
        let run = try TrainingRun(data: TrainingFixture.data, settings: s, live: live)
        let control = ChangeAt(step: 30, live: live)
        _ = try run.train(control: control)
        let b = try XCTUnwrap(run.contentOnly)
        XCTAssertEqual(b.live.timeline.map(\.key), ["lr"])
        XCTAssertEqual(b.live.timeline.first?.step, 30)
        XCTAssertEqual(b.settings.lr, 0.002)
        XCTAssertEqual([b.settings.userDropout, b.settings.itemDropout], [1, 1])
    }

    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5, what, line: line) }
    }
}

private final class BaselineLog: TrainingRunObserver {
    var steps: [Int] = []
    var baselineSteps: [Int] = []
    var added: [String] = []
    var events: [String] = []
    var finished = 0

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) { steps.append(run.trainer.step) }
    func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown) {
        baselineSteps.append(trainer.step)
    }
    func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult) { added.append(name) }
    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) { events.append(message) }
    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) { finished += 1 }
}

/// Lets the run finish, then stops its content-only baseline after `after` steps.
private final class StopBaseline: TrainingRunControl {
    let after: Int
    init(after: Int) { self.after = after }
    func nextDecision(for run: TrainingRun) -> TrainingRunDecision { (run.contentOnly?.step ?? 0) < after ? .proceed : .stop }
}

/// Turns the run's knobs at `step`: a learning rate and the user dropout.
private final class ChangeAt: TrainingRunControl {
    let step: Int
    let live: LiveSettings
    init(step: Int, live: LiveSettings) { self.step = step; self.live = live }
    func nextDecision(for run: TrainingRun) -> TrainingRunDecision {
        if run.contentOnly == nil && run.trainer.step == step {
            _ = try? live.update(key: "lr", value: "0.002")
            _ = try? live.update(key: "user_dropout", value: "0.6")
        }
        return .proceed
    }
}

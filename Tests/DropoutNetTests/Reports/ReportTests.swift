import Foundation
import XCTest
@testable import DropoutNet

/// The `--json` reports: DESIGN §10's shapes pinned by golden files, and JSON's lack of NaN
/// handled as null.
final class ReportTests: XCTestCase {
    /// Metrics of one split with the given recall@20 (and matching ndcg, precision, hit rate),
    /// half its users at 0 and half at twice the mean, so its standard error is not 0.
    static func metrics(users: Int, recall: Double) -> SplitMetrics {
        var sums = MetricSums(kCount: 1)
        sums.users = users
        sums.recall = [recall * Double(users)]
        sums.recallSquares = [2 * recall * recall * Double(users)]
        sums.ndcg = [recall / 2 * Double(users)]
        sums.precision = [recall / 10 * Double(users)]
        sums.hitRate = [min(1, recall * 2) * Double(users)]
        return SplitMetrics(sums: sums, ks: [20])
    }

    static func report(_ splits: [String: SplitMetrics?]) -> EvaluationReport {
        EvaluationReport(order: EvaluationSplit.test.map(\.rawValue), splits: splits)
    }

    /// A finished run: a NaN metric, a split with no users, a few-shot point with no users, a
    /// baseline that cannot score the cold splits.
    static var result: TrainingResult {
        var r = TrainingResult(steps: 120)
        r.best = EvaluationRecord(step: 100, epoch: 1, elapsed: 3, report: EvaluationReport(), score: 0.25)
        r.test = EvaluationRecord(step: 120, epoch: 1, elapsed: 4, report: report([
            "warm": metrics(users: 40, recall: 0.5), "cold_user": metrics(users: 10, recall: .nan), "cold_item": nil,
        ]), score: 0.5)
        r.baselines = ["popularity": report(["warm": metrics(users: 40, recall: 0.125), "cold_user": metrics(users: 10, recall: 0.0625),
                                             "cold_item": nil]),
                       "wmf": report(["warm": metrics(users: 40, recall: 0.375), "cold_user": nil, "cold_item": nil])]
        r.fewShot = FewShotReport(counts: [0, 1], metrics: [0: metrics(users: 5, recall: 0.25), 1: nil], preference: "stats")
        r.trainingSeconds = 2
        r.batchSize = 64
        r.seconds = 5.4321
        r.checkpoint = "runs/r1/checkpoints/step-100.dnckpt"
        return r
    }

    func testTrainReportMatchesItsGoldenFile() throws {
        var report = RunReport(Self.result, run: "r1", data: TrainingFixture.data, settings: Settings())
        XCTAssertEqual(report.settings, Settings().json, "the settings object is `Settings.json`")
        // Which settings exist is the settings table's business; the report's shape is this test's.
        report.settings = .object(["epochs": .number(2), "loss": .array([.string("svsoftmax")])])
        try JSONGolden.assertMatches(report, fixture: "train-report.json")
        XCTAssertEqual(report.throughput.samplesPerSecond, 3840, "120 steps × 64 in 2 s")
    }

    /// `eval`: the same shape; nothing was trained, so no rate (null, not 0); no run id: null.
    func testEvalReportHasTheSameShapeWithNullRate() throws {
        var r = Self.result
        r.trainingSeconds = 0
        let report = RunReport(r, run: nil, data: TrainingFixture.data, settings: Settings())
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONOutput.data(report)) as? [String: Any])
        XCTAssertTrue(o["run"] is NSNull)
        let throughput = try XCTUnwrap(o["throughput"] as? [String: Any])
        XCTAssertTrue(throughput["samples_per_s"] is NSNull, "\(throughput)")
        XCTAssertEqual(throughput["steps"] as? Int, 120)
    }

    /// JSON has no NaN: a NaN metric is written as null, never as `nan` (and the rest of the
    /// object is still written).
    func testANaNMetricIsWrittenAsNull() throws {
        let values = MetricValues(Self.metrics(users: 3, recall: .nan))
        let text = try JSONOutput.text(values)
        XCTAssertFalse(text.lowercased().contains("nan"), text)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertTrue(o["recall@20"] is NSNull, text)
        XCTAssertEqual(o["users"] as? Int, 3)
        XCTAssertEqual(try JSONOutput.decode(MetricValues.self, from: text).values["recall@20"], .some(nil))
        XCTAssertEqual(JSONValue.object(["loss": .number(.infinity), "n": .number(1)]).jsonText, #"{"loss":null,"n":1}"#)
        let list = RunsReport.Comparison(runs: [], differingSettings: [:], bestMetrics: ["warm/recall@20": [0.5, .nan, nil]])
        XCTAssertEqual(try JSONOutput.text(list), #"{"best_metrics":{"warm/recall@20":[0.5,null,null]},"differing_settings":{},"runs":[]}"#)
    }

    /// `runs show --json`: a NaN loss and a run whose steps were never timed print null.
    func testRunDetailMatchesItsGoldenFile() throws {
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let record = RunRecord(
            id: RunID("20260906-120000-abcd"), created: created, finished: created.addingTimeInterval(60), status: .finished,
            model: "easyrec", dataset: DatasetIdentity(name: "fixture", path: "data/fixture", users: 600, items: 1000,
                                                        interactions: 20000, positives: 5000, fingerprint: "f00d"),
            split: SplitIdentity(origin: "random", hash: "beef"), codeVersion: "0.1.0", settings: .object(["gamma": .number(10)]),
            lastStep: 2, lastLoss: .nan, throughput: RunThroughput(steps: 2, trainingSeconds: 0, samplesPerSecond: 0, wallSeconds: 0.5))
        let best = BestEvaluation(step: 2, rule: "last evaluation", points: [
            EvalPoint(step: 2, split: "warm", metric: "recall", k: 20, value: 0.5),
            EvalPoint(step: 2, split: "cold_item", metric: "recall", k: 20, value: .nan),
        ])
        let detail = RunsReport.Detail(
            record, best: best, changes: [SettingChange(step: 1, key: "gamma", old: "10", new: "12", time: created)],
            losses: [LossPoint(step: 1, loss: 2.5, parts: ["svsoftmax": 2.5], time: 0), LossPoint(step: 2, loss: .nan, parts: [:], time: 0)],
            evals: best.points, checkpoints: [CheckpointRecord(step: 2, path: "runs/x.dnckpt", created: created, isBest: true, metrics: ["warm/recall@20": 0.5])],
            baselines: [BaselinePoint(name: "popularity", split: "warm", metric: "recall", k: 20, value: 0.125)])
        try JSONGolden.assertMatches(detail, fixture: "runs-show.json")
    }
}

import DropoutNet
import Workbench
import XCTest

/// The content-only baseline trains after the run has finished: the header says so while it
/// trains, and its recall joins the inspector when it is ready.
final class ContentOnlyInspectorTests: XCTestCase {
    func render(_ snapshot: TrainingSnapshot) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 120, height: 40)
        TrainView(snapshot: snapshot, settings: Settings(), datasetName: "test")
            .render(into: &buffer, area: Rect(x: 0, y: 0, width: 120, height: 39), theme: .builtinDefault)
        return buffer
    }

    func testHeaderShowsItTrainingAndTheInspectorItsRecallWhenReady() throws {
        var s = TrainingSnapshot()
        s.state = .finished
        var result = TrainingResult(steps: 100)
        let split = { (recall: Double) -> SplitMetrics in
            var sums = MetricSums(kCount: 1)
            sums.users = 10
            sums.recall = [recall * 10]
            return SplitMetrics(sums: sums, ks: [20])
        }
        result.baselines["popularity"] = EvaluationReport(order: ["warm"], splits: ["warm": split(0.0625)])
        s.result = result
        s.baselineTraining = BaselineProgress(name: "content_only", step: 40, totalSteps: 100)
        var text = render(s).textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("finished · content-only 40%"), text)
        XCTAssertTrue(text.contains("training…"), text)

        result.baselines["content_only"] = EvaluationReport(order: ["warm"], splits: ["warm": split(0.1875)])
        s.result = result
        s.baselineTraining = nil
        text = render(s).textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("0.1875"), text)
        XCTAssertFalse(text.contains("training…"), text)
        XCTAssertFalse(text.contains("content-only 40%"), text)
    }

    /// Validation and test never share a column: popularity@20 stays on validation when the
    /// run's test arrives, and the test numbers sit under columns titled "test …".
    func testTheInspectorKeepsValidationAndTestInColumnsOfTheirOwn() throws {
        let split = { (recall: Double) -> SplitMetrics in
            var sums = MetricSums(kCount: 1)
            sums.users = 10
            sums.recall = [recall * 10]
            return SplitMetrics(sums: sums, ks: [20])
        }
        var s = TrainingSnapshot()
        s.state = .finished
        let validation = EvaluationReport(order: ["validation_warm"], splits: ["validation_warm": split(0.3125)])
        s.evaluations = [EvaluationRecord(step: 80, epoch: 1, elapsed: 1, report: validation, score: 0.3125)]
        s.best = s.evaluations[0]
        let popularity = EvaluationReport(order: ["validation_warm"], splits: ["validation_warm": split(0.0625)])
        func render() -> [String] {
            var buffer = ScreenBuffer(width: 140, height: 40)
            TrainView(snapshot: s, settings: Settings(), datasetName: "test", popularity: popularity)
                .render(into: &buffer, area: Rect(x: 0, y: 0, width: 140, height: 39), theme: .builtinDefault)
            return buffer.textLines()
        }
        var lines = render()
        var text = lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Inspector — validation @ step 80"), text)
        XCTAssertFalse(text.contains("test recall@20"), "no test columns before the test:\n\(text)")

        var result = TrainingResult(steps: 100)
        // The test's ten users: half at 0, half at 0.875; the standard error of their mean is
        // 0.4375 / √9.
        var testSums = MetricSums(kCount: 1)
        testSums.users = 10
        testSums.recall = [4.375]
        testSums.recallSquares = [5 * 0.875 * 0.875]
        result.test = EvaluationRecord(step: 80, epoch: 1, elapsed: 2,
                                       report: EvaluationReport(order: ["warm"], splits: ["warm": SplitMetrics(sums: testSums, ks: [20])]),
                                       score: 0.4375)
        result.baselines["popularity"] = EvaluationReport(order: ["warm"], splits: ["warm": split(0.1875)])
        result.baselines["content_only"] = EvaluationReport(order: ["warm"], splits: ["warm": split(0.25)])
        s.result = result
        lines = render()
        text = lines.joined(separator: "\n")
        let header = try XCTUnwrap(lines.first { $0.contains("popularity@20") && $0.contains("test recall@20") }, text)
        let warm = try XCTUnwrap(lines.first { $0.contains("│warm") }, text)
        func value(under title: String) -> String {
            guard let r = header.range(of: title) else { return "?" }
            let end = header.distance(from: header.startIndex, to: r.upperBound)
            let start = header.distance(from: header.startIndex, to: r.lowerBound)
            let chars = Array(warm)
            return String(chars[start..<min(end, chars.count)]).trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(value(under: "recall@20 "), "0.3125", "validation recall\n\(text)")
        XCTAssertEqual(value(under: " popularity@20"), "0.0625", "popularity stays on validation\n\(text)")
        XCTAssertTrue(warm.contains("0.4375±.146"), "the test recall with its standard error\n\(text)")
        XCTAssertEqual(value(under: "test recall@20"), "0.4375±.146", "in the test recall's column\n\(text)")
        XCTAssertEqual(value(under: "test popularity@20"), "0.1875", text)
        XCTAssertEqual(value(under: "test content-only@20"), "0.2500", text)
    }
}

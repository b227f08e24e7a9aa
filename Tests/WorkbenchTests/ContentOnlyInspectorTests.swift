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
}

import XCTest
@testable import DropoutNet

/// The bundled sample-data with default settings (one epoch to keep the suite fast; the CLI
/// runs the default ten): cold users and cold items must clearly beat popularity.
final class SampleDataTrainingTests: XCTestCase {
    func testDefaultsBeatPopularityOnColdSplits() throws {
        let dir = TrainingFixture.packageRoot.appendingPathComponent("sample-data").path
        guard FileManager.default.fileExists(atPath: dir + "/interactions.csv") else {
            return XCTFail("\(dir)/interactions.csv is missing: sample-data/ is tracked in the repository, so the package is incomplete")
        }
        let dataset = try DatasetLoader.load(directory: dir, format: .auto, useCache: false)
        let data = try TrainingData.prepare(dataset: dataset, split: try Splitter.make(dataset, SplitOptions()))
        var s = Settings()
        s.epochs = 1
        let t = try Trainer(data: data, settings: s)
        while !t.isFinished { try t.trainStep() }
        let (test, baselines) = t.finish()
        for split in ["cold_item", "cold_user"] {
            let model = try XCTUnwrap(test.report[split]?.recall(at: 20))
            let pop = try XCTUnwrap(baselines["popularity"]?[split]?.recall(at: 20))
            XCTAssertGreaterThan(model, pop * 1.15, "\(split): model recall@20 \(model) vs popularity \(pop)")
        }
    }
}

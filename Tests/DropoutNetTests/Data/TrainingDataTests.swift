import XCTest
import Numerics
@testable import DropoutNet

final class TrainingDataTests: XCTestCase {
    func testBundleOnSampleDataIsConsistent() throws {
        let d = SplitTests.sample
        let data = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions()))
        XCTAssertEqual(data.userFeatures.rows, d.userCount)
        XCTAssertEqual(data.itemFeatures.rows, d.itemCount)
        XCTAssertEqual(data.trainUsers.count, data.split.train.count)
        XCTAssertEqual(data.positiveUsers.count, data.trainLabels.filter { $0 == 1 }.count)
        XCTAssertEqual(data.itemPopularity.reduce(0, +), data.positiveUsers.count)
        // Cold entities: zero preference statistics, absent from the known masks.
        for u in data.split.coldUsers {
            XCTAssertFalse(data.isKnownUser[Int(u)])
            XCTAssertEqual(data.userStats.rowArray(Int(u)), [0, 0, 0, 0])
        }
        for i in data.split.coldItems { XCTAssertEqual(data.itemStats.rowArray(Int(i)), [0, 0, 0, 0]) }
        XCTAssertEqual(data.candidates[.coldItem], data.split.coldItemCandidates)
        XCTAssertEqual(data.candidates[.warm], data.warmItems)
        let targets = data.evaluationTargets()
        XCTAssertEqual(targets.map(\.name), ["warm", "cold_user", "cold_item"])
        XCTAssertGreaterThan(targets[0].userCount, 100)
        // Warm evaluation masks exactly the user's training positives.
        let u = targets[0].users[0]
        XCTAssertEqual(Array(targets[0].excluded(ofUserAt: 0)), Array(data.trainPositives[Int(u)]))
        XCTAssertTrue(targets[1].excluded(ofUserAt: 0).isEmpty)
    }

    func testEncodersAreFittedOnTrainingEntitiesOnly() throws {
        // Item z (genre "western", word "saloon") is only ever seen by a cold split.
        let dir = try DataFixture.directory([
            "interactions.csv": "a,x,1\na,y,1\nb,x,1\nb,y,0\nc,z,1\n",
            "items.csv": "item,genre,blurb,year\nx,drama,sad sad story,1990\ny,drama,story,2000\nz,western,saloon story,3000\n",
            "train.csv": "a,x\na,y\nb,x\nb,y\n",
            "test.csv": "c,z\n",
            "dataset.toml": "name = \"tiny\"\n[items.columns]\ngenre = \"categorical\"\nblurb = \"text\"\nyear = \"numeric\"\n",
        ])
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.name, "tiny")
        let split = try Splitter.make(d, SplitOptions(splitDir: dir))
        XCTAssertEqual(split.coldItems, [2])
        XCTAssertEqual(split.coldUsers, [2])
        // The old scheme's smoothed idf keeps words of two training items (the paper's
        // log(N / (1 + df)) drops every word at N = 2; FeatureEncoderTests covers it).
        var options = EncoderOptions.hashedTags
        options.textMinDocumentFrequency = 1
        let data = try TrainingData.prepare(dataset: d, split: split, encoderOptions: options)
        let names = data.itemFeatures.sparseNames
        XCTAssertTrue(names.contains("genre=drama"))
        XCTAssertFalse(names.contains("genre=western"))
        XCTAssertFalse(names.contains { $0.contains("saloon") })
        XCTAssertTrue(names.contains("blurb:story"))
        // Year is z-scored with the mean/std of x and y only (1995 ± 5): z's 3000 is far out.
        XCTAssertEqual(data.itemFeatures.dense[0, 0], -1, accuracy: 1e-5)
        XCTAssertEqual(data.itemFeatures.dense[2, 0], 201, accuracy: 1e-2)
        // The cold pair is in neither warm nor cold-user/item tests (both sides cold): dropped.
        XCTAssertTrue(split.warmTest.isEmpty && split.coldItemTest.isEmpty && split.coldUserTest.isEmpty)
    }

    func testWMFHookStandardisesKnownNonZeroRowsAndClips() {
        let f = Matrix([[1, 10], [3, 20], [0, 0], [100, 30], [5, 5]])
        let out = PreferenceInputs.standardizedWMF(f, known: [true, true, true, true, false])
        XCTAssertEqual(out.rowArray(2), [0, 0], "all-zero row stays zero")
        XCTAssertEqual(out.rowArray(4), [0, 0], "unknown row is zero")
        // Column 1 over rows 0, 1, 3: mean 20, std √(200/3).
        XCTAssertEqual(out[0, 1], Float(-10 / (200.0 / 3).squareRoot()), accuracy: 1e-5)
        XCTAssertLessThanOrEqual(out[3, 0], 5)
        XCTAssertEqual(f[0, 0], 1, "input untouched")
    }
}

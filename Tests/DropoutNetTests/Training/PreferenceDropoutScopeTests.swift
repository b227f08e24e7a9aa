import Numerics
import XCTest
@testable import DropoutNet

/// `PreferenceDropoutScope`: a side with no content and no cold entity to serve trains without
/// preference dropout.
final class PreferenceDropoutScopeTests: XCTestCase {
    /// A split directory's world (train.csv and test.csv, no content): no user is cold.
    static let contentlessUsers: TrainingData = {
        let dir = try! ValidationCarveTests.world()
        defer { DataFixture.remove(dir) }
        let d = try! DataFixture.load(dir)
        return try! TrainingData.prepare(dataset: d, split: try! Splitter.make(d, SplitOptions(validation: 0.1, splitDir: dir)))
    }()

    func testOnlyASideWithoutContentAndWithoutColdEntitiesIsLeftOut() throws {
        let both = PreferenceDropoutScope(data: TrainingFixture.data)
        XCTAssertEqual(both, PreferenceDropoutScope(users: true, items: true))
        XCTAssertNil(both.note)

        let data = Self.contentlessUsers
        XCTAssertEqual(data.userFeatures.width, 0)
        XCTAssertEqual(data.evaluatedUserCount(.coldUser) + data.evaluatedUserCount(.validationColdUser), 0)
        let scope = PreferenceDropoutScope(data: data)
        XCTAssertFalse(scope.users)
        XCTAssertGreaterThan(data.evaluatedUserCount(.validationColdItem), 0, "the carve makes cold items to serve")
        XCTAssertTrue(scope.items, "items without content keep their dropout where cold items are scored")
        var s = Settings()
        s.userDropout = 0.7
        s.itemDropout = 0.4
        XCTAssertEqual(scope.rates(s).user, 0)
        XCTAssertEqual(scope.rates(s).item, 0.4)
        XCTAssertTrue(try XCTUnwrap(scope.note).hasPrefix("user_dropout not applied"))

        // The same users with cold ones to serve keep their dropout: a dropped row is what a
        // cold user looks like.
        let d = data.dataset
        let withCold = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions(coldUsers: 0.2)))
        XCTAssertGreaterThan(withCold.evaluatedUserCount(.coldUser), 0)
        XCTAssertTrue(PreferenceDropoutScope(data: withCold).users)
    }

    /// Such a run trains exactly as one with user dropout 0, whatever its rate (where cold users
    /// are served the rate matters); and its log says why the rate is not applied.
    func testARunLeavesOutTheRateAndSaysSo() throws {
        func losses(_ data: TrainingData, _ rate: Double) throws -> [Double] {
            var s = TrainingFixture.settings(epochs: 1)
            s.userDropout = rate
            let t = try Trainer(data: data, settings: s)
            return try (0..<5).map { _ in try t.trainStep().total }
        }
        XCTAssertEqual(try losses(Self.contentlessUsers, 0), try losses(Self.contentlessUsers, 0.9))
        XCTAssertNotEqual(try losses(TrainingFixture.data, 0), try losses(TrainingFixture.data, 0.9))

        var s = TrainingFixture.settings(epochs: 1)
        s.userDropout = 0.9
        let run = try TrainingRun(data: Self.contentlessUsers, settings: s)
        let log = EventLog()
        run.observers.append(log)
        _ = try run.trainToEnd()
        XCTAssertEqual(log.events.filter { $0.hasPrefix("user_dropout not applied") }.count, 1, "\(log.events.prefix(3))")
    }
}

private final class EventLog: TrainingRunObserver {
    var events: [String] = []
    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) { events.append(message) }
}

import XCTest
@testable import DropoutNet

/// A population-based sweep on the small in-memory world: members trained together, the weaker
/// copying the stronger at rounds, the changes recorded in their runs like a user's own.
final class PopulationTrainingTests: XCTestCase {
    static func definition() -> SweepDefinition {
        var base = TrainingFixture.settings(epochs: 2)
        base.evalEvery = 20
        base.userPreference = .stats
        base.itemPreference = .stats
        return SweepDefinition(
            base: base,
            parameters: [
                SweepParameter(key: "lr", domain: .range(low: 1e-4, high: 3e-2, log: true, integer: false)),
                SweepParameter(key: "item_dropout", domain: .range(low: 0, high: 1, log: false, integer: false)),
                SweepParameter(key: "loss", domain: .choices(["svsoftmax", "pairwise"])),
            ],
            searcher: .pbt, pbt: PopulationBasedTraining(population: 3, interval: 1, resample: 0.5), seed: 8,
            source: "test population sweep")
    }

    final class Log: SweepObserver {
        let lock = NSLock()
        var lines: [String] = []
        func sweep(_ sweep: SweepRunner, didLog message: String) { lock.lock(); lines.append(message); lock.unlock() }
    }

    func run(_ d: SweepDefinition) throws -> (SweepRunner, SweepSnapshot, [String], URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pbt-\(UUID().uuidString)")
        let runner = SweepRunner(definition: d, data: TrainingFixture.data, store: try RunStore(directory: dir), datasetPath: "fixture")
        let log = Log()
        runner.observers = [log]
        return (runner, try runner.run(), log.lines, dir)
    }

    func testMembersCopyAtRoundsAndTheirRunsCarryTheChangesAsMarkers() throws {
        let d = Self.definition()
        let (runner, snapshot, log, dir) = try run(d)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(snapshot.trials.map(\.number), [1, 2, 3])
        XCTAssertTrue(snapshot.trials.allSatisfy { $0.status == .finished }, "\(snapshot.trials.map { ($0.status, $0.result.message) })")
        let copies = log.filter { $0.contains("takes the weights of trial") }
        XCTAssertFalse(copies.isEmpty, "\(log)")

        var changed = 0
        for t in snapshot.trials {
            let changes = try runner.store.settingChanges(XCTUnwrap(t.run))
            let record = try XCTUnwrap(try runner.store.run(XCTUnwrap(t.run)))
            for c in changes {
                XCTAssertEqual(c.step % 20, 0, "a change takes effect right after a round: \(c)")
                XCTAssertTrue(["lr", "item_dropout", "loss", "loss_weights"].contains(c.key), "\(c)")
            }
            if !changes.isEmpty {
                changed += 1
                // The leaderboard shows the values it ended with; the proposal is kept beside them.
                let start = try XCTUnwrap(t.result.startValues, "\(t)")
                XCTAssertNotEqual(start, t.values)
                XCTAssertEqual(Double(start["item_dropout"]!), Double(record.settingTexts["item_dropout"]!))
            }
            XCTAssertEqual(record.status, .finished)
            // The run starts from its proposed values; its changes replay from there.
            if let first = changes.first(where: { $0.key == "item_dropout" }) {
                XCTAssertEqual(Double(first.old), Double(record.settingTexts["item_dropout"]!))
            }
        }
        XCTAssertGreaterThan(changed, 0, "the copied members' settings moved")
        XCTAssertEqual(try runner.store.sweepTrials(runner.id).map(\.values), snapshot.trials.map(\.values), "the store has the values they ended with")

        // `sweep --json` names the population and each moved member's proposal.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(SweepReport(snapshot, definition: d, seconds: 1))) as! [String: Any]
        XCTAssertEqual((json["pbt"] as? [String: Any])?["population"] as? Int, 3)
        let reported = try XCTUnwrap(json["trials"] as? [[String: Any]])
        XCTAssertEqual(reported.filter { $0["start_settings"] is [String: String] }.count, changed)

        // The same seed gives the same population, the same rounds and the same results.
        let (_, again, againLog, dir2) = try run(d)
        defer { try? FileManager.default.removeItem(at: dir2) }
        XCTAssertEqual(again.trials.map(\.result.objective), snapshot.trials.map(\.result.objective))
        XCTAssertEqual(againLog.filter { $0.contains("takes the weights") }.sorted(), copies.sorted())
    }

    func testAnEndedPopulationIsKeptAndAnInterruptedOneTrainedAgainWhole() throws {
        let d = Self.definition()
        let (first, snapshot, _, dir) = try run(d)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = first.store
        let runs = try store.listRuns().count
        let again = try SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture").run()
        XCTAssertEqual(again.trials.map(\.run), snapshot.trials.map(\.run), "every member kept")
        XCTAssertEqual(try store.listRuns().count, runs, "nothing trained again")

        // Member 2 as a killed process leaves it: running, its writer gone.
        let killed = try XCTUnwrap(snapshot.trials[1].run)
        try store.write { db in
            try db.execute(sql: "UPDATE runs SET sweep_status = 'running', status = 'running', writer_pid = 999999999 WHERE id = ?",
                           arguments: [killed.rawValue])
        }
        let resumed = try SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture").run()
        XCTAssertEqual(resumed.trials.map(\.number), [1, 2, 3])
        XCTAssertTrue(Set(resumed.trials.compactMap(\.run)).isDisjoint(with: snapshot.trials.compactMap(\.run)), "the whole population trained again")
        XCTAssertEqual(try store.sweepTrials(first.id).filter { $0.status == .superseded }.count, 3)
        XCTAssertEqual(resumed.trials.map(\.result.objective), snapshot.trials.map(\.result.objective), "the same seed, the same population")
    }
}

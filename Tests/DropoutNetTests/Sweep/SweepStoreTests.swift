import XCTest
@testable import DropoutNet

/// Trials as tagged runs, and stores from before sweeps (schema v3) still opening.
final class SweepStoreTests: XCTestCase {
    func testAStoreFromBeforeSweepsIsMigratedAndKeepsItsRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweepstore-old-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let id: RunID
        do {
            // Make a current store look like one written before v4: no sweep table or columns,
            // the migration not applied.
            let store = try RunStore(directory: dir)
            id = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
            try store.write { db in
                try db.execute(sql: "DROP INDEX runs_sweep")
                for column in ["sweep", "sweep_trial", "sweep_status", "sweep_values", "sweep_result"] {
                    try db.execute(sql: "ALTER TABLE runs DROP COLUMN \(column)")
                }
                try db.execute(sql: "DROP TABLE sweeps")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v4-sweeps'")
            }
            XCTAssertThrowsError(try store.sweepTrials("sweep-x"), "the old store has no sweeps")
        }
        let reopened = try RunStore(directory: dir)
        XCTAssertEqual(try reopened.listRuns().map(\.id), [id])
        XCTAssertEqual(try reopened.sweepTrials("sweep-x"), [])
        try reopened.openSweep(id: "sweep-x", definition: "seed = 1")
        try reopened.startTrial(run: id, sweep: "sweep-x", trial: 1, values: ["lr": "0.001"])
        XCTAssertEqual(try reopened.sweepTrials("sweep-x").map(\.status), [.running])
    }

    func testATrialsEndAndResultReadBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweepstore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RunStore(directory: dir)
        let a = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
        let b = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
        try store.openSweep(id: "sweep-1", definition: "x")
        try store.openSweep(id: "sweep-1", definition: "x")
        try store.startTrial(run: a, sweep: "sweep-1", trial: 2, values: ["item_dropout": "0.4"])
        try store.startTrial(run: b, sweep: "sweep-1", trial: 1, values: ["item_dropout": "0.9"])
        var r = SweepTrialResult()
        r.objective = 0.25
        r.validation = ["warm": 0.3, "cold_item": 0.2]
        r.rungs = [SweepRungValue(rung: 0, step: 50, value: 0.2)]
        try store.endTrial(run: a, status: .pruned, result: r)
        let trials = try store.sweepTrials("sweep-1")
        XCTAssertEqual(trials.map(\.number), [1, 2])
        XCTAssertEqual(trials[1].status, .pruned)
        XCTAssertEqual(trials[1].result, r)
        XCTAssertEqual(trials[1].values, ["item_dropout": "0.4"])
        XCTAssertEqual(trials[0].status, .running, "this process is alive")
        XCTAssertEqual(try store.sweepIDs(), ["sweep-1"])
    }

    func testAStoreFromBeforeSweepTimesIsMigratedAndKeepsItsSweep() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweepstore-v4-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            // A store as schema v4 left it: sweeps without their time, no refused trials.
            let store = try RunStore(directory: dir)
            try store.openSweep(id: "sweep-y", definition: "seed = 2")
            try store.write { db in
                try db.execute(sql: "DROP TABLE sweep_refused")
                try db.execute(sql: "ALTER TABLE sweeps DROP COLUMN elapsed")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5-sweep-time'")
            }
            XCTAssertThrowsError(try store.sweepElapsed("sweep-y"))
        }
        let reopened = try RunStore(directory: dir)
        XCTAssertEqual(try reopened.sweepIDs(), ["sweep-y"])
        XCTAssertEqual(try reopened.sweepElapsed("sweep-y"), 0)
        try reopened.setSweepElapsed("sweep-y", seconds: 12.5)
        XCTAssertEqual(try reopened.sweepElapsed("sweep-y"), 12.5)
        try reopened.refuseTrial(sweep: "sweep-y", trial: 3, values: ["negatives.m": "999"], reason: "M must be below the batch")
        XCTAssertEqual(try reopened.refusedTrials("sweep-y").map(\.result.message), ["M must be below the batch"])
    }
}

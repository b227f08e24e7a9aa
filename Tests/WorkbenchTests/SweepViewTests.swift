import DropoutNet
import XCTest
@testable import Workbench

/// The Sweep screen drawn from a hand-made snapshot, without a terminal: leaderboard order and
/// columns, the Pareto front in the `good` colour, the highlighted trial's ◆, importance bars.
final class SweepViewTests: XCTestCase {
    static let definition = try! SweepFile.parse("""
        searcher = "random"
        [budget]
        trials = 8
        [parameters]
        item_dropout = { low = 0.0, high = 1.0 }
        lr = { low = 1e-4, high = 1e-2, log = true }
        loss = { choices = ["svsoftmax", "pairwise"] }
        """, file: "sweep.toml")

    static func trial(_ n: Int, _ status: SweepTrialStatus, drop: String, loss: String, warm: Double?, cold: Double?) -> SweepTrial {
        var t = SweepTrial(number: n, run: nil, status: status, values: ["item_dropout": drop, "lr": "0.001", "loss": loss])
        if let warm, let cold {
            t.result.validation = ["warm": warm, "cold_user": cold, "cold_item": cold]
            t.result.objective = (warm + 2 * cold) / 3
        }
        return t
    }

    /// Trials 2 and 4 are the front (4: best warm, 2: best cold); 3 is dominated; 5 runs.
    static let snapshot = SweepSnapshot(id: "sweep-0123456789ab", trials: [
        trial(1, .pruned, drop: "0.1", loss: "svsoftmax", warm: 0.20, cold: 0.05),
        trial(2, .finished, drop: "0.9", loss: "pairwise", warm: 0.25, cold: 0.30),
        trial(3, .finished, drop: "0.5", loss: "pairwise", warm: 0.22, cold: 0.10),
        trial(4, .finished, drop: "0.2", loss: "svsoftmax", warm: 0.40, cold: 0.08),
        trial(5, .running, drop: "0.7", loss: "svsoftmax", warm: nil, cold: nil),
    ], trialLimit: 8, startedAt: 0, isFinished: false)

    func render(width: Int, height: Int, selected: Int? = nil, snapshot: SweepSnapshot = snapshot) -> ScreenBuffer {
        var b = ScreenBuffer(width: width, height: height)
        SweepView(snapshot: snapshot, definition: Self.definition, selectedTrial: selected, state: "running")
            .render(into: &b, area: b.bounds, theme: .builtinDefault)
        return b
    }

    /// Cells holding `scalar` in the role's colour.
    func cells(_ b: ScreenBuffer, where match: (Cell) -> Bool) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<b.height { for x in 0..<b.width where match(b[x, y]) { out.append((x, y)) } }
        return out
    }

    func testLeaderboardRowsBestFirstWithStatusRecallsAndDifferingSettings() {
        for (w, h) in [(80, 24), (140, 45)] {
            let lines = render(width: w, height: h).textLines()
            let screen = lines.joined(separator: "\n")
            XCTAssertTrue(screen.contains("Sweep sweep-0123456789ab"), screen)
            XCTAssertTrue(screen.contains("5/8 trials · running"), screen)
            let order = [2, 4, 3, 1, 5].map { n in lines.firstIndex { $0.contains("#\(n) ") || $0.contains("#\(n)*") } }
            XCTAssertEqual(order.compactMap { $0 }.count, 5, "a row per trial at \(w)×\(h):\n\(screen)")
            XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), "best first at \(w)×\(h):\n\(screen)")
            let best = lines[order[0]!]
            XCTAssertTrue(best.contains("▸"), "the first row is highlighted without a choice: \(best)")
            XCTAssertTrue(best.contains("#2*") && best.contains("finished") && best.contains("0.2833     0.2500") && best.contains("0.2500 0.3000 0.3000"), best)
            XCTAssertTrue(best.contains("item_dropout=0.9"), "differing settings: \(best)")
            XCTAssertFalse(best.contains("lr="), "lr=0.001 is the base's value, not a difference: \(best)")
            XCTAssertTrue(lines[order[1]!].contains("#4*"), "trial 4 is on the front too")
            XCTAssertTrue(lines[order[2]!].contains("#3 "), "trial 3 is dominated by 2")
            XCTAssertTrue(lines[order[4]!].contains("running"))
        }
    }

    func testFrontInTheGoodColourAndTheSelectedTrialMarked() {
        for (w, h) in [(80, 24), (140, 45)] {
            let b = render(width: w, height: h, selected: 4)
            let good = Theme.builtinDefault[.good], dim = Theme.builtinDefault[.dim]
            func isBraille(_ c: Cell) -> Bool { c.scalar.value > 0x2800 && c.scalar.value <= 0x28FF }
            XCTAssertFalse(cells(b) { isBraille($0) && $0.foreground == good }.isEmpty, "front dots at \(w)×\(h)")
            XCTAssertFalse(cells(b) { isBraille($0) && $0.foreground == dim }.isEmpty, "off-front trials 1 and 3 at \(w)×\(h)")
            let screen = b.textLines().joined(separator: "\n")
            XCTAssertTrue(screen.contains("front 2"), screen)
            let marks4 = cells(b) { $0.scalar == SweepScatter.marker }
            XCTAssertEqual(marks4.count, 1, screen)
            // Trial 4 has the best warm recall: the mark sits right of trial 2's.
            let marks2 = cells(render(width: w, height: h, selected: 2)) { $0.scalar == SweepScatter.marker }
            XCTAssertEqual(marks2.count, 1)
            XCTAssertGreaterThan(marks4[0].0, marks2[0].0)
            XCTAssertLessThan(marks2[0].1, marks4[0].1, "trial 2 has the better cold recall: higher up")
            let selectedRow = b.textLines().first { $0.contains("▸") } ?? ""
            XCTAssertTrue(selectedRow.contains("#4*"), selectedRow)
        }
    }

    func testImportanceBarsOnceThreeTrialsEnded() {
        let few = SweepSnapshot(id: "s", trials: Array(Self.snapshot.trials.prefix(2)), trialLimit: nil, startedAt: 0, isFinished: false)
        XCTAssertTrue(render(width: 80, height: 24, snapshot: few).textLines().joined().contains("needs 3 ended (2 so far)"))
        for (w, h) in [(80, 24), (140, 45)] {
            let lines = render(width: w, height: h).textLines()
            let rows = ["item_dropout", "loss", "lr"].map { key in lines.first { $0.contains("│" + key) || $0.contains(" " + key + " ") && $0.contains("%") } }
            for (key, row) in zip(["item_dropout", "loss", "lr"], rows) {
                XCTAssertNotNil(row, "\(key) bar at \(w)×\(h):\n\(lines.joined(separator: "\n"))")
            }
            // The loss splits the ended trials in two groups of different objectives; lr never
            // changes and 4 trials are too few to bin item_dropout: loss leads with a bar, lr is 0%.
            let lossRow = lines.firstIndex { $0.range(of: #"loss\s*█"#, options: .regularExpression) != nil }
            let lrRow = lines.firstIndex { $0.range(of: #"lr\s*░+.*0%"#, options: .regularExpression) != nil }
            XCTAssertNotNil(lossRow, lines.joined(separator: "\n"))
            XCTAssertNotNil(lrRow, lines.joined(separator: "\n"))
            XCTAssertLessThan(lossRow ?? .max, lrRow ?? 0, "most important first")
        }
    }

    func testParallelCoordinatesDrawEachTrialAcrossTheSettingsToItsObjective() {
        let p = Self.definition.parameters
        XCTAssertEqual(SweepParallelCoordinates.position("pairwise", on: p[2]), 1)
        XCTAssertEqual(SweepParallelCoordinates.position("0.001", on: p[1])!, 0.5, accuracy: 1e-9, "log axis 1e-4…1e-2")
        XCTAssertNil(SweepParallelCoordinates.position("softmax", on: p[2]), "not one of the choices")
        for (w, h) in [(80, 24), (140, 45)] {
            var b = ScreenBuffer(width: w, height: h)
            SweepView(snapshot: Self.snapshot, definition: Self.definition, selectedTrial: 4, state: "running", showsParallelCoordinates: true)
                .render(into: &b, area: b.bounds, theme: .builtinDefault)
            let screen = b.textLines().joined(separator: "\n")
            XCTAssertTrue(screen.contains("settings → objective") && !screen.contains("warm recall"), screen)
            XCTAssertTrue(screen.contains("objective"), screen)
            XCTAssertTrue(screen.contains("loss"), screen)
            func isBraille(_ c: Cell) -> Bool { c.scalar.value > 0x2800 && c.scalar.value <= 0x28FF }
            let theme = Theme.builtinDefault
            XCTAssertFalse(cells(b) { isBraille($0) && $0.foreground == theme[.marker] }.isEmpty, "the highlighted trial's line at \(w)×\(h)")
            XCTAssertFalse(cells(b) { isBraille($0) && $0.foreground == theme[.good] }.isEmpty, "the best trial's line at \(w)×\(h)")
        }
    }

    func testWithoutASweepTheScreenSaysHowToStartOne() {
        var b = ScreenBuffer(width: 80, height: 24)
        SweepView().render(into: &b, area: b.bounds, theme: .builtinDefault)
        XCTAssertTrue(b.textLines().joined().contains("no sweep — start one with dropoutnet tui --sweep FILE"))
    }
}

import XCTest
@testable import DropoutNet

/// Reading sweep files: what a good one gives, and errors that name the line of the mistake.
final class SweepFileTests: XCTestCase {
    static let good = """
        searcher = "grid"
        seed = 5
        [budget]
        minutes = 2.5
        [objective]
        split = "cold_item"
        k = 10
        [asha]
        min_steps = 100
        [base]
        epochs = 3
        [base.negatives]
        n = 2
        [parameters]
        lr = { low = 1e-4, high = 1e-2, log = true, points = 3 }
        "negatives.m" = { low = 2, high = 8 }
        loss = { choices = ["svsoftmax", ["svsoftmax", "pairwise"]] }
        item_dropout = { low = 0, high = 1 }
        """

    func testAGoodFileGivesItsDefinition() throws {
        let d = try SweepFile.parse(Self.good, file: "s.toml")
        XCTAssertEqual(d.searcher, .grid)
        XCTAssertEqual(d.seed, 5)
        XCTAssertEqual(d.minutes, 2.5)
        XCTAssertNil(d.trials)
        XCTAssertEqual(d.objective.weights.map(\.split), ["cold_item"])
        XCTAssertEqual(d.objective.k, 10)
        XCTAssertEqual(d.asha, ASHA(minSteps: 100, reductionFactor: 3))
        XCTAssertEqual(d.base.epochs, 3)
        XCTAssertEqual(d.base.contentOnlyBaseline, .off, "a sweep skips the content-only baseline unless asked")
        XCTAssertEqual(d.parameters.map(\.key), ["lr", "negatives.m", "loss", "item_dropout"], "the file's order")
        XCTAssertEqual(d.parameters[0].domain, .range(low: 1e-4, high: 1e-2, log: true, integer: false))
        XCTAssertEqual(d.parameters[1].domain, .range(low: 2, high: 8, log: false, integer: true), "M takes whole numbers only")
        XCTAssertEqual(d.parameters[2].domain, .choices(["svsoftmax", "svsoftmax,pairwise"]))
        XCTAssertEqual(d.parameters[3].domain, .range(low: 0, high: 1, log: false, integer: false))
        XCTAssertEqual(d.trialLimit, 3 * 3 * 2 * 3, "a grid sweep's budget is its grid")
        let s = try d.settings(for: ["lr": "0.001", "negatives.m": "4", "loss": "svsoftmax,pairwise", "item_dropout": "0.2"])
        XCTAssertEqual(s.loss, [.svsoftmax, .pairwise])
        XCTAssertEqual(s.lossWeights, [1, 1])
        XCTAssertEqual(s.negativesM, 4)
        XCTAssertEqual(s.negativesN, 2)
    }

    func assertError(_ text: String, line: Int?, contains fragment: String, file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try SweepFile.parse(text, file: "sweep.toml"), file: file, line: testLine) { error in
            guard let e = error as? SettingsFileError else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: testLine)
            XCTAssertTrue(e.description.hasPrefix("sweep.toml:\(line.map { "\($0):" } ?? "")"), "\(e)", file: file, line: testLine)
            XCTAssertTrue(e.description.contains(fragment), "\(e)", file: file, line: testLine)
        }
    }

    func testErrorsNameTheLineOfTheMistake() {
        let head = "searcher = \"tpe\"\n[budget]\ntrials = 4\n"
        assertError(head + "[parameters]\nlr = { low = 1e-4, high = 1e-2 }\nitem_dropuot = { low = 0, high = 1 }\n",
                    line: 6, contains: "unknown setting 'item_dropuot'")
        assertError(head + "[parameters]\nitem_dropout = { low = 0.8, high = 0.2 }\n", line: 5, contains: "expected high above low")
        assertError(head + "[parameters]\nitem_dropout = { low = 0, high = 2 }\n", line: 5, contains: "setting 'item_dropout'")
        assertError(head + "[parameters]\nlr = { low = 0, high = 1, log = true }\n", line: 5, contains: "log range needs low above 0")
        assertError(head + "[parameters]\nloss = { choices = [\"svsoftmax\", \"hinge\"] }\n", line: 5, contains: "setting 'loss'")
        assertError(head + "[parameters]\n\"negatives.m\" = { low = 2.5, high = 8 }\n", line: 5, contains: "whole numbers")
        assertError(head + "[parameters]\n\"content.svd\" = { low = 0, high = 64 }\n", line: 5, contains: "cannot be swept")
        assertError("searcher = \"bayes\"\n", line: 1, contains: "expected \"random\", \"grid\", \"tpe\"")
        assertError(head + "[objective]\nsplit = \"cold\"\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 5, contains: "cold_user")
        assertError(head + "[objective]\nk = 30\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 5, contains: "recall@30 is not measured")
        assertError(head + "[base]\nepochs = 0\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 5, contains: "setting 'epochs'")
        assertError(head + "[asha]\nreduction_factor = 1\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 5, contains: "≥ 2")
        assertError(head + "budget_minutes = 3\n", line: 4, contains: "unknown key 'budget_minutes'")
        assertError("[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: nil, contains: "no budget")
        assertError("[budget]\ntrials = 3\n[parameters]\nlr = { low = 1e-4 high = 1e-2 }\n", line: 4, contains: "inline table")
    }
}

/// Population-based sweep files: what they give, and what population-based training refuses.
extension SweepFileTests {
    func testAPopulationSweepNeedsNoTrialCountAndKeepsItsRounds() throws {
        let d = try SweepFile.parse("""
            searcher = "pbt"
            [pbt]
            population = 6
            interval = 3
            resample = 0.5
            [parameters]
            lr = { low = 1e-4, high = 1e-2, log = true }
            item_dropout = { low = 0, high = 1 }
            """, file: "p.toml")
        XCTAssertEqual(d.searcher, .pbt)
        XCTAssertEqual(d.pbt, PopulationBasedTraining(population: 6, interval: 3, resample: 0.5))
        XCTAssertEqual(d.trialLimit, 6, "the members are the trials")
        XCTAssertEqual(try SweepFile.parse("searcher = \"pbt\"\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", file: "p").pbt.population, 4)
    }

    func testPopulationErrorsNameTheLine() {
        let check = self
        let head = "searcher = \"pbt\"\n"
        check.assertError(head + "[parameters]\nlr = { low = 1e-4, high = 1e-2 }\nbatch_size = { low = 32, high = 256 }\n",
                          line: 4, contains: "'batch_size' cannot change while training")
        check.assertError(head + "[asha]\nmin_steps = 10\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 3, contains: "leave out [asha]")
        check.assertError(head + "[budget]\ntrials = 8\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 3, contains: "[pbt] population")
        check.assertError(head + "[pbt]\npopulation = 1\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 3, contains: "≥ 2")
        check.assertError(head + "[pbt]\nresample = 2\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 3, contains: "between 0 and 1")
        check.assertError(head + "[base]\neval_every = 0\n[parameters]\nlr = { low = 1e-4, high = 1e-2 }\n", line: 1, contains: "eval_every must be above 0")
    }
}

extension SweepFileTests {
    func testTheExampleSweepFilesRead() throws {
        let examples = TrainingFixture.packageRoot.appendingPathComponent("examples")
        XCTAssertEqual(try SweepFile.load(examples.appendingPathComponent("sweep.toml")).searcher, .tpe)
        let pbt = try SweepFile.load(examples.appendingPathComponent("pbt.toml"))
        XCTAssertEqual(pbt.searcher, .pbt)
        XCTAssertEqual(pbt.pbt.population, 4)
        XCTAssertTrue(pbt.parameters.allSatisfy { Settings.entry($0.key)?.isLive == true })
    }
}

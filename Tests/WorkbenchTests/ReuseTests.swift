import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// Issue 15's reuse: the theme remembered across sessions, the settings as a `train` line, a
/// saved model opened for exploring without training, the few-shot curve on the Train screen.
final class ReuseTests: XCTestCase {
    func testTheChosenThemeIsRememberedAndOtherKeysKept() throws {
        let dir = try temporaryDirectory(self)
        let env = ["XDG_CONFIG_HOME": dir, "HOME": "/nonexistent"]
        let file = try XCTUnwrap(WorkbenchConfig.file(environment: env))
        XCTAssertEqual(file.path, dir + "/dropoutnet/config.toml")
        XCTAssertEqual(WorkbenchConfig.file(environment: ["HOME": "/h"])?.path, "/h/.config/dropoutnet/config.toml")
        XCTAssertEqual(try WorkbenchConfig.read(file), WorkbenchConfig(), "no file yet: nothing remembered")
        try WorkbenchConfig.save(theme: "mono", to: file)
        XCTAssertEqual(try WorkbenchConfig.read(file).theme, "mono")
        try "# mine\nother = 1\ntheme = \"light\"\n[section]\ntheme = \"keep\"\n".write(to: file, atomically: true, encoding: .utf8)
        try WorkbenchConfig.save(theme: "solarized-dark", to: file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "# mine\nother = 1\ntheme = \"solarized-dark\"\n[section]\ntheme = \"keep\"\n")
        try "theme = ".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WorkbenchConfig.read(file)) { e in XCTAssertTrue("\(e)".contains(file.path), "\(e)") }

        // `t` in the app writes it.
        let session = try WorkbenchAppTests.makeSession()
        let app = WorkbenchApp(session: session, terminal: HeadlessTerminal(size: Size(width: 120, height: 40)),
                               themes: ThemeCatalog(directories: []), themeName: "default")
        app.configFile = file
        app.handle(.key(.character("t")))
        XCTAssertEqual(try WorkbenchConfig.read(file).theme, app.themeName)
        XCTAssertNotEqual(app.themeName, "default")

        // `y` in a recorded session writes the line beside the run's checkpoints.
        let store = try RunStore(directory: URL(fileURLWithPath: dir).appendingPathComponent("runs"))
        let recorder = try SessionRecorder(store: store, data: session.data, settings: session.live.current, datasetPath: "sample-data")
        app.recorder = recorder
        app.dataPath = "sample-data"
        app.handle(.key(.character("y")))
        let written = store.runDirectory(recorder.current.run).appendingPathComponent("train-command.txt")
        XCTAssertEqual(try String(contentsOf: written, encoding: .utf8), TrainCommandLine.text(session.live.current, dataPath: "sample-data") + "\n")
        XCTAssertEqual(app.trainLine?.where, "written to \(written.path)")
        try recorder.close(session)
    }

    func testTheSettingsInForceBecomeATrainLineOfTheChangedKeys() throws {
        var s = Settings()
        XCTAssertEqual(TrainCommandLine.text(s, dataPath: "sample-data"), "dropoutnet train --data sample-data")
        try s.set("item_dropout", "0.25")
        try s.set("user_tower", "64,32")
        try s.set("loss", "svsoftmax,pairwise")
        let line = TrainCommandLine.text(s, dataPath: "/data/my movies")
        XCTAssertEqual(line, "dropoutnet train --data '/data/my movies' --set item_dropout=0.25 --set 'loss=[svsoftmax,pairwise]' "
                       + "--set 'loss_weights=[1,1]' --set 'user_tower=[64,32]'")
        // The line is what `train` accepts: its --set values give the same settings back.
        var back = Settings()
        for part in line.components(separatedBy: " --set ").dropFirst() {
            try back.apply(assignment: part.trimmingCharacters(in: CharacterSet(charactersIn: "'")))
        }
        XCTAssertEqual(back, s)
        var classic = Settings.defaults(for: .classic)
        classic.epochs = 3
        XCTAssertEqual(TrainCommandLine.text(classic, dataPath: nil), "dropoutnet train --set model=classic --set epochs=3")
    }

    func testASavedModelOpensForExploringWithoutTrainingAndShowsTheFewShotCurve() throws {
        // A model as a checkpoint gives it (untrained here: opening, not training, is under test),
        // evaluated as `tui --checkpoint` does, then adopted by a fresh session.
        let data = try WorkbenchAppTests.makeSession().data
        var settings = try WorkbenchAppTests.makeSession().live.current
        try settings.set("preference", "stats")              // no WMF fit
        let trainer = try Trainer(data: data, settings: settings)
        let result = try TrainingRun.evaluate(checkpointed: trainer, step: 0, started: Date())
        let fewShot = try XCTUnwrap(result.fewShot)
        let step = 0
        let session = TrainingSession(data: data, settings: trainer.initialSettings)
        session.adopt(trainer, result: result)
        let terminal = HeadlessTerminal(size: Size(width: 140, height: 45))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        XCTAssertEqual(session.snapshot.state, .finished)
        XCTAssertEqual(session.snapshot.step, step)
        XCTAssertFalse(app.hasUnsavedRun)

        // The Train screen: the test columns and the few-shot curve; nothing trains.
        app.draw()
        var text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("few-shot test cold users, k revealed → recall@20:"), text)
        let k = try XCTUnwrap(fewShot.counts.first { fewShot[$0] != nil })
        XCTAssertTrue(text.contains("k=\(k) " + String(format: "%.4f", fewShot[k]!.recall(at: 20)!)), text)
        XCTAssertTrue(text.contains("test r@20") || text.contains("test recall@20"), text)
        XCTAssertFalse(session.isRunning)

        // Explore ranks with the adopted model.
        app.handle(.key(.character("2")))
        let user = try XCTUnwrap(app.explorer.selectedUser)
        app.explorer.request(session: session, step: session.snapshot.step)
        let deadline = Date().addingTimeInterval(20)
        while app.explorer.userResult?.user != user && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(app.explorer.userResult?.step, step)
        app.draw()
        text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("Top-\(Explorer.topK) at step \(step)"), text)
        XCTAssertFalse(session.isRunning, "exploring does not train")

        // y: the settings as a train line in a box, closed by the next key.
        app.dataPath = "sample-data"
        app.handle(.key(.character("y")))
        app.draw()
        text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("dropoutnet train line (any key closes)") && text.contains("dropoutnet train --data sample-data --set"), text)
        XCTAssertTrue(text.contains("not written: no run is recorded in this session"), text)
        app.handle(.key(.character("j")))
        XCTAssertNil(app.trainLine)
    }
}

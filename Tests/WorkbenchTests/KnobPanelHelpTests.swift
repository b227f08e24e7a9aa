import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// Pickers offer only the values valid now; the panel and the help say what each knob does, and
/// the help wraps instead of clipping.
final class KnobPanelHelpTests: XCTestCase {
    private func render(_ settings: Settings, focused: Int, width: Int = 120, height: Int = 40) -> [String] {
        var buffer = ScreenBuffer(width: width, height: height)
        TrainView(snapshot: TrainingSnapshot(), settings: settings, datasetName: "test", focusedKnob: focused)
            .render(into: &buffer, area: Rect(x: 0, y: 0, width: width, height: height - 1), theme: .builtinMono)
        return buffer.textLines()
    }

    func testPickersShowOnlyTheValuesValidNow() throws {
        var crowded = Settings()
        crowded.negativesN = 256
        crowded.negativesM = 1
        let m = try XCTUnwrap(Knob.all.firstIndex { $0.key == "negatives.m" })
        let refused = Knob.all[m].options(crowded).filter { $0.refused != nil }.map(\.value)
        XCTAssertFalse(refused.isEmpty, "the fixture should make some M values invalid")
        let lines = render(crowded, focused: m)
        let row = try XCTUnwrap(lines.first { $0.contains("│▸M ") }, lines.joined(separator: "\n"))
        let shown = row.dropFirst(4).prefix(36).split(whereSeparator: { " []│".contains($0) }).map(String.init)
        XCTAssertTrue(shown.contains("1"), row)
        for v in refused { XCTAssertFalse(shown.contains(v), "refused M=\(v) offered: \(row)") }
        XCTAssertTrue(lines.joined().contains("M values hidden"), lines.joined(separator: "\n"))
    }

    func testTheEmptyPartOfThePanelDescribesTheFocusedKnob() throws {
        let gamma = try XCTUnwrap(Knob.all.firstIndex { $0.key == "gamma" })
        let text = render(Settings(), focused: gamma).joined(separator: "\n")
        XCTAssertTrue(text.contains("γ: scale (inverse"), text)
    }

    func testHelpExplainsEveryKnobAndWrapsInsteadOfClipping() {
        let help = HelpOverlay(title: "Keys", bindings: WorkbenchKeys.all)
        for knob in Knob.all { XCTAssertTrue(WorkbenchKeys.all.contains { $0.description == knob.entry.help }, knob.key) }
        for size in [Size(width: 80, height: 24), Size(width: 140, height: 45)] {
            let area = Rect(x: 0, y: 0, width: size.width, height: size.height)
            let width = help.columns(boxWidth: help.boxWidth(in: area)).text
            var bindings: [(keys: String, text: String)] = []
            for line in help.lines(in: area) {
                guard case let .binding(keys, text) = line else { continue }
                XCTAssertLessThanOrEqual(DisplayWidth.of(text), width, "clipped at \(size): \(text)")
                if keys.isEmpty { bindings[bindings.count - 1].text += " " + text } else { bindings.append((keys, text)) }
            }
            XCTAssertEqual(bindings.map(\.text), WorkbenchKeys.all.map(\.description), "every description whole at \(size)")
            // Every page renders; the last line of the last page is there too.
            var buffer = ScreenBuffer(width: size.width, height: size.height)
            let pages = help.pageCount(in: area)
            HelpOverlay(title: "Keys", bindings: WorkbenchKeys.all, page: pages - 1).render(into: &buffer, area: area, theme: .builtinMono)
            let lastWords = WorkbenchKeys.all.last!.description.split(separator: " ").suffix(2).joined(separator: " ")
            XCTAssertTrue(buffer.textLines().joined(separator: "\n").contains(lastWords), buffer.textLines().joined(separator: "\n"))
        }
    }
}

import DropoutNet
import Foundation

/// Taking a session's choices elsewhere: the theme into the next session, the settings into a
/// headless `dropoutnet train`.
extension WorkbenchApp {
    /// Saves the theme just chosen as the next session's; the event line's suffix says where.
    func rememberTheme() -> String {
        guard let file = configFile else { return "" }
        do {
            try WorkbenchConfig.save(theme: themeName, to: file)
            return " (remembered in \(file.path))"
        } catch {
            return " (not remembered: \(error))"
        }
    }

    /// `y`: the settings in force as a `dropoutnet train` line — shown on the event line and
    /// written beside the run's checkpoints as `train-command.txt`, so a run tuned by hand can
    /// be repeated headless.
    func copySettingsAsTrainLine() {
        let line = TrainCommandLine.text(session.live.current, dataPath: dataPath)
        guard let recorder else {
            trainLine = (line, "not written: no run is recorded in this session")
            return
        }
        let run = recorder.current.run
        let file = recorder.store.runDirectory(run).appendingPathComponent("train-command.txt")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicWriter.write(line + "\n", to: file)
            trainLine = (line, "written to \(file.path)")
        } catch {
            trainLine = (line, "not written: \(error)")
        }
        show("train line \(trainLine!.where)")
    }

    /// The `y` line in a box over the bottom of the screen, wrapped so it can be read (and
    /// selected with the mouse) whole; any key closes it.
    func renderTrainLine(into buffer: inout ScreenBuffer, area: Rect) {
        guard let (line, place) = trainLine else { return }
        let text = Paragraph(lines: [[Span(line)], [Span(place, role: .dim)]], wrap: true)
        let height = min(area.height, text.lineCount(width: area.width - 2) + 2)
        let box = Rect(x: area.x, y: area.maxY - height, width: area.width, height: height)
        buffer.fill(box, style: theme.style(.text))
        Block(title: "dropoutnet train line (any key closes)", focused: true).render(into: &buffer, area: box, theme: theme)
        text.render(into: &buffer, area: Block.inner(box), theme: theme)
    }
}

/// A `dropoutnet train` command line with the settings that differ from their model's defaults.
public enum TrainCommandLine {
    public static func text(_ settings: Settings, dataPath: String?) -> String {
        let defaults = Settings.defaults(for: settings.model)
        var parts = ["dropoutnet", "train"]
        if let dataPath { parts += ["--data", quoted(dataPath)] }
        for (key, value) in settings.keyValues where key == "model" ? settings.model != .easyrec : value != defaults.value(of: key) {
            parts += ["--set", quoted("\(key)=\(value)")]
        }
        return parts.joined(separator: " ")
    }

    /// Single-quoted for a POSIX shell when it holds anything but plain word characters.
    static func quoted(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "_-./=,:@%+".contains($0) }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

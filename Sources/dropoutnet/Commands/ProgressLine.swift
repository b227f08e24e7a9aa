import DropoutNet
import Foundation

/// A one-line progress bar on stderr (redrawn at most ten times a second), with the run's
/// events as lines above it. The line names the model training: the run's (`dropoutnet`), then
/// its content-only baseline's.
///
/// A bar is redrawn in place with carriage returns, which only a terminal understands: when
/// stderr is a file or a pipe (a log, CI) the same facts come as plain lines instead, one per
/// epoch and at most every `plainInterval` seconds within a long one.
final class ProgressLine: TrainingRunObserver {
    let enabled: Bool
    /// Draw the bar (stderr is a terminal) or write plain lines.
    let isTerminal: Bool
    static let plainInterval = 30.0
    private var lastDraw = Date.distantPast
    private var drawn = false
    /// The model on the line and when its first step was drawn (its ETA's start).
    private var model = ""
    private var start = Date()
    /// The epoch of the last plain line (a new epoch writes one).
    private var plainEpoch = -1

    init(enabled: Bool, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
        self.isTerminal = isTerminal
    }

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        update(trainer: run.trainer, model: "dropoutnet", loss: loss.total)
    }

    func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown) {
        update(trainer: trainer, model: name.replacingOccurrences(of: "_", with: "-"), loss: loss.total)
    }

    /// Error-level events are not repeated here: without a control, each one ends the run with
    /// an error that the entry point prints.
    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) {
        if level != .error { note(message) }
    }

    func update(trainer t: Trainer, model: String, loss: Double) {
        guard enabled else { return }
        let now = Date()
        if model != self.model { self.model = model; start = now; lastDraw = .distantPast; plainEpoch = -1 }
        let total = max(t.totalSteps, 1)
        let frac = Double(t.step) / Double(total)
        let sps = t.trainingSeconds > 0 ? Double(t.step * t.batchSize) / t.trainingSeconds : 0
        let elapsed = now.timeIntervalSince(start)
        let eta = frac > 0 ? elapsed / frac - elapsed : 0
        let facts = String(format: "%@ step %d/%d  epoch %d/%d  loss %.4f  %.0f samples/s  ETA %@",
                           model, t.step, total, t.epoch + 1, t.epochs, loss, sps, ProgressLine.duration(eta))
        if !isTerminal {
            guard t.epoch != plainEpoch || now.timeIntervalSince(lastDraw) >= ProgressLine.plainInterval || t.isFinished else { return }
            plainEpoch = t.epoch
            lastDraw = now
            FileHandle.standardError.write(Data((facts + "\n").utf8))
            return
        }
        guard now.timeIntervalSince(lastDraw) >= 0.1 || t.isFinished else { return }
        lastDraw = now
        let width = 24
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(facts) ".utf8))
        drawn = true
    }

    func note(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(((drawn ? "\r\u{1B}[K" : "") + message + "\n").utf8))
        drawn = false
        lastDraw = .distantPast
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t / 60 % 60) : String(format: "%d:%02d", t / 60, t % 60)
    }
}

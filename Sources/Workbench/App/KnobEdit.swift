import DropoutNet
import Foundation

/// A knob being turned: the value the user is moving to, shown on the panel but not yet sent to
/// the session.
///
/// Sending every key press made each press its own live change (13 recorded changes for four
/// edits), labelled chart markers with the first value of a burst, and let the loss picker train
/// on every option it passed. So a slider's value is sent once the user settles (`settleDelay`
/// without a press on it, or on leaving the knob), a picker's only on Enter; Esc drops either.
public struct KnobEdit: Equatable, Sendable {
    /// Index into `Knob.all`.
    public var knob: Int
    /// The `update(key:value:)` text the knob is moving to.
    public var value: String
    public var lastPress: Date
    public var isPicker: Bool
    /// Seconds without a press after which a slider's value is applied.
    public static let settleDelay = 0.6

    public init(knob: Int, value: String, lastPress: Date, isPicker: Bool) {
        self.knob = knob; self.value = value; self.lastPress = lastPress; self.isPicker = isPicker
    }

    /// Whether a slider's edit is due to be applied (a picker's waits for Enter).
    public func isSettled(at now: Date) -> Bool { !isPicker && now.timeIntervalSince(lastPress) >= KnobEdit.settleDelay }

    /// `settings` with the edited value in place (what the panel shows); unchanged when the
    /// value does not parse.
    public func applied(to settings: Settings) -> Settings {
        var s = settings
        try? Knob.all[knob].entry.set(value, in: &s)
        return s
    }
}

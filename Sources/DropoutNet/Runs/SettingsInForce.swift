/// The settings a run trained with at one step: those it started with, with the live changes
/// made up to that step replayed.
///
/// A run tuned while it trained (item dropout, M, the loss, lr moved in the workbench) is not
/// described by its starting settings: compared by those, two different runs look identical.
/// `runs list`, `runs compare` and the Runs screen therefore describe a run by the settings in
/// force at its best step, and name the keys that were changed live on the way.
public struct SettingsInForce: Equatable, Sendable {
    /// The step the settings are for (nil: after every recorded change).
    public var step: Int?
    /// Text form of every stored setting (as `RunRecord.settingTexts`).
    public var texts: [String: String]
    /// Keys changed live up to `step`, in the order they were first changed.
    public var changedLive: [String]
    /// The changes up to `step`, oldest first (the history the Runs screen shows).
    public var changes: [SettingChange]

    /// A change stamped with step s is in force from step s on (`LiveSettings` stamps a change
    /// with the first step that uses it), so the weights of step `step` trained with every change
    /// stamped at or before it.
    public init(start: [String: String], changes: [SettingChange], atStep step: Int?) {
        self.step = step
        texts = start
        changedLive = []
        self.changes = []
        for c in changes where step.map({ c.step <= $0 }) ?? true {
            texts[c.key] = c.new
            if !changedLive.contains(c.key) { changedLive.append(c.key) }
            self.changes.append(c)
        }
    }

    /// `short=old→new @step` per change ("idrop 0.5→0.25 @40"), for one-line histories.
    public var historyText: String {
        changes.map { "\(Settings.entry($0.key)?.shortName ?? $0.key) \($0.old)→\($0.new) @\($0.step)" }.joined(separator: "  ")
    }

    /// The changed keys by their short names ("idrop,M,loss").
    public var changedLiveText: String {
        changedLive.map { Settings.entry($0)?.shortName ?? $0 }.joined(separator: ",")
    }
}

extension RunStore {
    /// `run`'s settings in force at its best step (at the end when it has no evaluation yet).
    public func settingsInForce(_ run: RunRecord, best: BestEvaluation?) throws -> SettingsInForce {
        SettingsInForce(start: run.settingTexts, changes: try settingChanges(run.id), atStep: best?.step)
    }
}

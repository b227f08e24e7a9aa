import Foundation

/// The settings a running trainer re-reads at the top of every step (DESIGN §2), shared between
/// the trainer's thread and whoever turns the knobs (the TUI, a test).
///
/// A lock-protected value rather than an actor: the trainer must get a consistent copy in well
/// under a microsecond without suspending, and the UI must never wait on a training step. Every
/// accepted change is recorded as a `SettingChange` stamped with the step it takes effect at,
/// so charts can mark it and the run store can replay it.
public final class LiveSettings: @unchecked Sendable {
    private let lock = NSLock()
    private var settings: Settings
    private var changes: [SettingChange] = []
    private var nextStep = 0
    private var revision = 0

    public init(_ settings: Settings) { self.settings = settings }

    /// A copy of the current settings (the trainer calls this once per step).
    public var current: Settings {
        lock.lock(); defer { lock.unlock() }
        return settings
    }

    /// Increases with every accepted change; lets a reader skip work when nothing changed.
    public var version: Int {
        lock.lock(); defer { lock.unlock() }
        return revision
    }

    /// Every accepted change, oldest first.
    public var timeline: [SettingChange] {
        lock.lock(); defer { lock.unlock() }
        return changes
    }

    /// Changes recorded after the first `count` (the trainer copies new ones into its snapshot).
    public func changes(after count: Int) -> ArraySlice<SettingChange> {
        lock.lock(); defer { lock.unlock() }
        return count < changes.count ? changes[count...] : []
    }

    /// Called by the trainer at the top of step `step`: returns the settings that step uses.
    /// A change made after this call is first seen by step `step + 1`, and is stamped so.
    public func beginStep(_ step: Int) -> Settings {
        lock.lock(); defer { lock.unlock() }
        nextStep = step + 1
        return settings
    }

    /// Changes one live key from its text form. Validates the value (`Settings.set`) and the
    /// combination (`Settings.validate`, e.g. N and M against the batch size); on any error the
    /// settings are left unchanged and the error says what was expected.
    /// - Returns: the recorded change, or nil when the value did not change.
    @discardableResult
    public func update(key: String, value: String) throws -> SettingChange? {
        guard let entry = Settings.entry(key) else { throw SettingsError(key: key, message: Settings.unknownKeyMessage(key)) }
        guard entry.isLive else {
            throw SettingsError(key: key, message: "cannot change while training; restart the run with it")
        }
        lock.lock(); defer { lock.unlock() }
        var candidate = settings
        try entry.set(value, in: &candidate)
        try candidate.validate()
        guard candidate != settings else { return nil }
        let time = Date()
        let change = SettingChange(step: nextStep, key: key, old: entry.text(of: settings), new: entry.text(of: candidate), time: time)
        // A key may adjust others (`loss` resets `loss_weights`); those are recorded after it, so
        // the timeline replays exactly.
        let adjusted = Settings.table.filter { $0.key != key && $0.isStored && $0.text(of: settings) != $0.text(of: candidate) }
            .map { SettingChange(step: nextStep, key: $0.key, old: $0.text(of: settings), new: $0.text(of: candidate), time: time) }
        settings = candidate
        revision += 1
        changes.append(change)
        changes += adjusted
        return change
    }

    /// Replaces all settings at once (a restart), without recording a change.
    public func reset(to settings: Settings) {
        lock.lock(); defer { lock.unlock() }
        self.settings = settings
        changes.removeAll()
        revision += 1
        nextStep = 0
    }
}

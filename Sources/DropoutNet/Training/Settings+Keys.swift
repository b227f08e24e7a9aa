import Foundation

/// A bad `--set`, config key or value: names the key and what was expected.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let message: String
    public var description: String { "setting '\(key)': \(message)" }
    public init(key: String, message: String) { self.key = key; self.message = message }
}

/// The settings by key, all read from `Settings.table`.
extension Settings {
    /// Every key `--set` and the config file accept, in display order.
    public static let keys: [String] = table.map(\.key)

    /// Keys that the trainer re-reads at every step (the TUI's knobs).
    public static let liveKeys: Set<String> = Set(table.filter(\.isLive).map(\.key))

    private static let entriesByKey: [String: SettingEntry] = Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0) })

    /// The table row of `key`, or nil for an unknown key.
    public static func entry(_ key: String) -> SettingEntry? { entriesByKey[key] }

    /// The row of `key`, or the error naming every known key.
    public static func knownEntry(_ key: String) throws -> SettingEntry {
        guard let e = entriesByKey[key] else {
            throw SettingsError(key: key, message: unknownKeyMessage(key))
        }
        return e
    }

    /// Applies `key=value` (a `--set` argument).
    public mutating func apply(assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw SettingsError(key: assignment, message: "expected KEY=VALUE")
        }
        let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        try set(key, value)
    }

    /// Sets one key from its text form (lists are comma-separated, brackets optional).
    public mutating func set(_ key: String, _ raw: String) throws {
        try Settings.knownEntry(key).set(raw, in: &self)
    }

    /// The text form of one key (the inverse of `set`), for tables, the run store and `--json`;
    /// "" for an unknown key.
    public func value(of key: String) -> String { Settings.entry(key)?.text(of: self) ?? "" }

    /// All keys with their text values, in display order.
    public var keyValues: [(String, String)] { Settings.table.map { ($0.key, $0.text(of: self)) } }

    /// `pairs` (key first) in the order a batch of keys is applied: keys that adjust others
    /// (`SettingEntry.adjustsOthers`) first, then the rest in their given order, so a file
    /// giving both `loss` and `loss_weights` keeps its weights whatever its order.
    public static func applicationOrder<Value>(_ pairs: [(String, Value)]) -> [(String, Value)] {
        let first = pairs.filter { entry($0.0)?.adjustsOthers == true }
        return first + pairs.filter { entry($0.0)?.adjustsOthers != true }
    }
}

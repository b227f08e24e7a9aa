import Foundation

/// A run's identifier: UTC creation time plus four random hex digits, e.g. `20261129-041500-ab12`.
///
/// Sortable by time as plain text (so `ORDER BY id` is chronological in any SQLite tool), short
/// enough to type, and unique enough for one person's runs directory; `RunStore.createRun`
/// retries on the rare collision.
public struct RunID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A fresh identifier for a run created at `date`.
    public static func make(at date: Date = Date()) -> RunID {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return RunID(stamp + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max)))
    }

    /// The id without its date ("041500-ab12" of "20261129-041500-ab12"): what the workbench
    /// prints (unique enough within a day, short enough for a chart label); `RunStore.resolveRun`
    /// accepts it.
    public var short: String {
        let parts = rawValue.split(separator: "-")
        return parts.count == 3 ? parts.dropFirst().joined(separator: "-") : rawValue
    }

    public var description: String { rawValue }
    public static func < (a: RunID, b: RunID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

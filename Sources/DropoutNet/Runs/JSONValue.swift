import Foundation

/// A JSON value of any shape, for the parts of the store and checkpoints whose contents the
/// caller decides (settings, metric dictionaries, model-specific metadata).
public enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        // JSON has no NaN or infinity.
        case .number(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Compact JSON text with sorted keys (stable, so equal values give equal text).
    public var jsonText: String {
        // A JSONValue always encodes (non-finite numbers are null).
        (try? JSONOutput.text(self)) ?? "null"
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The value as `Settings.set` expects it: numbers without a trailing ".0", lists in brackets.
    public var settingText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return String(b)
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(\.settingText).joined(separator: ",") + "]"
        case .object: return jsonText
        }
    }
}

extension Settings {
    /// The settings as a JSON object of typed values keyed by the `--set` keys (numbers, booleans,
    /// lists), so `json_extract(settings, '$.gamma')` works in any SQLite tool and the object
    /// survives new settings being added (unknown keys are reported, missing ones keep defaults).
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, text) in keyValues where key != "preference" {
            object[key] = Settings.typed(text)
        }
        return .object(object)
    }

    /// Rebuilds settings from `json`; throws `SettingsError` naming the first bad key.
    public init(json: JSONValue) throws {
        self.init()
        guard case .object(let object) = json else {
            throw SettingsError(key: "settings", message: "expected a JSON object of settings")
        }
        // `loss` resets `loss_weights` to ones, so it goes first; the rest in display order.
        let order = Settings.keys.filter { object[$0] != nil }
        for key in order.filter({ $0 == "loss" }) + order.filter({ $0 != "loss" }) {
            try set(key, object[key]!.settingText)
        }
        if let unknown = object.keys.first(where: { !Settings.keys.contains($0) }) {
            throw SettingsError(key: unknown, message: "unknown setting (written by another version?)")
        }
    }

    private static func typed(_ text: String) -> JSONValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            return .array(inner.split(separator: ",").map { typed(String($0)) })
        }
        // Beyond 2^53 a Double loses integer digits (a seed), so such values stay text.
        if let d = Double(text), d.isFinite, abs(d) < 9_007_199_254_740_992, !text.contains(",") { return .number(d) }
        return .string(text)
    }
}

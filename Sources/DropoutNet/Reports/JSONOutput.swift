import Foundation

/// The one way this program writes JSON: a `Codable` value through one encoder configuration —
/// keys sorted (equal values give equal text, diffs stay small), slashes as they are (paths),
/// compact for one-object outputs or indented for the listings people read.
///
/// JSON has no NaN or infinity. Report types write a missing or non-finite number as `null`
/// (`encodeNumber`), and a missing value as `null` rather than leaving the key out
/// (`encodeOrNull`), so a script always finds every key of a shape.
public enum JSONOutput {
    public static func data<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func text<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }

    /// Reads a value written by `data` (tests, and tools that read a report back).
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension KeyedEncodingContainer {
    /// A number, or `null` when it is absent or not finite.
    public mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// A value, or `null` when it is absent (synthesised `Codable` would leave the key out).
    public mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

/// A coding key made at run time, for objects keyed by data ("recall@20", a split's name).
public struct DynamicCodingKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

import Foundation
import TOMLKit

/// A config file of settings (TOML): the `--set` keys as keys, either dotted at the top level
/// (`"negatives.m" = 8`) or as tables (`[negatives]` then `m = 8`); lists as TOML arrays.
///
/// ```toml
/// loss = ["svsoftmax", "pairwise"]
/// loss_weights = [1.0, 0.5]
/// user_dropout = 0.3
/// [negatives]
/// n = 1
/// m = 8
/// ```
public enum SettingsFile {
    /// Applies every key of the TOML file at `url` to `settings` (starting from the defaults).
    public static func load(_ url: URL, into settings: Settings = Settings()) throws -> Settings {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw SettingsFileError(file: url.path, line: nil, column: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, into: settings)
    }

    public static func parse(_ text: String, file: String, into start: Settings = Settings()) throws -> Settings {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw SettingsFileError(file: file, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
        var pairs: [(String, String)] = []
        try flatten(table, prefix: "", file: file, into: &pairs)
        var settings = start
        // `loss` resets `loss_weights`, so it is applied first whatever the file's order.
        for (key, value) in pairs.filter({ $0.0 == "loss" }) + pairs.filter({ $0.0 != "loss" }) {
            do { try settings.set(key, value) } catch let e as SettingsError {
                throw SettingsFileError(file: file, line: nil, column: nil, message: e.description)
            }
        }
        do { try settings.validate() } catch let e as SettingsError {
            throw SettingsFileError(file: file, line: nil, column: nil, message: e.description)
        }
        return settings
    }

    private static func flatten(_ table: TOMLTable, prefix: String, file: String, into pairs: inout [(String, String)]) throws {
        for key in table.keys {
            guard let value = table[key] else { continue }
            let full = prefix.isEmpty ? key : prefix + "." + key
            if let sub = value.table {
                try flatten(sub, prefix: full, file: file, into: &pairs)
            } else {
                pairs.append((full, try text(value, key: full, file: file)))
            }
        }
    }

    private static func text(_ value: TOMLValueConvertible, key: String, file: String) throws -> String {
        if let b = value.bool { return String(b) }
        if let i = value.int { return String(i) }
        if let d = value.double { return String(d) }
        if let s = value.string { return s }
        if let a = value.array {
            return "[" + (try a.map { try text($0, key: key, file: file) }).joined(separator: ",") + "]"
        }
        throw SettingsFileError(file: file, line: nil, column: nil, message: "setting '\(key)': unsupported value type \(value.type)")
    }
}

/// A bad config file: names the file, and the line and column when the TOML itself is bad.
public struct SettingsFileError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let column { where_ += ":\(column)" }
        return "\(where_): \(message)"
    }
}

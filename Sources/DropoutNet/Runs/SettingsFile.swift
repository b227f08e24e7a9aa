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
        try parse(try read(url), file: url.path, into: settings)
    }

    public static func parse(_ text: String, file: String, into start: Settings = Settings()) throws -> Settings {
        let settings = try apply(try pairs(text, file: file), file: file, into: start)
        do { try settings.validate() } catch let e as SettingsError {
            throw SettingsFileError(file: file, line: nil, column: nil, message: e.description)
        }
        return settings
    }

    /// The settings of a command (`train`, `tui`, `export --config`): the defaults of the model
    /// named by the last `--set model=…`, else by the file, else EasyRec's
    /// (`Settings.defaults(for:)`); then the file's keys; then every `--set` in order; then the
    /// combination is validated. So `--set model=classic` means the classic model with its own
    /// defaults, and any other key given still overrides them, in whatever order they come.
    public static func resolve(config: URL?, assignments: [String]) throws -> Settings {
        var filePairs: [(String, String)] = []
        if let config { filePairs = try pairs(try read(config), file: config.path) }
        var model = Settings.ModelKind.easyrec
        do {
            var probe = Settings()
            for (key, value) in filePairs where key == "model" { try probe.set(key, value) }
            model = probe.model
        } catch let e as SettingsError {
            throw SettingsFileError(file: config?.path ?? "", line: nil, column: nil, message: e.description)
        }
        for a in assignments {
            var probe = Settings()
            try probe.apply(assignment: a)   // a malformed --set fails here, naming its key
            if a.split(separator: "=", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) == "model" { model = probe.model }
        }
        var settings = Settings.defaults(for: model)
        if let config { settings = try apply(filePairs, file: config.path, into: settings) }
        for a in assignments { try settings.apply(assignment: a) }
        try settings.validate()
        return settings
    }

    private static func read(_ url: URL) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw SettingsFileError(file: url.path, line: nil, column: nil, message: "cannot read: \(error.localizedDescription)")
        }
    }

    /// The file's keys and values in their `--set` text form.
    private static func pairs(_ text: String, file: String) throws -> [(String, String)] {
        let table: TOMLTable
        do {
            try TOMLPreflight.check(text)
            table = try TOMLTable(string: text)
        } catch let e as TOMLPreflight.Problem {
            throw SettingsFileError(file: file, line: e.line, column: e.column, message: e.message)
        } catch let e as TOMLParseError {
            throw SettingsFileError(file: file, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
        var pairs: [(String, String)] = []
        try flatten(table, prefix: "", file: file, into: &pairs)
        return pairs
    }

    private static func apply(_ pairs: [(String, String)], file: String, into start: Settings) throws -> Settings {
        var settings = start
        // `loss` resets `loss_weights`, so it is applied first whatever the file's order.
        for (key, value) in Settings.applicationOrder(pairs) {
            do { try settings.set(key, value) } catch let e as SettingsError {
                throw SettingsFileError(file: file, line: nil, column: nil, message: e.description)
            }
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

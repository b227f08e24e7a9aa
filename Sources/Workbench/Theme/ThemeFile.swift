import Foundation
import DropoutNet
import TOMLKit

/// Reads a theme from TOML text.
///
/// Format: optional `name`, `description` and `mono = true` at the top, then one key per
/// `ThemeRole` (`text = "#d0d4da"`, `dim = 244`, `background = ""` for the terminal default),
/// series colours in a `[series]` table. Missing roles keep the built-in default's colour;
/// an unknown key, a value that is not a colour, or a TOML syntax error is a `ThemeError`
/// naming the file, line and key.
public enum ThemeFile {
    static let metadataKeys: Set<String> = ["name", "description", "mono"]

    public static func load(path: String) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(file: path, message: "cannot read the theme file (\(error.localizedDescription))")
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, file: path, defaultName: stem)
    }

    public static func parse(_ text: String, file: String, defaultName: String, base: Theme = .builtinDefault) throws -> Theme {
        let table: TOMLTable
        do {
            try TOMLPreflight.check(text)
            table = try TOMLTable(string: text)
        } catch let e as TOMLPreflight.Problem {
            throw ThemeError(file: file, line: e.line, column: e.column, key: nil, message: "TOML syntax error: \(e.message)")
        } catch let e as TOMLParseError {
            let line = e.source.begin.line
            throw ThemeError(file: file, line: line, column: e.source.begin.column,
                             key: keyOnLine(line, of: text), message: "TOML syntax error: \(e.description)")
        } catch {
            throw ThemeError(file: file, message: "TOML syntax error: \(error)")
        }
        var theme = Theme(name: defaultName, base: base)
        if let name = table["name"]?.string { theme.name = name }
        if let mono = table["mono"] {
            guard let flag = mono.bool else {
                throw ThemeError(file: file, line: line(ofKey: "mono", in: text), key: "mono",
                                 message: "expected true or false")
            }
            theme.isMonochrome = flag
        }
        for (key, value) in flatten(table, prefix: "") where !metadataKeys.contains(key) {
            guard let role = ThemeRole(rawValue: key) else {
                throw ThemeError(file: file, line: line(ofKey: key, in: text), key: key,
                                 message: "unknown theme key; known keys: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let color = color(from: value) else {
                throw ThemeError(file: file, line: line(ofKey: key, in: text), key: key,
                                 message: "expected a colour: \"#rrggbb\", a palette index 0–255, or \"\" for the terminal default (got \(value.debugDescription))")
            }
            theme[role] = color
        }
        return theme
    }

    static func color(from value: TOMLValueConvertible) -> Color? {
        if let s = value.string { return Color(themeString: s) }
        if let i = value.int, (0...255).contains(i) { return .indexed(UInt8(i)) }
        return nil
    }

    /// Leaf values with dotted keys (`series.warm`), tables flattened.
    static func flatten(_ table: TOMLTable, prefix: String) -> [(String, TOMLValueConvertible)] {
        var out: [(String, TOMLValueConvertible)] = []
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let sub = value.table { out += flatten(sub, prefix: full) } else { out.append((full, value)) }
        }
        return out
    }

    /// The line that sets `dotted` (e.g. `series.warm`): `series.warm = …`, `warm = …` under
    /// `[series]`, or the inline table holding it (`TOMLKeyLocator`, shared with sweep files).
    static func line(ofKey dotted: String, in text: String) -> Int? {
        TOMLKeyLocator(text).position(of: dotted.split(separator: ".").map(String.init))?.line
    }

    /// The key assigned on `line` (1-based), for naming the key of a syntax error.
    static func keyOnLine(_ line: Int, of text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count, let eq = lines[line - 1].firstIndex(of: "=") else { return nil }
        let key = lines[line - 1][..<eq].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : key
    }
}

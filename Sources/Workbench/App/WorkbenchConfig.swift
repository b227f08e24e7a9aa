import DropoutNet
import Foundation
import TOMLKit

/// The workbench's remembered choices, in `$XDG_CONFIG_HOME/dropoutnet/config.toml` (else
/// `~/.config/dropoutnet/config.toml`): today the theme `t` last chose, so the next session
/// opens in it. Other keys of the file are kept as they are when the theme is written.
public struct WorkbenchConfig: Equatable, Sendable {
    public var theme: String?

    public init(theme: String? = nil) { self.theme = theme }

    /// The file, from the environment (nil without XDG_CONFIG_HOME and HOME).
    public static func file(environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let base = env["XDG_CONFIG_HOME"], !base.isEmpty {
            return URL(fileURLWithPath: base).appendingPathComponent("dropoutnet/config.toml")
        }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".config/dropoutnet/config.toml")
    }

    /// Reads `url`; a missing file is the empty config. A file that does not parse is an error
    /// naming it (the caller says so and goes on with the defaults).
    public static func read(_ url: URL) throws -> WorkbenchConfig {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return WorkbenchConfig() }
        do {
            let table = try TOMLTable(string: text)
            return WorkbenchConfig(theme: table["theme"]?.string)
        } catch let e as TOMLParseError {
            throw ThemeError(file: url.path, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        } catch {
            throw ThemeError(file: url.path, message: "not valid TOML: \(error)")
        }
    }

    /// Writes `theme` into `url` (temp file + rename), keeping the file's other lines.
    public static func save(theme: String, to url: URL) throws {
        let old = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let escaped = theme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let line = "theme = \"\(escaped)\""
        // The key belongs to the top-level table: before the first [section].
        let end = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") } ?? lines.count
        if let i = lines[..<end].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("theme") && $0.contains("=") }) {
            lines[i] = line
        } else {
            lines.insert(line, at: end)
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicWriter.write(lines.joined(separator: "\n") + "\n", to: url)
    }
}

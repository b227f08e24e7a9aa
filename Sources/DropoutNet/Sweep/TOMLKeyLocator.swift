import Foundation

/// Finds where a dotted key is set in TOML text, for errors that name a line: TOMLKit keeps no
/// positions for values, so the text is scanned (sweep and theme files share this): `a.b = …` inside the
/// section it belongs to, `b = …` under `[a]`, or a key of an inline table on the line that
/// opens it (`"negatives.m" = { low = 2 }` for `parameters.negatives.m.low`).
public struct TOMLKeyLocator {
    private let lines: [Substring]

    public init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// 1-based line and column of the key's first character, or nil when it is not found.
    public func position(of dotted: [String]) -> (line: Int, column: Int)? {
        var best: (line: Int, column: Int, depth: Int)?
        var section: [String] = []
        for (n, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                section = TOMLKeyLocator.keyPath(Substring(name))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let path = section + TOMLKeyLocator.keyPath(line[..<eq])
            let column = raw.count - raw.drop(while: { $0 == " " || $0 == "\t" }).count + 1
            // The whole key, or the line that opens the inline table holding it.
            if path == dotted { return (n + 1, column) }
            if dotted.starts(with: path), path.count > (best?.depth ?? 0) { best = (n + 1, column, path.count) }
        }
        return best.map { ($0.line, $0.column) }
    }

    /// A key's segments, quotes stripped; a quoted segment keeps its dots.
    static func keyPath(_ key: Substring) -> [String] {
        var out: [String] = [], current = "", quote: Character?
        for ch in key {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "." {
                out.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(ch)
            }
        }
        out.append(current.trimmingCharacters(in: .whitespaces))
        return out.filter { !$0.isEmpty }
    }
}

import Foundation
import TOMLKit

/// The `dataset.toml` of a native dataset directory (DESIGN §3.1).
///
/// ```toml
/// name = "shop"
/// description = "…"
/// [users.columns]          # users.csv: first column is the id
/// age = "categorical"
/// interests = "multi"
/// [items.columns]
/// title = "display"
/// words = "text"
/// ```
/// A side without a `columns` table has its kinds inferred from the CSV (see `ContentTable`).
struct DatasetSchema {
    struct Side {
        var file: String
        /// Declared kinds by column name; nil = infer every column.
        var columns: [String: SideContent.ColumnKind]?
    }
    var name: String?
    var description: String?
    var users = Side(file: "users.csv", columns: nil)
    var items = Side(file: "items.csv", columns: nil)
    var interactions = "interactions.csv"

    static func read(path: String, displayName: String) throws -> DatasetSchema {
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(file: displayName, "cannot read file") }
        guard let text = String(data: data, encoding: .utf8) else { throw DataError(file: displayName, "expected UTF-8 text") }
        let table: TOMLTable
        do {
            try TOMLPreflight.check(text)
            table = try TOMLTable(string: text)
        } catch let e as TOMLPreflight.Problem {
            throw DataError(file: displayName, line: e.line, column: e.column, "expected valid TOML: \(e.message)")
        } catch let e as TOMLParseError {
            throw DataError(file: displayName, line: e.source.begin.line, column: e.source.begin.column, "expected valid TOML: \(e.description)")
        }
        var schema = DatasetSchema()
        schema.name = table["name"]?.string
        schema.description = table["description"]?.string
        if let f = table["interactions"]?.string { schema.interactions = f }
        for key in table.keys where !["name", "description", "interactions", "users", "items"].contains(key) {
            throw DataError(file: displayName, "unknown key '\(key)'; expected name, description, interactions, [users] or [items]")
        }
        schema.users = try side(table, "users", default: "users.csv", displayName)
        schema.items = try side(table, "items", default: "items.csv", displayName)
        return schema
    }

    private static func side(_ table: TOMLTable, _ key: String, default file: String, _ displayName: String) throws -> Side {
        guard let value = table[key] else { return Side(file: file, columns: nil) }
        guard let t = value.table else { throw DataError(file: displayName, "expected [\(key)] to be a table") }
        var side = Side(file: t["file"]?.string ?? file, columns: nil)
        if let c = t["columns"] {
            guard let ct = c.table else { throw DataError(file: displayName, "expected [\(key).columns] to be a table of name = \"kind\"") }
            var kinds: [String: SideContent.ColumnKind] = [:]
            for name in ct.keys {
                let raw = ct[name]?.string ?? ""
                guard let kind = SideContent.ColumnKind(rawValue: raw) else {
                    let allowed = SideContent.ColumnKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DataError(file: displayName, "[\(key).columns] \(name): expected one of \(allowed), got '\(raw)'")
                }
                kinds[name] = kind
            }
            side.columns = kinds
        }
        return side
    }
}

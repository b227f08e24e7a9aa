import Foundation

/// Reads a `users.csv` / `items.csv` content file into a `SideContent` aligned with the ids.
///
/// The first column is the entity id; the header names the others. Ids not seen in the
/// interactions become entities without history (cold, never evaluated). Values are checked
/// against their kind here, so a bad number is reported with its line and column at load time.
enum ContentTable {
    static func read(path: String, displayName: String, declared: [String: SideContent.ColumnKind]?,
                     schemaName: String, ids: inout IDTable) throws -> SideContent {
        let bytes = try ByteLines.readAll(path: path, displayName: displayName)
        var splitter = FieldSplitter(separator: ",", quotes: true)
        var header: [String] = []
        var rows: [Int32: [String]] = [:]
        var firstLine: [Int32: Int] = [:]
        var order: [Int32] = []
        var lineNumber = 0
        try bytes.withUnsafeBufferPointer { all in
            var start = 0
            repeat {
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start && all[stop - 1] == 0x0D { stop -= 1 }
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: all[start..<stop])
                start = end + 1
                if lineNumber == 1 {
                    if line.isEmpty { throw DataError(file: displayName, line: 1, "expected a header line naming the columns, the file is empty") }
                    header = try splitter.split(line, file: displayName, line: 1)
                    if let dup = firstDuplicate(header) { throw DataError(file: displayName, line: 1, "expected distinct column names, '\(dup)' appears twice") }
                    continue
                }
                if line.isEmpty { continue }
                let fields = try splitter.split(line, file: displayName, line: lineNumber)
                guard fields.count == header.count else {
                    throw DataError(file: displayName, line: lineNumber, column: min(fields.count, header.count) + 1,
                                    "expected \(header.count) fields (\(header.joined(separator: ","))), got \(fields.count)")
                }
                guard !fields[0].isEmpty else { throw DataError(file: displayName, line: lineNumber, column: 1, "expected an id, got an empty field") }
                let id = ids.intern(fields[0])
                if let previous = firstLine[id] {
                    throw DataError(file: displayName, line: lineNumber, column: 1, "duplicate id '\(fields[0])' (first on line \(previous))")
                }
                firstLine[id] = lineNumber
                rows[id] = Array(fields.dropFirst())
                order.append(id)
            } while start < all.count
        }
        let names = Array(header.dropFirst())
        var kinds: [SideContent.ColumnKind?] = names.map { declared?[$0] }
        if let declared {
            for name in declared.keys.sorted() where !names.contains(name) {
                throw DataError(file: schemaName, "the schema names column '\(name)', which \(displayName) does not have (it has: \(names.joined(separator: ", ")))")
            }
        } else {
            for c in names.indices { kinds[c] = infer(name: names[c], values: rows.values.lazy.map { $0[c] }) }
        }
        let count = ids.count
        var columns: [SideContent.Column] = []
        for (c, name) in names.enumerated() {
            guard let kind = kinds[c] else { continue }     // present in the file, absent from the schema
            var values = [String](repeating: "", count: count)
            var vectorWidth: Int?
            for id in order {
                let v = rows[id]![c]
                values[Int(id)] = v
                guard !v.isEmpty else { continue }
                let line = firstLine[id]!
                switch kind {
                case .numeric:
                    guard let d = Double(v.trimmingCharacters(in: .whitespaces)), d.isFinite else {
                        throw DataError(file: displayName, line: line, column: c + 2, "expected a number in column '\(name)', got '\(v)'")
                    }
                case .vector:
                    let parts = v.split(separator: " ")
                    for p in parts where Float(p) == nil {
                        throw DataError(file: displayName, line: line, column: c + 2, "expected space-separated numbers in column '\(name)', got '\(p)'")
                    }
                    if let w = vectorWidth, w != parts.count {
                        throw DataError(file: displayName, line: line, column: c + 2, "expected a vector of \(w) numbers in column '\(name)', got \(parts.count)")
                    }
                    vectorWidth = parts.count
                default: break
                }
            }
            columns.append(SideContent.Column(name: name, kind: kind, values: values))
        }
        return SideContent(columns: columns, count: count)
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for n in names { if !seen.insert(n).inserted { return n } }
        return nil
    }

    /// A kind for an undeclared column: numbers → numeric, `|` lists → multi, long text → text,
    /// a title/name → display, otherwise categorical.
    static func infer<S: Sequence>(name: String, values: S) -> SideContent.ColumnKind where S.Element == String {
        let lower = name.lowercased()
        if lower == "title" || lower == "name" { return .display }
        var allNumeric = true, anyPipe = false, words = 0, nonEmpty = 0
        for v in values where !v.isEmpty {
            nonEmpty += 1
            if allNumeric && Double(v) == nil { allNumeric = false }
            if v.contains("|") { anyPipe = true }
            words += v.split(separator: " ").count
        }
        if nonEmpty == 0 { return .categorical }
        if allNumeric { return .numeric }
        if anyPipe { return .multi }
        if Double(words) / Double(nonEmpty) >= 3 { return .text }
        return .categorical
    }
}

import Foundation

/// CiteULike-a (DESIGN §3.2): `users.dat` (line n = user n: a count, then 0-based item ids),
/// item content from `mult.dat` (a count, then `word:count` pairs, word ids 0-based) and/or
/// `item-tag.dat` (a count, then 0-based tag ids); `vocabulary.dat` / `tags.dat` name them when
/// present, and `raw-data.csv` supplies titles. Every listed pair is a positive (implicit data).
///
/// Ids follow the DropoutNet reference split: user id = 1-based line of `users.dat`, item id =
/// 1-based item index, so `train.csv` / `test.csv` / `test_item_ids.csv` apply unchanged.
extension DatasetLoader {
    static func loadCiteULike(directory: String) throws -> Dataset {
        let fm = FileManager.default
        func path(_ f: String) -> String { (directory as NSString).appendingPathComponent(f) }
        func has(_ f: String) -> Bool { fm.fileExists(atPath: path(f)) }
        guard has("users.dat") else { throw DataError(file: "users.dat", "missing file: CiteULike needs users.dat") }

        let vocabulary = has("vocabulary.dat") ? try wordList(path("vocabulary.dat"), file: "vocabulary.dat") : nil
        let tagNames = has("tags.dat") ? try wordList(path("tags.dat"), file: "tags.dat") : nil
        var words: [String]? = nil, tags: [String]? = nil
        if has("mult.dat") {
            words = try countedLists(path("mult.dat"), file: "mult.dat", pairs: true, names: vocabulary, prefix: "w")
        }
        if has("item-tag.dat") {
            tags = try countedLists(path("item-tag.dat"), file: "item-tag.dat", pairs: false, names: tagNames, prefix: "t")
        }
        guard words != nil || tags != nil else {
            throw DataError(file: directory, "missing file: CiteULike needs mult.dat or item-tag.dat for item content")
        }
        // Both files have one line per item: different lengths mean their item ids disagree.
        if let words, let tags, words.count != tags.count {
            throw DataError(file: "item-tag.dat", "expected one line per item like mult.dat (\(words.count) lines), got \(tags.count) lines")
        }
        let itemCount = max(words?.count ?? 0, tags?.count ?? 0)
        var columns = InteractionColumns(expectedInteractions: 0, expectedUsers: 8192, expectedItems: itemCount)
        for k in 0..<itemCount { _ = columns.itemTable.intern(String(k + 1)) }

        var fields = FieldRanges()
        try ByteLines.forEach(path: path("users.dat"), displayName: "users.dat") { line, number in
            var userID = String(number)
            _ = columns.userTable.intern(userID)
            fields.splitWhitespace(line)
            if fields.count == 0 { return }
            guard let count = NumberParsing.int64(fields.field(0, in: line)), count >= 0 else {
                throw DataError(file: "users.dat", line: number, column: 1, "expected the number of items, got '\(DataError.show(fields.field(0, in: line)))'")
            }
            guard Int(count) == fields.count - 1 else {
                throw DataError(file: "users.dat", line: number, column: min(fields.count, Int(count) + 1) + 1,
                                "expected \(count) item ids after the count, got \(fields.count - 1)")
            }
            for k in 1..<fields.count {
                let f = fields.field(k, in: line)
                guard let item = NumberParsing.int64(f), item >= 0 else {
                    throw DataError(file: "users.dat", line: number, column: k + 1, "expected a 0-based item id, got '\(DataError.show(f))'")
                }
                guard item < itemCount else {
                    throw DataError(file: "users.dat", line: number, column: k + 1, "item id \(item) is beyond the \(itemCount) items of the content file")
                }
                var itemID = String(item + 1)
                try userID.withUTF8 { u in try itemID.withUTF8 { i in
                    try columns.add(user: u, item: i, label: 1, file: "users.dat", line: number, itemColumn: k + 1)
                } }
            }
        }
        guard columns.count > 0 else { throw DataError(file: "users.dat", "expected at least one user with items, the file is empty") }

        var itemColumns: [SideContent.Column] = []
        if has("raw-data.csv"), let titles = try? titles(path("raw-data.csv"), count: itemCount) {
            itemColumns.append(SideContent.Column(name: "title", kind: .display, values: titles))
        }
        if let words { itemColumns.append(SideContent.Column(name: "words", kind: .text, values: words)) }
        if let tags { itemColumns.append(SideContent.Column(name: "tags", kind: .multi, values: tags)) }
        let userIDs = columns.userTable.strings(), itemIDs = columns.itemTable.strings()
        return Dataset(name: (directory as NSString).lastPathComponent, userIDs: userIDs, itemIDs: itemIDs,
                       users: columns.users, items: columns.items, labels: columns.labels,
                       itemContent: padded(SideContent(columns: itemColumns, count: itemCount), to: itemIDs.count))
    }

    /// One name per line.
    static func wordList(_ path: String, file: String) throws -> [String] {
        var out: [String] = []
        try ByteLines.forEach(path: path, displayName: file) { line, number in
            out.append(try FieldSplitter.decode(line, file: file, line: number, column: 1).trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    /// Each line `count x x …` (tags, joined by `|`) or `count id:n id:n …` (words repeated n
    /// times, joined by spaces, so the text encoder sees the counts as term frequencies).
    static func countedLists(_ path: String, file: String, pairs: Bool, names: [String]?, prefix: String) throws -> [String] {
        var out: [String] = []
        var fields = FieldRanges()
        try ByteLines.forEach(path: path, displayName: file) { line, number in
            fields.splitWhitespace(line)
            if fields.count == 0 { out.append(""); return }
            guard let count = NumberParsing.int64(fields.field(0, in: line)), count >= 0 else {
                throw DataError(file: file, line: number, column: 1, "expected the number of entries, got '\(DataError.show(fields.field(0, in: line)))'")
            }
            guard Int(count) == fields.count - 1 else {
                throw DataError(file: file, line: number, column: min(fields.count, Int(count) + 1) + 1, "expected \(count) entries after the count, got \(fields.count - 1)")
            }
            var parts: [String] = []
            for k in 1..<fields.count {
                let f = fields.field(k, in: line)
                var id: Int64?, n: Int64 = 1
                if pairs {
                    if let colon = f.firstIndex(of: 0x3A) {
                        id = NumberParsing.int64(UnsafeBufferPointer(rebasing: f[..<colon]))
                        n = NumberParsing.int64(UnsafeBufferPointer(rebasing: f[(colon + 1)...])) ?? -1
                    }
                    guard let i = id, i >= 0, n >= 0 else {
                        throw DataError(file: file, line: number, column: k + 1, "expected word:count, got '\(DataError.show(f))'")
                    }
                } else {
                    id = NumberParsing.int64(f)
                    guard let i = id, i >= 0 else { throw DataError(file: file, line: number, column: k + 1, "expected a 0-based tag id, got '\(DataError.show(f))'") }
                }
                let i = Int(id!)
                if let names, i >= names.count {
                    throw DataError(file: file, line: number, column: k + 1, "id \(i) is beyond the \(names.count) names of the vocabulary")
                }
                var name = names?[i] ?? "\(prefix)\(i)"
                if pairs { name = name.replacingOccurrences(of: " ", with: "_") }
                for _ in 0..<min(n, 1000) { parts.append(name) }
            }
            out.append(parts.joined(separator: pairs ? " " : "|"))
        }
        return out
    }

    /// Titles from `raw-data.csv` (`doc.id,title,…`, doc.id 1-based); best effort.
    static func titles(_ path: String, count: Int) throws -> [String] {
        var out = [String](repeating: "", count: count)
        try records(path, file: "raw-data.csv", separator: ",", quotes: true, latin1: true) { f, line in
            guard line > 1, f.count >= 2, let id = Int(f[0]), id >= 1, id <= count else { return }
            out[id - 1] = f[1]
        }
        return out
    }
}

import Foundation

/// The native directory format (DESIGN §3.1): `dataset.toml`, `interactions.csv`
/// (`user,item,label[,weight][,timestamp]`), optional `users.csv` / `items.csv`.
extension DatasetLoader {
    static func loadNative(directory: String) throws -> Dataset {
        let dir = URL(fileURLWithPath: directory)
        let fm = FileManager.default
        let schemaPath = dir.appendingPathComponent("dataset.toml").path
        var schema = DatasetSchema()
        if fm.fileExists(atPath: schemaPath) {
            schema = try DatasetSchema.read(path: schemaPath, displayName: "dataset.toml")
        }
        let interactionsPath = dir.appendingPathComponent(schema.interactions).path
        guard fm.fileExists(atPath: interactionsPath) else {
            throw DataError(file: schema.interactions, "missing file: a native dataset needs \(schema.interactions) (user,item,label[,weight][,timestamp])")
        }
        // Content files first: internal ids then follow the catalogue's order rather than the
        // order of first interaction (which correlates with popularity and would leak it into
        // any index-ordered tie-break).
        let size = (try? FileManager.default.attributesOfItem(atPath: interactionsPath)[.size] as? Int) ?? 0
        var columns = InteractionColumns(expectedInteractions: size / 14 + 16)
        var userContent: SideContent?
        var itemContent: SideContent?
        let usersPath = dir.appendingPathComponent(schema.users.file).path
        if fm.fileExists(atPath: usersPath) {
            userContent = try ContentTable.read(path: usersPath, displayName: schema.users.file, declared: schema.users.columns,
                                                schemaName: "dataset.toml", ids: &columns.userTable)
        } else if schema.users.columns != nil {
            throw DataError(file: "dataset.toml", "the schema declares user columns but \(schema.users.file) is missing")
        }
        let itemsPath = dir.appendingPathComponent(schema.items.file).path
        if fm.fileExists(atPath: itemsPath) {
            itemContent = try ContentTable.read(path: itemsPath, displayName: schema.items.file, declared: schema.items.columns,
                                                schemaName: "dataset.toml", ids: &columns.itemTable)
        } else if schema.items.columns != nil {
            throw DataError(file: "dataset.toml", "the schema declares item columns but \(schema.items.file) is missing")
        }
        try readInteractions(path: interactionsPath, displayName: schema.interactions, into: &columns)
        // Content files may add entities after the other side's content was sized: pad.
        let userIDs = columns.userTable.strings(), itemIDs = columns.itemTable.strings()
        return Dataset(name: schema.name ?? dir.lastPathComponent, userIDs: userIDs, itemIDs: itemIDs,
                       users: columns.users, items: columns.items, labels: columns.labels,
                       weights: columns.hasWeights ? columns.weights : nil,
                       timestamps: columns.hasTimestamps ? columns.timestamps : nil,
                       userContent: userContent.map { padded($0, to: userIDs.count) },
                       itemContent: itemContent.map { padded($0, to: itemIDs.count) })
    }

    static func padded(_ content: SideContent, to count: Int) -> SideContent {
        guard content.count < count else { return content }
        var c = content
        for k in c.columns.indices { c.columns[k].values += Array(repeating: "", count: count - c.count) }
        c.count = count
        return c
    }

    /// Parses `user,item,label[,weight][,timestamp]` lines (a header starting with `user` is skipped).
    static func readInteractions(path: String, displayName: String, into columns: inout InteractionColumns) throws {
        var fields = FieldRanges()
        var sawData = false
        try ByteLines.forEach(path: path, displayName: displayName) { line, number in
            if line.isEmpty { return }
            fields.split(line, separator: 0x2C)
            if number == 1, isHeader(fields.field(0, in: line)) { return }
            let n = fields.count
            guard n >= 3 && n <= 5 else {
                throw DataError(file: displayName, line: number, column: min(n, 5) + 1,
                                "expected 3 to 5 fields (user,item,label[,weight][,timestamp]), got \(n)")
            }
            let u = fields.field(0, in: line), i = fields.field(1, in: line), l = fields.field(2, in: line)
            guard !u.isEmpty else { throw DataError(file: displayName, line: number, column: 1, "expected a user id, got an empty field") }
            guard !i.isEmpty else { throw DataError(file: displayName, line: number, column: 2, "expected an item id, got an empty field") }
            guard l.count == 1, l[0] == 0x30 || l[0] == 0x31 else {
                throw DataError(file: displayName, line: number, column: 3, "expected a label 0 or 1, got '\(DataError.show(l))'")
            }
            try columns.add(user: u, item: i, label: l[0] &- 0x30, file: displayName, line: number)
            if n >= 4 {
                let w = fields.field(3, in: line)
                if !w.isEmpty {
                    guard let v = NumberParsing.double(w), v >= 0, Float(v).isFinite else {
                        throw DataError(file: displayName, line: number, column: 4, "expected a non-negative weight, got '\(DataError.show(w))'")
                    }
                    columns.setWeight(Float(v))
                }
            }
            if n == 5 {
                let t = fields.field(4, in: line)
                if !t.isEmpty {
                    guard let v = NumberParsing.int64(t) else {
                        throw DataError(file: displayName, line: number, column: 5, "expected an integer timestamp, got '\(DataError.show(t))'")
                    }
                    columns.setTimestamp(v)
                }
            }
            sawData = true
        }
        guard sawData else { throw DataError(file: displayName, "expected at least one interaction, the file is empty") }
        columns.finishOptionalColumns()
    }

    static func isHeader(_ first: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = String(decoding: first, as: UTF8.self).lowercased()
        return s == "user" || s == "userid" || s == "user_id" || s == "uid"
    }
}

import Foundation

/// A split given as files (`--split-dir`): `train.csv`, `test.csv` (`user,item[,label]`),
/// optional `validation.csv` and `test_item_ids.csv` (one item id per line). Ids are the
/// dataset's own; for CiteULike those are the 1-based line numbers of `users.dat` and 1-based
/// item indices, the layout of the DropoutNet reference split (its `warm/` and `cold/`).
///
/// Users or items that appear in test or validation but never in train are cold. Every pair
/// must be an interaction of the dataset; all its occurrences take the file's role.
///
/// With `test_item_ids.csv` the directory is evaluated as the reference does it: the listed
/// items are the only candidates (in the warm directory, which lists every item, too), test
/// pairs whose item is not listed are dropped, and all remaining pairs form one evaluation
/// (see `referenceKind`). Without it, test pairs are sorted by who is known: warm, cold-user
/// (candidates: the training items) and cold-item (candidates: the cold test items).
enum PredefinedSplit {
    /// Without `validation.csv`, a `validation` share of `train.csv` (seeded) becomes the
    /// validation split (`ValidationCarve`); 0 keeps every training pair, as the reference does.
    static func read(directory: String, dataset d: Dataset, validation carveFraction: Double = 0, seed: UInt64 = 1) throws -> Split {
        let fm = FileManager.default
        func path(_ f: String) -> String { (directory as NSString).appendingPathComponent(f) }
        for required in ["train.csv", "test.csv"] where !fm.fileExists(atPath: path(required)) {
            throw DataError(file: required, "missing file: a split directory needs train.csv and test.csv (user,item[,label])")
        }
        var userIndex = IDTable(expected: d.userCount), itemIndex = IDTable(expected: d.itemCount)
        for s in d.userIDs { _ = userIndex.intern(s) }
        for s in d.itemIDs { _ = itemIndex.intern(s) }
        // Pair → first interaction, with a chain through duplicates.
        var first: [Int64: Int32] = [:]
        first.reserveCapacity(d.interactionCount)
        var next = [Int32](repeating: -1, count: d.interactionCount)
        for k in stride(from: d.interactionCount - 1, through: 0, by: -1) {
            let key = Int64(d.users[k]) << 32 | Int64(d.items[k])
            if let f = first[key] { next[k] = f }
            first[key] = Int32(k)
        }
        var role = [UInt8](repeating: 0, count: d.interactionCount)   // 1 train, 2 test, 3 validation
        func readPairs(_ file: String, _ r: UInt8) throws {
            var fields = FieldRanges()
            var sawData = false
            try ByteLines.forEach(path: path(file), displayName: file) { line, number in
                if line.isEmpty { return }
                fields.split(line, separator: 0x2C)
                if number == 1, DatasetLoader.isHeader(fields.field(0, in: line)) { return }
                guard fields.count == 2 || fields.count == 3 else {
                    throw DataError(file: file, line: number, column: min(fields.count, 3) + 1, "expected 2 or 3 fields (user,item[,label]), got \(fields.count)")
                }
                let uf = fields.field(0, in: line), itf = fields.field(1, in: line)
                guard let u = userIndex.find(uf) else {
                    throw DataError(file: file, line: number, column: 1, "unknown user id '\(DataError.show(uf))' (not in the dataset)")
                }
                guard let i = itemIndex.find(itf) else {
                    throw DataError(file: file, line: number, column: 2, "unknown item id '\(DataError.show(itf))' (not in the dataset)")
                }
                if fields.count == 3 {
                    let l = fields.field(2, in: line)
                    guard l.count == 1, l[0] == 0x30 || l[0] == 0x31 else {
                        throw DataError(file: file, line: number, column: 3, "expected a label 0 or 1, got '\(DataError.show(l))'")
                    }
                }
                guard var k = first[Int64(u) << 32 | Int64(i)] else {
                    throw DataError(file: file, line: number, "pair (\(d.userIDs[Int(u)]), \(d.itemIDs[Int(i)])) is not an interaction of the dataset")
                }
                while k >= 0 {
                    if role[Int(k)] != 0 && role[Int(k)] != r {
                        throw DataError(file: file, line: number, "pair (\(d.userIDs[Int(u)]), \(d.itemIDs[Int(i)])) is already in another split file")
                    }
                    role[Int(k)] = r
                    k = next[Int(k)]
                }
                sawData = true
            }
            guard sawData else { throw DataError(file: file, "expected at least one user,item pair, the file is empty") }
        }
        try readPairs("train.csv", 1)
        try readPairs("test.csv", 2)
        let hasValidation = fm.fileExists(atPath: path("validation.csv"))
        if hasValidation { try readPairs("validation.csv", 3) }

        // The candidates, when listed, decide which test pairs count (DropoutNet reference).
        var candidates: [Int32]? = nil
        if fm.fileExists(atPath: path("test_item_ids.csv")) {
            candidates = try readItemList("test_item_ids.csv", path: path("test_item_ids.csv"), itemIndex: itemIndex)
            var isCandidate = [Bool](repeating: false, count: d.itemCount)
            for i in candidates! { isCandidate[Int(i)] = true }
            var kept = 0, listed = 0
            for k in 0..<d.interactionCount where role[k] == 2 {
                listed += 1
                if isCandidate[Int(d.items[k])] { kept += 1 } else { role[k] = 0 }
            }
            guard kept > 0 else {
                throw DataError(file: "test_item_ids.csv", "none of the \(listed) test interactions of test.csv has an item listed here, so nothing would be evaluated")
            }
        }

        let carved = !hasValidation && carveFraction > 0
        if carved { ValidationCarve.carve(role: &role, dataset: d, fraction: carveFraction, seed: seed) }

        var knownUser = [Bool](repeating: false, count: d.userCount), knownItem = [Bool](repeating: false, count: d.itemCount)
        var seenUser = knownUser, seenItem = knownItem
        for k in 0..<d.interactionCount where role[k] != 0 {
            let u = Int(d.users[k]), i = Int(d.items[k])
            if role[k] == 1 { knownUser[u] = true; knownItem[i] = true }
            seenUser[u] = true; seenItem[i] = true
        }
        let reference = candidates.map { referenceKind(candidates: $0, knownItem: knownItem, knownUser: knownUser, role: role, dataset: d) }
        var train: [Int32] = [], validation: [Int32] = [], warmTest: [Int32] = [], coldUserTest: [Int32] = [], coldItemTest: [Int32] = []
        for k in 0..<d.interactionCount {
            let u = Int(d.users[k]), i = Int(d.items[k])
            switch role[k] {
            case 1: train.append(Int32(k))
            case 2:
                if let reference {
                    switch reference {
                    case .warm: warmTest.append(Int32(k))
                    case .coldUser: coldUserTest.append(Int32(k))
                    default: coldItemTest.append(Int32(k))
                    }
                    continue
                }
                switch (knownUser[u], knownItem[i]) {
                case (true, true): warmTest.append(Int32(k))
                case (false, true): coldUserTest.append(Int32(k))
                case (true, false): coldItemTest.append(Int32(k))
                default: break
                }
            case 3: validation.append(Int32(k))
            default: break
            }
        }
        let coldUsers = (0..<d.userCount).filter { seenUser[$0] && !knownUser[$0] }.map(Int32.init)
        let coldItems = (0..<d.itemCount).filter { seenItem[$0] && !knownItem[$0] }.map(Int32.init)
        let coldItemCandidates = candidates ?? Array(Set(coldItemTest.map { d.items[Int($0)] })).sorted()
        return Split(train: train, validation: validation, warmTest: warmTest, coldUserTest: coldUserTest,
                     coldItemTest: coldItemTest, coldUsers: coldUsers, coldItems: coldItems,
                     coldItemCandidates: coldItemCandidates,
                     origin: "files \(directory)" + (carved ? " validation=\(carveFraction) carved seed=\(seed)" : ""),
                     testCandidates: candidates)
    }

    /// Which evaluation the reference protocol's single test set is reported as. The reference
    /// evaluates all remaining test pairs together (one average over users), masking each
    /// user's training positives among the candidates; which split that is follows from the
    /// data: no test user with training history → cold-user; else no candidate with training
    /// history → cold-item; else warm. In both cold cases there is nothing to mask, so the
    /// unmasked cold evaluations compute exactly the reference figure.
    static func referenceKind(candidates: [Int32], knownItem: [Bool], knownUser: [Bool], role: [UInt8], dataset d: Dataset) -> EvaluationSplit {
        var anyKnownUser = false
        for k in 0..<d.interactionCount where role[k] == 2 && knownUser[Int(d.users[k])] { anyKnownUser = true; break }
        if !anyKnownUser { return .coldUser }
        return candidates.contains { knownItem[Int($0)] } ? .warm : .coldItem
    }

    /// One item id per line (first field; a header line `item…` is skipped), in file order with
    /// repeats dropped: the order breaks score ties, as the reference's compact item index does.
    static func readItemList(_ file: String, path: String, itemIndex: IDTable) throws -> [Int32] {
        var out: [Int32] = []
        var listed = Set<Int32>()
        var fields = FieldRanges()
        try ByteLines.forEach(path: path, displayName: file) { line, number in
            if line.isEmpty { return }
            fields.split(line, separator: 0x2C)
            let f = fields.field(0, in: line)
            if number == 1, String(decoding: f, as: UTF8.self).lowercased().hasPrefix("item") { return }
            guard let i = itemIndex.find(f) else {
                throw DataError(file: file, line: number, column: 1, "unknown item id '\(DataError.show(f))' (not in the dataset)")
            }
            if listed.insert(i).inserted { out.append(i) }
        }
        guard !out.isEmpty else { throw DataError(file: file, "expected at least one item id, the file is empty") }
        return out
    }
}

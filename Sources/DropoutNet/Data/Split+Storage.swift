import Foundation

/// Saving and reloading a split exactly (runs and checkpoints keep the split they used).
extension Split {
    static let magic: [UInt8] = Array("DNETSPLT".utf8)
    /// Version 1: the eight index lists. Version 2 adds `testCandidates`; a split without them
    /// is still written as version 1, so its bytes (and checkpoints holding them) do not change.
    static let formatVersion: UInt32 = 2

    /// The split as bytes (a checkpoint embeds these).
    public func serialized() -> [UInt8] {
        let w = BinaryWriter()
        encode(into: w)
        return w.memory
    }

    /// Reads bytes made by `serialized()`; a truncated or foreign blob throws a `DataError`.
    public init(serialized bytes: [UInt8], source: String = "split") throws {
        self = try Split.decode(BinaryReader(bytes: bytes), source: source)
    }

    /// Writes the split atomically to `path`.
    public func write(to path: String) throws {
        guard AtomicFile.write(path: path, { encode(into: $0) }) else {
            throw DataError(file: path, "cannot write the split file")
        }
    }

    public static func read(from path: String) throws -> Split {
        var st = stat()
        guard stat(path, &st) == 0 else { throw DataError(file: path, "missing split file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError(file: path, "cannot open the split file") }
        defer { close(fd) }
        return try decode(BinaryReader(fd: fd, size: Int(st.st_size)), source: path)
    }

    /// Checks that every index fits `dataset` (a split saved for other data must not be used).
    public func validate(against d: Dataset) throws {
        func check(_ a: [Int32], _ limit: Int, _ what: String) throws {
            if let bad = a.first(where: { $0 < 0 || Int($0) >= limit }) {
                throw DataError(file: "split", "\(what) index \(bad) is outside the dataset (\(limit)); was the split made for other data?")
            }
        }
        for (a, what) in [(train, "train"), (validation, "validation"), (warmTest, "warm test"), (coldUserTest, "cold-user test"), (coldItemTest, "cold-item test")] {
            try check(a, d.interactionCount, what)
        }
        try check(coldUsers, d.userCount, "cold user")
        try check(coldItems, d.itemCount, "cold item")
        try check(coldItemCandidates, d.itemCount, "cold-item candidate")
        if let testCandidates { try check(testCandidates, d.itemCount, "test candidate") }
    }

    private func encode(into w: BinaryWriter) {
        w.bytes(Split.magic)
        w.u32(testCandidates == nil ? 1 : 2)
        w.string(origin)
        for a in [train, validation, warmTest, coldUserTest, coldItemTest, coldUsers, coldItems, coldItemCandidates] { w.array(a) }
        if let testCandidates { w.array(testCandidates) }
        w.bytes(Split.magic)
    }

    private static func decode(_ r: BinaryReader, source: String) throws -> Split {
        do {
            guard try r.bytes(magic.count) == magic else { throw DataError(file: source, "not a split file") }
            let v = try r.u32()
            guard v >= 1 && v <= formatVersion else { throw DataError(file: source, "split file version \(v), expected 1 to \(formatVersion)") }
            let origin = try r.string()
            var arrays: [[Int32]] = []
            for _ in 0..<8 { arrays.append(try r.array(Int32.self)) }
            let testCandidates = v >= 2 ? try r.array(Int32.self) : nil
            guard try r.bytes(magic.count) == magic, r.atEnd else { throw DataError(file: source, "split file is corrupt (bad trailer)") }
            return Split(train: arrays[0], validation: arrays[1], warmTest: arrays[2], coldUserTest: arrays[3],
                         coldItemTest: arrays[4], coldUsers: arrays[5], coldItems: arrays[6],
                         coldItemCandidates: arrays[7], origin: origin, testCandidates: testCandidates)
        } catch let e as BinaryReader.Corrupt {
            throw DataError(file: source, "split file is corrupt (\(e.what))")
        }
    }
}

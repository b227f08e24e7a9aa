import Foundation

/// The versioned binary cache of a parsed dataset, in the user's cache directory
/// (`CacheDirectory`, DESIGN §3.1) — never beside the data, so read-only and shared data
/// directories work and nothing appears in them.
///
/// An entry is named by a fingerprint of the data directory's real path and its source files'
/// names, sizes and modification times, which the entry's header repeats. Fresh when written by
/// this cache version from the same files; anything unexpected (older version, truncated,
/// corrupt, ids out of range) makes it stale: the data is parsed again and the entry rewritten,
/// never trusted. When the cache directory cannot be written, loading simply goes without.
public enum DatasetCache {
    static let magic: [UInt8] = Array("DNETDSET".utf8)
    static let version: UInt32 = 2

    /// (name, size, mtime in ns) of each source file; the cache's freshness key.
    static func fingerprint(directory: String, sources: [String]) -> [(String, UInt64, Int64)] {
        sources.compactMap { name in
            var st = stat()
            guard stat((directory as NSString).appendingPathComponent(name), &st) == 0 else { return nil }
            #if canImport(Darwin)
            let ns = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
            #else
            let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            #endif
            return (name, UInt64(st.st_size), ns)
        }
    }

    /// The entry name of a directory's data: a fingerprint of its real path, the format and the
    /// freshness key, so editing a file or moving the data gives a new entry (the old one ages out).
    static func key(directory: String, format: DataFormat, sources: [String]) -> String {
        var f = Fingerprint()
        f.add((directory as NSString).resolvingSymlinksInPath)
        f.add(format.rawValue)
        for (name, size, mtime) in fingerprint(directory: directory, sources: sources) {
            f.add(name)
            f.add(Int(truncatingIfNeeded: size))
            f.add(Int(mtime))
        }
        return f.hex
    }

    /// The cache entry of a directory's data in `cache`.
    public static func entryPath(directory: String, format: DataFormat, sources: [String], in cache: CacheDirectory) -> String {
        cache.entry(key(directory: directory, format: format, sources: sources))
    }

    /// The cached dataset if a fresh, intact entry exists; nil otherwise. A hit counts as a use.
    public static func load(directory: String, format: DataFormat, sources: [String], cache: CacheDirectory?) -> Dataset? {
        guard let cache else { return nil }
        let path = entryPath(directory: directory, format: format, sources: sources, in: cache)
        guard let d = try? read(path: path, format: format, key: fingerprint(directory: directory, sources: sources)) else { return nil }
        cache.touch(path)
        return d
    }

    /// Writes the entry, then evicts the least recently used others beyond the size limit.
    /// Failures are silent by design: a cache that cannot be written is a cache not used.
    public static func store(_ dataset: Dataset, directory: String, format: DataFormat, sources: [String], cache: CacheDirectory?) {
        guard let cache else { return }
        let key = fingerprint(directory: directory, sources: sources)
        let path = entryPath(directory: directory, format: format, sources: sources, in: cache)
        try? FileManager.default.createDirectory(atPath: cache.path, withIntermediateDirectories: true)
        guard isWritable(cache.path) else { return }
        if AtomicFile.write(path: path, { write(dataset, format: format, key: key, to: $0) }) {
            cache.evict(keeping: path)
        }
    }

    /// Whether we may write in `dir`. A directory without any write permission bit counts as
    /// read-only even for a superuser, who could write there anyway.
    static func isWritable(_ dir: String) -> Bool {
        var st = stat()
        guard stat(dir, &st) == 0, (st.st_mode & 0o222) != 0 else { return false }
        return access(dir, W_OK) == 0
    }

    static func write(_ d: Dataset, format: DataFormat, key: [(String, UInt64, Int64)], to w: BinaryWriter) {
        w.bytes(magic)
        w.u32(version)
        w.string(format.rawValue)
        w.u64(UInt64(key.count))
        for (name, size, mtime) in key { w.string(name); w.u64(size); w.i64(mtime) }
        w.string(d.name)
        w.strings(d.userIDs)
        w.strings(d.itemIDs)
        w.array(d.users)
        w.array(d.items)
        w.array(d.labels)
        w.array(d.weights)
        w.array(d.timestamps)
        for side in [d.userContent, d.itemContent] {
            w.u64(UInt64(side.count))
            w.u64(UInt64(side.columns.count))
            for c in side.columns { w.string(c.name); w.string(c.kind.rawValue); w.strings(c.values) }
        }
        w.bytes(magic)
    }

    static func read(path: String, format: DataFormat, key: [(String, UInt64, Int64)]) throws -> Dataset {
        typealias Corrupt = BinaryReader.Corrupt
        var st = stat()
        guard stat(path, &st) == 0 else { throw Corrupt(what: "absent") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Corrupt(what: "unreadable") }
        defer { close(fd) }
        let r = BinaryReader(fd: fd, size: Int(st.st_size))
        guard try r.bytes(magic.count) == magic, try r.u32() == version, try r.string() == format.rawValue else {
            throw Corrupt(what: "header")
        }
        let n = try r.u64()
        guard n == UInt64(key.count) else { throw Corrupt(what: "stale") }
        for (name, size, mtime) in key {
            guard try r.string() == name, try r.u64() == size, try r.i64() == mtime else { throw Corrupt(what: "stale") }
        }
        let name = try r.string()
        let userIDs = try r.strings(), itemIDs = try r.strings()
        let users = try r.array(Int32.self), items = try r.array(Int32.self), labels = try r.array(UInt8.self)
        let weights = try r.array(Float.self), timestamps = try r.array(Int64.self)
        let m = users.count
        guard items.count == m, labels.count == m, weights.count == m, timestamps.count == m else { throw Corrupt(what: "lengths") }
        guard inRange(users, userIDs.count), inRange(items, itemIDs.count), labels.allSatisfy({ $0 <= 1 }) else {
            throw Corrupt(what: "ids out of range")
        }
        var sides: [SideContent] = []
        for expected in [userIDs.count, itemIDs.count] {
            let count = Int(try r.u64())
            let columnCount = try r.count(elementSize: 16)
            guard count == expected else { throw Corrupt(what: "content rows") }
            var columns: [SideContent.Column] = []
            for _ in 0..<columnCount {
                let cname = try r.string()
                guard let kind = SideContent.ColumnKind(rawValue: try r.string()) else { throw Corrupt(what: "kind") }
                let values = try r.strings()
                guard values.count == count else { throw Corrupt(what: "column rows") }
                columns.append(SideContent.Column(name: cname, kind: kind, values: values))
            }
            sides.append(SideContent(columns: columns, count: count))
        }
        guard try r.bytes(magic.count) == magic, r.atEnd else { throw Corrupt(what: "trailer") }
        return Dataset(name: name, userIDs: userIDs, itemIDs: itemIDs, users: users, items: items, labels: labels,
                       weights: weights, timestamps: timestamps, userContent: sides[0], itemContent: sides[1])
    }

    private static func inRange(_ ids: [Int32], _ count: Int) -> Bool {
        let limit = Int32(truncatingIfNeeded: count)
        var bad = false
        ids.withUnsafeBufferPointer { p in
            for v in p { bad = bad || (v < 0 || v >= limit) }
        }
        return !bad
    }
}

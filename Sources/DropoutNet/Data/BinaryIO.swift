import Foundation

/// Little-endian binary writing straight to a file descriptor, for the dataset cache and
/// split files: big arrays go out in one `write` each, never through an intermediate buffer.
final class BinaryWriter {
    private let fd: Int32
    private var small: [UInt8] = []
    private(set) var failed = false

    init(fd: Int32) { self.fd = fd }
    /// An in-memory writer: everything stays in `memory` (checkpoints embed splits this way).
    init() { self.fd = -1 }
    var memory: [UInt8] { small }

    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { small.append(contentsOf: $0) } }
    func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { small.append(contentsOf: $0) } }
    func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    func bytes(_ b: [UInt8]) { small.append(contentsOf: b) }

    func string(_ s: String) {
        let b = Array(s.utf8)
        u64(UInt64(b.count))
        small.append(contentsOf: b)
    }

    /// A count followed by the raw elements (trivial types only).
    func array<T>(_ a: [T]) {
        u64(UInt64(a.count))
        if fd < 0 { a.withUnsafeBytes { small.append(contentsOf: $0) }; return }
        flush()
        a.withUnsafeBytes { raw in writeAll(raw) }
    }

    /// Many strings as one length-prefixed blob plus offsets: fast to write and to read back.
    func strings(_ list: [String]) {
        var blob: [UInt8] = []
        var offsets: [UInt64] = [0]
        offsets.reserveCapacity(list.count + 1)
        for s in list { blob.append(contentsOf: s.utf8); offsets.append(UInt64(blob.count)) }
        array(offsets)
        array(blob)
    }

    func flush() {
        guard fd >= 0, !small.isEmpty else { return }
        small.withUnsafeBytes { writeAll($0) }
        small.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count && !failed {
            let n = write(fd, raw.baseAddress! + offset, min(raw.count - offset, 1 << 30))
            if n <= 0 { failed = true; return }
            offset += n
        }
    }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked against the file size so a
/// truncated or corrupt file throws instead of trapping or allocating absurd amounts.
final class BinaryReader {
    struct Corrupt: Error { var what: String }
    private let fd: Int32
    private var remaining: Int

    private var memory: [UInt8]?

    init(fd: Int32, size: Int) { self.fd = fd; self.remaining = size }
    /// Reads from bytes in memory instead of a file.
    init(bytes: [UInt8]) { self.fd = -1; self.remaining = bytes.count; self.memory = bytes }

    private func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= remaining else { throw Corrupt(what: "truncated") }
        var out = [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { try readAll($0) }
        return out
    }

    private func readAll(_ raw: UnsafeMutableRawBufferPointer) throws {
        guard raw.count <= remaining else { throw Corrupt(what: "truncated") }
        if let memory {
            let start = memory.count - remaining
            memory.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + raw.count)])) }
            remaining -= raw.count
            return
        }
        var offset = 0
        while offset < raw.count {
            let n = read(fd, raw.baseAddress! + offset, min(raw.count - offset, 1 << 30))
            if n <= 0 { throw Corrupt(what: "short read") }
            offset += n
        }
        remaining -= raw.count
    }

    func u32() throws -> UInt32 { try take(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
    func u64() throws -> UInt64 { try take(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } }
    func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    func bytes(_ n: Int) throws -> [UInt8] { try take(n) }

    func count(elementSize: Int) throws -> Int {
        let n = try u64()
        guard n <= UInt64(remaining / max(elementSize, 1)) else { throw Corrupt(what: "array length \(n) exceeds the file") }
        return Int(n)
    }

    func string() throws -> String {
        let n = try count(elementSize: 1)
        let b = try take(n)
        guard let s = String(validating: b, as: UTF8.self) else { throw Corrupt(what: "bad UTF-8") }
        return s
    }

    func array<T>(_: T.Type) throws -> [T] {
        let n = try count(elementSize: MemoryLayout<T>.stride)
        return try [T](unsafeUninitializedCapacity: n) { buf, initialized in
            try readAll(UnsafeMutableRawBufferPointer(buf))
            initialized = n
        }
    }

    func strings() throws -> [String] {
        let offsets = try array(UInt64.self)
        let blob = try array(UInt8.self)
        guard let first = offsets.first, first == 0, offsets.last.map({ Int($0) == blob.count }) ?? false else {
            throw Corrupt(what: "string table")
        }
        var out: [String] = []
        out.reserveCapacity(offsets.count - 1)
        try blob.withUnsafeBufferPointer { b in
            for k in 0..<(offsets.count - 1) {
                let lo = Int(offsets[k]), hi = Int(offsets[k + 1])
                guard lo <= hi, hi <= b.count else { throw Corrupt(what: "string offsets") }
                let slice = UnsafeBufferPointer(rebasing: b[lo..<hi])
                guard let s = String(validating: slice, as: UTF8.self) else { throw Corrupt(what: "bad UTF-8") }
                out.append(s)
            }
        }
        return out
    }

    var atEnd: Bool { remaining == 0 }
}

/// Writes a file atomically: a temporary sibling, then `rename` over the target.
enum AtomicFile {
    /// Returns false (leaving nothing behind) when the directory is not writable or a write fails.
    @discardableResult
    static func write(path: String, _ body: (BinaryWriter) -> Void) -> Bool {
        let tmp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        let w = BinaryWriter(fd: fd)
        body(w)
        w.flush()
        let ok = !w.failed && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else { unlink(tmp); return false }
        return true
    }

    /// Text files (CSV, README, TOML) written atomically; throws a readable error on failure.
    static func writeText(_ text: String, to path: String) throws {
        let bytes = Array(text.utf8)
        guard write(path: path, { $0.bytes(bytes) }) else {
            throw DataError(file: path, "cannot write file (\(String(cString: strerror(errno))))")
        }
    }
}

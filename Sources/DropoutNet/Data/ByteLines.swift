import Foundation

/// Reads a file's bytes line by line without building a `String` per line.
///
/// Parsing 25 M interactions at millions of lines per second rules out `String` splitting; a
/// line is handed out as a buffer pointer into a reused chunk, valid only during the callback.
/// Files are read in large chunks so memory stays flat however big the file is.
enum ByteLines {
    /// Calls `body(line, lineNumber)` for every line (without its `\n` or `\r\n`), numbering
    /// from 1. Blank lines are passed through; callers decide whether they are errors.
    static func forEach(path: String, displayName: String, chunkSize: Int = 8 << 20,
                        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError(file: displayName, "cannot open file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        // A small file gets a buffer of its size (plus one byte to see the end in one read),
        // not a whole chunk: a directory of small CSVs is read without 8 MB per file.
        var info = stat()
        let size = fstat(fd, &info) == 0 && info.st_size >= 0 ? Int(info.st_size) : chunkSize
        var buffer = [UInt8](repeating: 0, count: max(1, min(chunkSize, size + 1)))
        var carried = 0        // bytes of an unfinished line at the start of the buffer
        var lineNumber = 0
        while true {
            if carried == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + carried, raw.count - carried) }
            if n < 0 { throw DataError(file: displayName, "read failed (\(String(cString: strerror(errno))))") }
            let end = carried + n
            let atEOF = n == 0
            try buffer.withUnsafeBufferPointer { all in
                let base = all.baseAddress!
                var start = 0
                while true {
                    guard let nl = memchr(base + start, 0x0A, end - start) else { break }
                    let stop = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    try body(UnsafeBufferPointer(start: base + start, count: trimCR(base, start, stop) - start), lineNumber)
                    start = stop + 1
                }
                if atEOF, start < end {
                    lineNumber += 1
                    try body(UnsafeBufferPointer(start: base + start, count: trimCR(base, start, end) - start), lineNumber)
                    start = end
                }
                carried = end - start
                if carried > 0 && start > 0 {
                    UnsafeMutablePointer(mutating: base).update(from: base + start, count: carried)
                }
            }
            if atEOF { break }
        }
    }

    @inline(__always)
    private static func trimCR(_ base: UnsafePointer<UInt8>, _ start: Int, _ stop: Int) -> Int {
        stop > start && base[stop - 1] == 0x0D ? stop - 1 : stop
    }

    /// Every line of a small file as a whole-file byte array plus line ranges (content files).
    static func readAll(path: String, displayName: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: displayName, "cannot read file")
        }
        return [UInt8](data)
    }
}

/// Splits one line into fields; understands RFC 4180 quotes ("a, b" and doubled "").
///
/// Fields are returned as byte ranges into the line; quoted fields are unquoted into `scratch`
/// and their range points there (the caller asks `field(_:)` for the bytes).
struct FieldSplitter {
    let separator: [UInt8]
    /// Whether `"` starts a quoted field (CSV) or is an ordinary byte (MovieLens `::`/`|`, tabs).
    let quotes: Bool
    private(set) var fields: [String] = []

    init(separator: String, quotes: Bool) {
        self.separator = Array(separator.utf8)
        self.quotes = quotes
    }

    /// Splits `line` into decoded strings; throws on unterminated quotes or non-UTF-8 bytes.
    mutating func split(_ line: UnsafeBufferPointer<UInt8>, file: String, line lineNumber: Int,
                        latin1Fallback: Bool = false) throws -> [String] {
        fields.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        let sep0 = separator[0]
        let sepCount = separator.count
        var column = 1
        while true {
            var bytes: [UInt8] = []
            var start = i
            if quotes && i < n && line[i] == 0x22 {
                i += 1
                var closed = false
                while i < n {
                    if line[i] == 0x22 {
                        if i + 1 < n && line[i + 1] == 0x22 { bytes.append(0x22); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    bytes.append(line[i]); i += 1
                }
                if !closed { throw DataError(file: file, line: lineNumber, column: column, "expected a closing quote before the end of the line") }
                if i < n && !matchesSeparator(line, i, sep0, sepCount) {
                    throw DataError(file: file, line: lineNumber, column: column, "expected a separator after the closing quote")
                }
                start = -1
            } else {
                while i < n && !matchesSeparator(line, i, sep0, sepCount) { i += 1 }
            }
            let field: String
            if start >= 0 {
                field = try Self.decode(UnsafeBufferPointer(rebasing: line[start..<i]), file: file, line: lineNumber, column: column, latin1Fallback: latin1Fallback)
            } else {
                field = try bytes.withUnsafeBufferPointer { try Self.decode($0, file: file, line: lineNumber, column: column, latin1Fallback: latin1Fallback) }
            }
            fields.append(field)
            if i >= n { break }
            i += sepCount
            column += 1
            if i == n { fields.append(""); break }
        }
        return fields
    }

    @inline(__always)
    private func matchesSeparator(_ line: UnsafeBufferPointer<UInt8>, _ i: Int, _ sep0: UInt8, _ count: Int) -> Bool {
        guard line[i] == sep0 else { return false }
        if count == 1 { return true }
        guard i + count <= line.count else { return false }
        for k in 1..<count where line[i + k] != separator[k] { return false }
        return true
    }

    /// UTF-8 text of a field; MovieLens' older files are Latin-1, so those loaders allow it.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, column: Int, latin1Fallback: Bool = false) throws -> String {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        if latin1Fallback { return String(bytes.map { Character(UnicodeScalar($0)) }) }
        throw DataError(file: file, line: line, column: column, "expected UTF-8 text, got bytes '\(DataError.show(bytes))'")
    }
}

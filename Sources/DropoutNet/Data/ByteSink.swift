import Foundation

/// A buffered, atomic text-file writer for large generated files: bytes accumulate in a 1 MB
/// buffer and go to a temporary file, renamed over the target on `commit()`.
final class ByteSink {
    private let path: String
    private let tmp: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var failed = false

    init(path: String) throws {
        self.path = path
        tmp = path + ".tmp-\(getpid())"
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DataError(file: path, "cannot create file (\(String(cString: strerror(errno))))") }
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    deinit {
        if fd >= 0 && !committed { close(fd); unlink(tmp) }
    }
    private var committed = false

    @inline(__always) func byte(_ b: UInt8) { buffer.append(b) }
    func text(_ s: String) { buffer.append(contentsOf: s.utf8); flushIfFull() }

    /// A non-negative integer in decimal.
    @inline(__always) func int(_ v: Int) {
        var v = v
        if v == 0 { buffer.append(0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[k]) }
        }
    }

    /// End of a line; flushes when the buffer is full.
    @inline(__always) func newline() {
        buffer.append(0x0A)
        flushIfFull()
    }

    @inline(__always) private func flushIfFull() { if buffer.count >= 1 << 20 { flush() } }

    private func flush() {
        guard !buffer.isEmpty, !failed else { buffer.removeAll(keepingCapacity: true); return }
        buffer.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { failed = true; return }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames into place.
    func commit() throws {
        flush()
        let ok = !failed && close(fd) == 0
        committed = true
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw DataError(file: path, "cannot write file (\(String(cString: strerror(errno))))")
        }
    }

    /// A CSV field, quoted when it holds a comma, quote or newline.
    func csvField(_ s: String) {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) {
            text("\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        } else {
            text(s)
        }
    }
}

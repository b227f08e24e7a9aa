import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers (and a crash) see either the old file or the complete new one.
///
/// Temp file in the same directory → write → fsync → rename over the target → fsync the
/// directory. A process killed mid-write leaves only a stray `.NAME.tmp-…` file, never a torn
/// target.
public enum AtomicWriter {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw AtomicWriteError(path: url.path, step: "create \(temp.lastPathComponent)", code: errno) }
        var ok = false
        defer {
            if !ok { unlink(temp.path) }
        }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let code = errno
                    close(fd)
                    throw AtomicWriteError(path: url.path, step: "write", code: code)
                }
                offset += n
            }
        }
        if fsync(fd) != 0 { let code = errno; close(fd); throw AtomicWriteError(path: url.path, step: "fsync", code: code) }
        close(fd)
        if rename(temp.path, url.path) != 0 { throw AtomicWriteError(path: url.path, step: "rename", code: errno) }
        ok = true
        let dfd = open(dir.path, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }
}

public struct AtomicWriteError: Error, CustomStringConvertible {
    public let path: String
    public let step: String
    public let code: Int32
    public var description: String { "\(path): cannot write (\(step) failed: \(String(cString: strerror(code))))" }
}

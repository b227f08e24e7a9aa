import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The per-user directory the parsed-data cache lives in: `$XDG_CACHE_HOME/dropoutnet/`, else
/// `~/.cache/dropoutnet/` — never the data's own directory, which may be shared, read-only or
/// somebody else's.
///
/// Size-limited: after each write the least recently used entries (by modification time; a
/// cache hit touches its entry) are removed until the directory fits `limitBytes`. The entry
/// just written is never removed, so one dataset larger than the limit still caches.
public struct CacheDirectory: Sendable, Equatable {
    public var path: String
    public var limitBytes: UInt64
    /// Entries end in this; eviction touches nothing else in the directory.
    static let suffix = ".dataset.bin"
    /// 2 GiB: a MovieLens-25M-sized world is about 550 MB, so a few of them fit.
    public static let defaultLimitBytes: UInt64 = 2 << 30

    public init(path: String, limitBytes: UInt64 = CacheDirectory.defaultLimitBytes) {
        self.path = path
        self.limitBytes = limitBytes
    }

    /// The user's cache directory from the environment (`XDG_CACHE_HOME`, else `HOME/.cache`),
    /// with `DROPOUTNET_CACHE_LIMIT_MB` as the size limit when set; nil when neither is set.
    public static func user(environment env: [String: String] = ProcessInfo.processInfo.environment) -> CacheDirectory? {
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? env["HOME"].flatMap { $0.isEmpty ? nil : ($0 as NSString).appendingPathComponent(".cache") }
        guard let base else { return nil }
        let limit = env["DROPOUTNET_CACHE_LIMIT_MB"].flatMap(UInt64.init).map { $0 << 20 } ?? defaultLimitBytes
        return CacheDirectory(path: (base as NSString).appendingPathComponent("dropoutnet"), limitBytes: limit)
    }

    /// Where the entry of `key` (a fingerprint's hex digits) lives.
    public func entry(_ key: String) -> String {
        (path as NSString).appendingPathComponent(key + CacheDirectory.suffix)
    }

    /// Marks an entry as just used, so eviction takes it last.
    func touch(_ entry: String) {
        _ = utimes(entry, nil)
    }

    /// The entries, oldest use first: (path, size in bytes).
    func entries() -> [(path: String, size: UInt64)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var found: [(String, UInt64, Int64)] = []
        for name in names where name.hasSuffix(CacheDirectory.suffix) {
            let p = (path as NSString).appendingPathComponent(name)
            var st = stat()
            guard stat(p, &st) == 0 else { continue }
            #if canImport(Darwin)
            let ns = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
            #else
            let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            #endif
            found.append((p, UInt64(st.st_size), ns))
        }
        return found.sorted { ($0.2, $0.0) < ($1.2, $1.0) }.map { ($0.0, $0.1) }
    }

    /// Removes the least recently used entries until the directory fits the limit, keeping `keep`.
    /// - Returns: the paths removed.
    @discardableResult
    func evict(keeping keep: String) -> [String] {
        let all = entries()
        var total = all.reduce(0) { $0 + $1.size }
        var removed: [String] = []
        for e in all where total > limitBytes && e.path != keep {
            if unlink(e.path) == 0 {
                total -= e.size
                removed.append(e.path)
            }
        }
        return removed
    }
}

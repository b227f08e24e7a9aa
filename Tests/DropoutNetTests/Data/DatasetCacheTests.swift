import Foundation
import XCTest
@testable import DropoutNet

/// The parsed-data cache lives in the user's cache directory, never beside the data: read-only
/// data directories cache too, a changed file is parsed again, a corrupt entry is rebuilt, and
/// the directory stays under its size limit by dropping the least recently used entries.
final class DatasetCacheTests: XCTestCase {
    private var dirs: [String] = []

    override func tearDown() {
        for d in dirs {
            chmod(d, 0o755)
            DataFixture.remove(d)
        }
        dirs = []
    }

    private func data(_ text: String = "a,x,1\nb,y,0\n") throws -> String {
        let d = try DataFixture.directory(["interactions.csv": text])
        dirs.append(d)
        return d
    }

    private func cache(limit: UInt64 = CacheDirectory.defaultLimitBytes) throws -> CacheDirectory {
        let d = try DataFixture.directory([:])
        dirs.append(d)
        return CacheDirectory(path: d + "/dropoutnet", limitBytes: limit)
    }

    private func entries(_ c: CacheDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: c.path)) ?? []).filter { $0.hasSuffix(".dataset.bin") }
    }

    func testTheCacheDirectoryFollowsXDGThenHome() {
        XCTAssertEqual(CacheDirectory.user(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/h"])?.path, "/x/cache/dropoutnet")
        XCTAssertEqual(CacheDirectory.user(environment: ["XDG_CACHE_HOME": "", "HOME": "/h"])?.path, "/h/.cache/dropoutnet")
        XCTAssertNil(CacheDirectory.user(environment: [:]))
        XCTAssertEqual(CacheDirectory.user(environment: ["HOME": "/h", "DROPOUTNET_CACHE_LIMIT_MB": "3"])?.limitBytes, 3 << 20)
    }

    func testTheCacheIsWrittenToTheCacheDirectoryAndUsedUntilAFileChanges() throws {
        let dir = try data(), c = try cache()
        let first = try DatasetLoader.load(directory: dir, cache: c)
        XCTAssertEqual(first.interactionCount, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["interactions.csv"], "nothing beside the data")
        XCTAssertEqual(entries(c).count, 1)
        // The entry is what is read: an intact entry answers even if parsing would now fail.
        let entry = c.path + "/" + entries(c)[0]
        let cached = try XCTUnwrap(DatasetCache.load(directory: dir, format: .native, sources: ["interactions.csv"], cache: c))
        XCTAssertEqual(cached.userIDs, first.userIDs)
        XCTAssertEqual(cached.labels, first.labels)
        try Data("a,x,1\nb,y,0\nc,z,1\n".utf8).write(to: URL(fileURLWithPath: dir + "/interactions.csv"))
        XCTAssertEqual(try DatasetLoader.load(directory: dir, cache: c).interactionCount, 3, "a changed file is parsed again")
        XCTAssertEqual(entries(c).count, 2, "under a new key; the old entry ages out by the size limit")
        XCTAssertTrue(FileManager.default.fileExists(atPath: entry))
    }

    func testAReadOnlyDataDirectoryLoadsAndCaches() throws {
        let dir = try data(), c = try cache()
        XCTAssertEqual(chmod(dir, 0o555), 0)
        XCTAssertEqual(try DatasetLoader.load(directory: dir, cache: c).interactionCount, 2)
        XCTAssertEqual(entries(c).count, 1, "cached although the data directory is read-only")
        XCTAssertNotNil(DatasetCache.load(directory: dir, format: .native, sources: ["interactions.csv"], cache: c))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["interactions.csv"])
    }

    func testAnUnwritableCacheDirectoryMeansNoCacheNotAFailure() throws {
        let dir = try data(), c = try cache()
        try FileManager.default.createDirectory(atPath: c.path, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(c.path, 0o555), 0)
        defer { chmod(c.path, 0o755) }
        XCTAssertEqual(try DatasetLoader.load(directory: dir, cache: c).interactionCount, 2)
        XCTAssertEqual(entries(c), [])
    }

    func testNoCacheReadsAndWritesNothing() throws {
        let dir = try data(), c = try cache()
        _ = try DatasetLoader.load(directory: dir, useCache: false, cache: c)
        XCTAssertFalse(FileManager.default.fileExists(atPath: c.path), "--no-cache creates no cache directory")
        _ = try DatasetLoader.load(directory: dir, cache: c)
        let entry = c.path + "/" + entries(c)[0]
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: entry))
        XCTAssertEqual(try DatasetLoader.load(directory: dir, useCache: false, cache: c).interactionCount, 2)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: entry)), Data("garbage".utf8), "--no-cache does not rewrite either")
    }

    func testACorruptEntryIsRebuiltNotTrusted() throws {
        let dir = try data(), c = try cache()
        _ = try DatasetLoader.load(directory: dir, cache: c)
        let entry = c.path + "/" + entries(c)[0]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: entry)))
        for k in stride(from: 60, to: bytes.count, by: 7) { bytes[k] ^= 0xFF }
        try Data(bytes.prefix(bytes.count - 3)).write(to: URL(fileURLWithPath: entry))
        let d = try DatasetLoader.load(directory: dir, cache: c)
        XCTAssertEqual(d.userIDs, ["a", "b"])
        XCTAssertEqual(d.labels, [1, 0])
        XCTAssertNotNil(DatasetCache.load(directory: dir, format: .native, sources: ["interactions.csv"], cache: c), "rewritten intact")
    }

    func testTheLeastRecentlyUsedEntriesAreEvictedBeyondTheLimit() throws {
        let a = try data("a,x,1\n"), b = try data("b,y,1\n"), cdir = try data("c,z,1\n")
        let probe = try cache()
        _ = try DatasetLoader.load(directory: a, cache: probe)
        let size = UInt64(try FileManager.default.attributesOfItem(atPath: probe.path + "/" + entries(probe)[0])[.size] as! Int)
        // Room for two entries of this size, not three.
        let c = try cache(limit: size * 2 + size / 2)
        func entryOf(_ dir: String) -> String { DatasetCache.entryPath(directory: dir, format: .native, sources: ["interactions.csv"], in: c) }
        _ = try DatasetLoader.load(directory: a, cache: c)
        _ = try DatasetLoader.load(directory: b, cache: c)
        // Use a's entry (and make the ages unambiguous on coarse clocks) so b is the oldest.
        let old = timeval(tv_sec: 1_000_000, tv_usec: 0)
        XCTAssertEqual(utimes(entryOf(b), [old, old]), 0)
        XCTAssertNotNil(DatasetCache.load(directory: a, format: .native, sources: ["interactions.csv"], cache: c))
        _ = try DatasetLoader.load(directory: cdir, cache: c)
        let fm = FileManager.default
        XCTAssertTrue(fm.fileExists(atPath: entryOf(a)), "recently used: kept")
        XCTAssertFalse(fm.fileExists(atPath: entryOf(b)), "least recently used: evicted")
        XCTAssertTrue(fm.fileExists(atPath: entryOf(cdir)), "just written: kept")
        // An entry larger than the whole limit is still kept: the dataset in use always caches.
        let tiny = try cache(limit: 1)
        _ = try DatasetLoader.load(directory: a, cache: tiny)
        XCTAssertEqual(entries(tiny).count, 1)
    }
}

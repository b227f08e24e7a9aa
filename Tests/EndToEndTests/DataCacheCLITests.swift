import XCTest
import Foundation

/// The binary cache from the command line: written under `XDG_CACHE_HOME`, never in a
/// read-only data directory, not at all with `--no-cache`.
final class DataCacheCLITests: XCTestCase {
    func testTheCacheGoesToTheCacheDirectoryAndNoCacheWritesNone() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("dn-cache-cli-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data"), cache = root.appendingPathComponent("xdg")
        try fm.createDirectory(at: data, withIntermediateDirectories: true)
        defer { chmod(data.path, 0o755); try? fm.removeItem(at: root) }
        try Data("a,x,1\nb,y,1\nb,x,0\n".utf8).write(to: data.appendingPathComponent("interactions.csv"))
        XCTAssertEqual(chmod(data.path, 0o555), 0)
        let env = ["XDG_CACHE_HOME": cache.path]

        let none = try CLI.run(["data", "inspect", "--data", data.path, "--no-cache", "--json"], environment: env)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertFalse(fm.fileExists(atPath: cache.path), "--no-cache writes no cache")

        let cached = try CLI.run(["data", "inspect", "--data", data.path, "--json"], environment: env)
        XCTAssertEqual(cached.status, 0, cached.stderr)
        let entries = try fm.contentsOfDirectory(atPath: cache.appendingPathComponent("dropoutnet").path)
        XCTAssertEqual(entries.filter { $0.hasSuffix(".dataset.bin") }.count, 1, "\(entries)")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: data.path), ["interactions.csv"], "nothing beside the (read-only) data")
        let again = try CLI.run(["data", "inspect", "--data", data.path, "--json"], environment: env)
        XCTAssertEqual(again.stdout, cached.stdout, "the cached load reads the same data")
    }
}

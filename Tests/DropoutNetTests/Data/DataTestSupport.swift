import Foundation
import XCTest
@testable import DropoutNet

/// Temporary directories with small hand-written data files, removed after each test.
enum DataFixture {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
    static var sampleData: String { packageRoot.appendingPathComponent("sample-data").path }

    /// A fresh directory holding `files` (name → contents).
    static func directory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dn-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir.path
    }

    static func directory(bytes files: [String: [UInt8]]) throws -> String {
        let dir = try directory([:])
        for (name, b) in files { try Data(b).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name)) }
        return dir
    }

    static func remove(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

    /// Loads without touching any cache (tests must not depend on cache state).
    static func load(_ dir: String, format: DataFormat = .auto) throws -> Dataset {
        try DatasetLoader.load(directory: dir, format: format, useCache: false)
    }

    /// The `DataError` that loading `files` throws (fails the test when none is thrown).
    static func loadError(_ files: [String: String], format: DataFormat = .auto,
                          file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        guard let dir = try? directory(files) else { return nil }
        defer { remove(dir) }
        do {
            _ = try load(dir, format: format)
            XCTFail("expected a DataError", file: file, line: line)
        } catch let e as DataError {
            return e
        } catch {
            XCTFail("expected a DataError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

import XCTest
import Workbench

/// Fails with a row-by-row report when `buffer`'s text differs from `expected`.
func assertLines(_ buffer: ScreenBuffer, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    if let report = buffer.textDifference(from: expected) { XCTFail(report, file: file, line: line) }
}

/// The package root (two levels above this test directory).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbtest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
}

import Foundation
import XCTest
@testable import DropoutNet

/// Golden files for the `--json` shapes: a fixture under `Fixtures/` compared with what a report
/// type writes, key by key and value by value, so a renamed, dropped or retyped field fails with
/// its path. `DROPOUTNET_UPDATE_GOLDEN=1` rewrites the fixtures (review the diff before committing).
enum JSONGolden {
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    static func assertMatches<T: Encodable>(_ value: T, fixture name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try JSONOutput.text(value, pretty: true)
        let url = fixture(name)
        if ProcessInfo.processInfo.environment["DROPOUTNET_UPDATE_GOLDEN"] == "1" {
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try JSONValue.parse(String(contentsOf: url, encoding: .utf8))
        let actual = try JSONValue.parse(text)
        for problem in differences(actual, expected, path: "$") { XCTFail("\(name): \(problem)", file: file, line: line) }
    }

    /// Where `actual` departs from `expected`: missing or extra keys, other types, other values.
    static func differences(_ actual: JSONValue, _ expected: JSONValue, path: String) -> [String] {
        switch (actual, expected) {
        case let (.object(a), .object(e)):
            var out: [String] = []
            for key in Set(e.keys).subtracting(a.keys).sorted() { out.append("\(path).\(key) is missing") }
            for key in Set(a.keys).subtracting(e.keys).sorted() { out.append("\(path).\(key) is not in the fixture") }
            for key in Set(a.keys).intersection(e.keys).sorted() { out += differences(a[key]!, e[key]!, path: "\(path).\(key)") }
            return out
        case let (.array(a), .array(e)):
            guard a.count == e.count else { return ["\(path) has \(a.count) elements, the fixture \(e.count)"] }
            return zip(a, e).enumerated().flatMap { i, pair in differences(pair.0, pair.1, path: "\(path)[\(i)]") }
        default:
            return actual == expected ? [] : ["\(path) is \(actual.jsonText), the fixture says \(expected.jsonText)"]
        }
    }
}

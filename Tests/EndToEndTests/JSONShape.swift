import Foundation
import XCTest

/// Golden files for the CLI's `--json` output (`Fixtures/*.json`, written by the program before
/// its JSON writing was unified, so a passing test means scripts see the same shapes). The
/// output is compared with its fixture key by key: every key present and no other, every value
/// of the same type; counts and names exactly, numbers that come from training within a
/// tolerance, and what differs from run to run (ids, paths, times, rates) by type only.
/// `DROPOUTNET_UPDATE_GOLDEN=1` rewrites a fixture from the current output (review the diff):
/// strings compared by type only become "<varies>" (so no machine path or time lands in the
/// repository) and arrays compared element-wise keep their first element.
enum JSONShape {
    /// How a value at a path is compared.
    enum Rule {
        /// Equal.
        case exact
        /// Numbers within `tolerance` (absolute); anything else equal.
        case close(Double)
        /// Same JSON type only (and, for objects and arrays, nothing inside is compared).
        case sameType
        /// Same keys and types all the way down, values not compared; an array's elements each
        /// have the shape of the fixture's first.
        case shape
        /// An array whose every element has the shape of the fixture's first (its length varies).
        case eachLike
    }

    /// A parsed JSON value that keeps booleans and numbers apart.
    indirect enum Value: Codable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([Value].self) { self = .array(a) }
            else { self = .object(try c.decode([String: Value].self)) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .number(let d): try c.encode(d)
            case .string(let s): try c.encode(s)
            case .array(let a): try c.encode(a)
            case .object(let o): try c.encode(o)
            }
        }

        var typeName: String {
            switch self {
            case .null: return "null"
            case .bool: return "boolean"
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }
    }

    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// Compares `output` (one command's stdout) with `Fixtures/<name>`; `rule` gets paths with
    /// array indices written `[]`, e.g. `$.items[].score`.
    static func assertMatches(_ output: String, fixture name: String, file: StaticString = #filePath, line: UInt = #line,
                              rule: (String) -> Rule) throws {
        let url = fixture(name)
        let actual = try JSONDecoder().decode(Value.self, from: Data(output.utf8))
        if ProcessInfo.processInfo.environment["DROPOUTNET_UPDATE_GOLDEN"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try (String(decoding: try encoder.encode(fixtureValue(actual, path: "$", rule: rule)), as: UTF8.self) + "\n")
                .write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
        let problems = differences(actual, expected, path: "$", rule: rule)
        for problem in problems.prefix(20) { XCTFail("\(name): \(problem)", file: file, line: line) }
        if problems.count > 20 { XCTFail("\(name): … and \(problems.count - 20) more", file: file, line: line) }
    }

    /// `value` as a fixture: what the rules do not compare is not kept.
    static func fixtureValue(_ value: Value, path: String, rule: (String) -> Rule) -> Value {
        switch (rule(path), value) {
        case (.sameType, .string):
            return .string("<varies>")
        case (.sameType, _):
            return value
        case let (.eachLike, .array(a)):
            return .array(Array(a.prefix(1)))
        case let (_, .object(o)):
            return .object(Dictionary(uniqueKeysWithValues: o.map { ($0, fixtureValue($1, path: "\(path).\($0)", rule: rule)) }))
        case let (_, .array(a)):
            return .array(a.map { fixtureValue($0, path: path + "[]", rule: rule) })
        default:
            return value
        }
    }

    static func differences(_ actual: Value, _ expected: Value, path: String, rule: (String) -> Rule) -> [String] {
        let r = rule(path)
        guard actual.typeName == expected.typeName else {
            return ["\(path) is \(actual.typeName), the fixture has \(expected.typeName)"]
        }
        switch (r, actual, expected) {
        case (.sameType, _, _):
            return []
        case let (.shape, .array(a), .array(e)), let (.eachLike, .array(a), .array(e)):
            guard let template = e.first else { return a.isEmpty ? [] : ["\(path) should be empty"] }
            return a.flatMap { differences($0, template, path: path + "[]", rule: { _ in .shape }) }
        case let (_, .object(a), .object(e)):
            var out: [String] = []
            for key in Set(e.keys).subtracting(a.keys).sorted() { out.append("\(path).\(key) is missing") }
            for key in Set(a.keys).subtracting(e.keys).sorted() { out.append("\(path).\(key) is not in the fixture") }
            let inner: (String) -> Rule = { if case .shape = r { return .shape } else { return rule($0) } }
            for key in Set(a.keys).intersection(e.keys).sorted() {
                out += differences(a[key]!, e[key]!, path: "\(path).\(key)", rule: inner)
            }
            return out
        case (.shape, _, _):
            return []
        case let (_, .array(a), .array(e)):
            guard a.count == e.count else { return ["\(path) has \(a.count) elements, the fixture \(e.count)"] }
            return zip(a, e).flatMap { differences($0, $1, path: path + "[]", rule: rule) }
        case let (.close(tolerance), .number(a), .number(e)):
            return abs(a - e) <= tolerance ? [] : ["\(path) is \(a), the fixture \(e) (tolerance \(tolerance))"]
        default:
            return actual == expected ? [] : ["\(path) is \(actual), the fixture \(expected)"]
        }
    }
}

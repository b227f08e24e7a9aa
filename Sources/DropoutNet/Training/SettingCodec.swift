import Foundation

/// How the values of one setting are read and written, and what they may be: the text form of
/// `--set` and the config file, the typed JSON of the run store and `train --json`, and the
/// range or choices (`expected`) that `dropoutnet settings` lists and errors quote.
///
/// Built from a few kinds (`number`, `integer`, `flag`, `choice`, `list`), so two settings of
/// the same kind accept exactly the same texts.
public struct SettingCodec<Value>: @unchecked Sendable {
    /// What a value may be, e.g. "0…1" or "easyrec | classic".
    public var expected: String
    /// Reads the text form; throws `SettingValueError` saying what was expected.
    public var parse: (String) throws -> Value
    public var format: (Value) -> String
    public var json: (Value) -> JSONValue
    /// Reads the JSON form. Text is accepted wherever a typed value is, since a store written by
    /// an older version may hold one (a seed beyond 2^53 is stored as text).
    public var decode: (JSONValue) throws -> Value
    /// The value as a number, for a slider; nil for non-numeric kinds.
    public var number: ((Value) -> Double)?
}

/// A value that is not what a setting expects; `SettingEntry` adds the key.
public struct SettingValueError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
}

extension SettingCodec where Value == Double {
    /// A finite number in `range`. `compact` writes integral values without ".0" (γ = 10, not
    /// 10.0); otherwise Swift's shortest form.
    public static func number(_ range: ClosedRange<Double> = -.infinity ... .infinity, compact: Bool = true) -> Self {
        func check(_ v: Double, _ raw: String) throws -> Double {
            guard range.contains(v) else { throw SettingValueError("expected a value in \(range.lowerBound)...\(range.upperBound), got \(raw)") }
            return v
        }
        let parse: (String) throws -> Double = { raw in
            guard let v = Double(raw), v.isFinite else { throw SettingValueError("expected a number, got '\(raw)'") }
            return try check(v, raw)
        }
        return Self(
            expected: SettingText.range(range.lowerBound, range.upperBound),
            parse: parse,
            format: { compact ? SettingText.compact($0) : String($0) },
            json: { .number($0 == 0 ? 0 : $0) },
            decode: { json in
                if case .number(let v) = json, v.isFinite { return try check(v, json.settingText) }
                return try parse(json.settingText)
            },
            number: { $0 })
    }
}

extension SettingCodec where Value: FixedWidthInteger {
    /// An integer in `range` (given as `Int`, the type texts are read as).
    public static func integer(_ range: ClosedRange<Int> = Int.min ... Int.max) -> Self {
        func check(_ v: Int, _ raw: String) throws -> Value {
            guard range.contains(v), let value = Value(exactly: v) else {
                throw SettingValueError("expected an integer in \(range.lowerBound)...\(range.upperBound), got \(raw)")
            }
            return value
        }
        let parse: (String) throws -> Value = { raw in
            guard let v = Int(raw) else { throw SettingValueError("expected an integer, got '\(raw)'") }
            return try check(v, raw)
        }
        return Self(
            expected: SettingText.range(range.lowerBound == Int.min ? -.infinity : Double(range.lowerBound),
                                        range.upperBound == Int.max ? .infinity : Double(range.upperBound)),
            parse: parse,
            format: { String($0) },
            // Beyond 2^53 a JSON number (a Double) loses integer digits, so such values are text.
            json: { v in v.magnitude < 1 << 53 ? .number(Double(v)) : .string(String(v)) },
            decode: { json in
                if case .number(let d) = json, let v = Int(exactly: d), v.magnitude < 1 << 53 { return try check(v, json.settingText) }
                return try parse(json.settingText)
            },
            number: { Double($0) })
    }
}

extension SettingCodec where Value == Bool {
    /// true / false; also 1/0, yes/no, on/off in any case.
    public static var flag: Self {
        let parse: (String) throws -> Bool = { raw in
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw SettingValueError("expected true or false, got '\(raw)'")
            }
        }
        return Self(expected: "true | false", parse: parse, format: { String($0) }, json: { .bool($0) },
                    decode: { json in
                        if case .bool(let b) = json { return b }
                        return try parse(json.settingText)
                    },
                    number: nil)
    }
}

extension SettingCodec where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the enum's raw values, in any case.
    public static var choice: Self {
        let parse: (String) throws -> Value = { raw in
            let text = raw.lowercased()
            guard let v = Value(rawValue: text) else {
                throw SettingValueError("expected one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            }
            return v
        }
        return Self(expected: Value.allCases.map(\.rawValue).joined(separator: " | "), parse: parse,
                    format: { $0.rawValue }, json: { .string($0.rawValue) },
                    decode: { json in try parse(json.settingText) }, number: nil)
    }
}

extension SettingCodec {
    /// A list of `element`s: comma-separated text, brackets and quotes optional ("[256, 128]",
    /// "256,128", "'a','b'"); written "[256,128]"; a JSON array.
    /// - Parameter empty: the message refusing an empty list; nil allows one.
    public static func list<Element>(of element: SettingCodec<Element>, empty: String?, expected: String) -> Self
    where Value == [Element] {
        func checked(_ values: [Element]) throws -> [Element] {
            if values.isEmpty, let empty { throw SettingValueError(empty) }
            return values
        }
        let parse: (String) throws -> [Element] = { raw in try checked(SettingText.listItems(raw).map(element.parse)) }
        return Self(
            expected: expected, parse: parse,
            format: { "[" + $0.map(element.format).joined(separator: ",") + "]" },
            json: { .array($0.map(element.json)) },
            decode: { json in
                if case .array(let items) = json { return try checked(items.map(element.decode)) }
                return try parse(json.settingText)
            },
            number: nil)
    }

    /// The same values under another message for a bad one (list elements say "positive
    /// integers" where a single setting says "an integer").
    public func refusing(with message: @escaping (String) -> String) -> Self {
        var c = self
        let parse = self.parse, decode = self.decode
        c.parse = { raw in
            do { return try parse(raw) } catch is SettingValueError { throw SettingValueError(message(raw)) }
        }
        c.decode = { json in
            do { return try decode(json) } catch is SettingValueError { throw SettingValueError(message(json.settingText)) }
        }
        return c
    }
}

extension SettingCodec where Value == [Int] {
    /// Layer widths and cut-offs: positive integers.
    public static func widths(empty: String?) -> Self {
        .list(of: SettingCodec<Int>.integer(1 ... Int.max).refusing { "expected positive integers, got '\($0)'" },
              empty: empty, expected: "list of integers ≥ 1")
    }
}

extension SettingCodec where Value == [Settings.PreferenceKind] {
    /// `preference`: one kind for both sides, or the user's and the item's; written "user,item".
    static var bothSides: Self {
        let kind = SettingCodec<Settings.PreferenceKind>.choice
        let parse: (String) throws -> [Settings.PreferenceKind] = { raw in
            let parts = SettingText.listItems(raw)
            guard parts.count == 1 || parts.count == 2 else { throw SettingValueError("expected KIND or USER_KIND,ITEM_KIND") }
            return try parts.map(kind.parse)
        }
        return Self(expected: "KIND or USER_KIND,ITEM_KIND (" + kind.expected + ")", parse: parse,
                    format: { $0.map(\.rawValue).joined(separator: ",") }, json: { .array($0.map(kind.json)) },
                    decode: { json in try parse(json.settingText) }, number: nil)
    }
}

/// Text helpers shared by the codecs.
enum SettingText {
    /// Integral values without ".0" (below 1e15), others in Swift's shortest form.
    static func compact(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// The items of a list text: brackets and spaces around it, and quotes around items, dropped.
    static func listItems(_ raw: String) -> [String] {
        raw.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")) }.filter { !$0.isEmpty }
    }

    /// "0…1", "≥ 0", "any" for help.
    static func range(_ lo: Double, _ hi: Double) -> String {
        switch (lo.isFinite, hi.isFinite) {
        case (true, true): return "\(compact(lo))…\(compact(hi))"
        case (true, false): return "≥ \(compact(lo))"
        case (false, true): return "≤ \(compact(hi))"
        case (false, false): return "any"
        }
    }
}

/// The TOML mistakes the parser cannot be trusted with, found before it sees the text.
///
/// toml++ 3.4 (inside TOMLKit) checks some syntax with assertions instead of errors, so a bad
/// file aborts the whole process (found by fuzzing the settings file): a table header whose
/// `[` is followed by something that cannot start a key (a newline, `=`, `#`, `,` …), and a
/// `}` where an array expects a value (`[}`, `[1, }`). Every TOML text the program reads —
/// settings, `dataset.toml`, themes — passes `check` first, which reports those as syntax
/// errors with line and column; anything else is left to the parser.
///
/// The scan knows just enough TOML: strings (basic, literal, multi-line) and comments are
/// skipped, arrays and inline tables are tracked, and `[` opens a header only at the start of
/// a line outside them.
public enum TOMLPreflight {
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(line):\(column): \(message)" }
    }

    public static func check(_ text: String) throws {
        let b = Array(text.utf8)
        // The parser skips a UTF-8 byte order mark: the first line starts after it.
        let bom = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = bom, line = 1, lineStart = bom
        /// Open arrays (`[`) and inline tables (`{`) of values.
        var open: [UInt8] = []
        /// Right after an array's `[` or a `,` in it, where the parser expects a value.
        var expectsValue = false
        var atLineStart = true
        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        func skipString(quote q: UInt8) {
            let multi = at(i + 1) == q && at(i + 2) == q
            i += multi ? 3 : 1
            while i < b.count {
                if b[i] == 0x5C && q == 0x22 { i += 2; continue }               // \x in a basic string
                if b[i] == 0x0A {
                    if !multi { return }                                       // unterminated: the parser says so
                    line += 1; lineStart = i + 1
                }
                if b[i] == q && (!multi || (at(i + 1) == q && at(i + 2) == q)) {
                    i += multi ? 3 : 1
                    // A closing """ may be followed by up to two more quotes that belong to the string.
                    while multi && at(i) == q { i += 1 }
                    return
                }
                i += 1
            }
        }
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A:
                line += 1; lineStart = i + 1; atLineStart = true; i += 1
            case 0x20, 0x09, 0x0D:
                i += 1
            case 0x23:                                                         // # comment
                while i < b.count && b[i] != 0x0A { i += 1 }
            case 0x22, 0x27:
                atLineStart = false; expectsValue = false
                skipString(quote: c)
            case 0x5B where atLineStart && open.isEmpty:                       // [table] or [[array]]
                var k = i + 1
                func skipBlanks() { while at(k) == 0x20 || at(k) == 0x09 { k += 1 } }
                skipBlanks()
                // `[[` goes on to the name; `[ [` is an error the parser reports itself.
                let secondBracket = at(k) == 0x5B && k == i + 1
                if secondBracket { k += 1; skipBlanks() }
                let reported = at(k) == 0x5B && !secondBracket
                if k < b.count && !reported && !startsKey(b[k]) && b[k] != 0x5D {
                    throw Problem(line: line, column: k - lineStart + 1,
                                  message: "expected a table name after '[', found \(shown(b[k]))")
                }
                // The rest of the header line holds nothing that opens an array or a string
                // spanning lines (a quoted key is one line), so skip to its end.
                while i < b.count && b[i] != 0x0A { i += 1 }
            case 0x5B, 0x7B:
                atLineStart = false; open.append(c); expectsValue = c == 0x5B; i += 1
            case 0x7D where expectsValue && open.last == 0x5B:                 // `[}`, `[1, }`
                throw Problem(line: line, column: i - lineStart + 1, message: "expected a value or ']' in the array, found '}'")
            case 0x5D, 0x7D:
                atLineStart = false; _ = open.popLast(); expectsValue = false; i += 1
            case 0x2C:
                atLineStart = false; expectsValue = open.last == 0x5B; i += 1
            default:
                atLineStart = false; expectsValue = false; i += 1
            }
        }
    }

    /// What toml++ accepts as a key's first character: an ASCII bare-key character (its
    /// Unicode bare keys are an unreleased feature, off) or a quote.
    private static func startsKey(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            || c == 0x5F || c == 0x2D || c == 0x22 || c == 0x27
    }

    private static func shown(_ c: UInt8) -> String {
        switch c {
        case 0x0A, 0x0D: return "the end of the line"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(c)))'"
        default: return "a character that cannot start a key"
        }
    }
}

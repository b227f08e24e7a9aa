/// A problem with input data, located precisely enough to fix it by hand.
///
/// `description` reads like a compiler diagnostic, `interactions.csv:17:3: expected a label 0 or 1,
/// got 'x'`, so a user can jump straight to the offending field. The CLI maps this error to exit
/// code 2 (bad input), never to a crash.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// File name as the user knows it (relative to the data directory when possible).
    public var file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column (field number), or nil.
    public var column: Int?
    /// What was expected, and what was found.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }

    /// A short, printable rendering of raw bytes found in a file (quoted, escaped, truncated).
    static func show(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
        var out = ""
        for b in bytes.prefix(limit) {
            if b >= 0x20 && b < 0x7F { out.unicodeScalars.append(UnicodeScalar(b)) } else { out += String(format2x: b) }
        }
        if bytes.count > limit { out += "…" }
        return out
    }
}

extension String {
    /// `\xNN` for a byte that is not printable ASCII.
    init(format2x b: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }
}

/// A theme file that could not be used, with where the problem is.
public struct ThemeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as given (path).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    public var column: Int?
    /// The key at fault (dotted, e.g. `series.warm`), when known.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        if let key { place += ": key '\(key)'" }
        return "\(place): \(message)"
    }
}

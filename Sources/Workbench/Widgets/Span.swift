/// A piece of text drawn in one theme role (plus optional extra attributes).
public struct Span: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var role: ThemeRole
    public var attributes: Attributes

    public init(_ text: String, role: ThemeRole = .text, attributes: Attributes = []) {
        self.text = text
        self.role = role
        self.attributes = attributes
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var width: Int { DisplayWidth.of(text) }
}

extension ScreenBuffer {
    /// Writes spans one after another from (x, y), clipped at `maxWidth`; returns columns used.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, theme: Theme, maxWidth: Int) -> Int {
        var col = x
        let limit = x + max(0, maxWidth)
        for s in spans where col < limit {
            col += write(s.text, x: col, y: y, style: theme.style(s.role).adding(s.attributes), maxWidth: limit - col)
        }
        return col - x
    }
}

/// How text is drawn: colours and attributes. A nil colour keeps what the cell already has,
/// so text can be written over a highlighted row without knowing its background.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var attributes: Attributes

    public init(foreground: Color? = nil, background: Color? = nil, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func adding(_ extra: Attributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    public func withBackground(_ color: Color?) -> Style {
        var s = self
        s.background = color
        return s
    }
}

/// One terminal cell: a character and how it is drawn.
///
/// The character is a single Unicode scalar (braille, box drawing, Latin, CJK); combining marks
/// are dropped when text is written. A double-width character occupies its cell and the next,
/// which holds `Cell.continuationScalar` and is never written to the terminal on its own.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(_ scalar: Unicode.Scalar = " ", foreground: Color = .default, background: Color = .default,
                attributes: Attributes = []) {
        self.scalar = scalar
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Marks the right half of a double-width character.
    public static let continuationScalar: Unicode.Scalar = "\u{0}"
    public static let blank = Cell()

    public var isContinuation: Bool { scalar == Cell.continuationScalar }

    /// The cell's character as a string (the continuation half reads as empty).
    public var symbol: String { isContinuation ? "" : String(Character(scalar)) }

    /// Applies `style` (nil colours keep the current ones; attributes are replaced).
    @inline(__always)
    public mutating func apply(_ style: Style) {
        if let f = style.foreground { foreground = f }
        if let b = style.background { background = b }
        attributes = style.attributes
    }

    /// True when both cells are drawn with the same colours and attributes.
    @inline(__always)
    public func hasSameStyle(as other: Cell) -> Bool {
        foreground == other.foreground && background == other.background && attributes == other.attributes
    }
}

/// One terminal cell: a character and how it is drawn.
///
/// The character is a single Unicode scalar (braille, box drawing, Latin, CJK); combining marks
/// are dropped when text is written. A double-width character occupies its cell and the next,
/// which holds `Cell.continuationScalar` and is never written to the terminal on its own.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var attributes: Attributes
    // Colours are stored packed (see `Color.packed`) so comparing two cells, which the diff
    // does for every cell of every frame, is four integer compares.
    private var packedForeground: UInt32
    private var packedBackground: UInt32

    public var foreground: Color {
        get { Color(packed: packedForeground) }
        set { packedForeground = newValue.packed }
    }
    public var background: Color {
        get { Color(packed: packedBackground) }
        set { packedBackground = newValue.packed }
    }

    public init(_ scalar: Unicode.Scalar = " ", foreground: Color = .default, background: Color = .default,
                attributes: Attributes = []) {
        self.scalar = scalar
        self.attributes = attributes
        packedForeground = foreground.packed
        packedBackground = background.packed
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
        if let f = style.foreground { packedForeground = f.packed }
        if let b = style.background { packedBackground = b.packed }
        attributes = style.attributes
    }

    /// True when both cells are drawn with the same colours and attributes.
    @inline(__always)
    public func hasSameStyle(as other: Cell) -> Bool {
        packedForeground == other.packedForeground && packedBackground == other.packedBackground
            && attributes == other.attributes
    }
}

extension Color {
    /// One integer per colour: 0 = default, 0x1_0000ii = palette index, 0x2_rrggbb = RGB.
    @inline(__always)
    var packed: UInt32 {
        switch self {
        case .default: return 0
        case let .indexed(i): return 0x0100_0000 | UInt32(i)
        case let .rgb(r, g, b): return 0x0200_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    @inline(__always)
    init(packed: UInt32) {
        switch packed >> 24 {
        case 1: self = .indexed(UInt8(packed & 0xFF))
        case 2: self = .rgb(UInt8((packed >> 16) & 0xFF), UInt8((packed >> 8) & 0xFF), UInt8(packed & 0xFF))
        default: self = .default
        }
    }
}

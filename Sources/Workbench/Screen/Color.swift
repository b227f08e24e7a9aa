/// A colour as a theme or widget names it; the terminal backend maps it to what the terminal
/// can show (see `ColorDepth` and `Color.terminalNumber(for:)`).
///
/// `.default` is the terminal's own foreground or background (ncurses' −1), which keeps a
/// transparent terminal transparent.
public enum Color: Hashable, Sendable {
    case `default`
    /// One of the xterm-256 palette entries (0–15 are the terminal's system colours).
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// How many colours the terminal can show, from best to worst.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    case none = 0
    case eight = 8
    case sixteen = 16
    case palette256 = 256
    /// 24-bit colour numbers (ncurses "direct colour", terminfo `RGB`).
    case trueColor = 16_777_216

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth for a terminal reporting `colors` colours (ncurses' `COLORS`).
    public init(colors: Int) {
        switch colors {
        case 16_777_216...: self = .trueColor
        case 256...: self = .palette256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .none
        }
    }
}

extension Color {
    /// The colour number to hand to the terminal at `depth`: −1 for the terminal default (and
    /// for everything when the depth is `.none`), a palette index, or `0xRRGGBB` in true colour.
    public func terminalNumber(for depth: ColorDepth) -> Int32 {
        switch (self, depth) {
        case (.default, _), (_, .none): return -1
        case let (.rgb(r, g, b), .trueColor): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case let (.indexed(i), .trueColor), let (.indexed(i), .palette256): return Int32(i)
        case let (.rgb(r, g, b), .palette256): return Int32(XtermPalette.nearest256(r, g, b))
        case let (.indexed(i), .sixteen):
            if i < 16 { return Int32(i) }
            let c = XtermPalette.rgb(of: i)
            return Int32(XtermPalette.nearest(c.0, c.1, c.2, among: 16))
        case let (.indexed(i), .eight):
            if i < 8 { return Int32(i) }
            if i < 16 { return Int32(i - 8) }
            let c = XtermPalette.rgb(of: i)
            return Int32(XtermPalette.nearest(c.0, c.1, c.2, among: 8))
        case let (.rgb(r, g, b), .sixteen): return Int32(XtermPalette.nearest(r, g, b, among: 16))
        case let (.rgb(r, g, b), .eight): return Int32(XtermPalette.nearest(r, g, b, among: 8))
        }
    }

    /// The colour as RGB (palette entries through the standard xterm values); nil for `.default`.
    public var rgbComponents: (UInt8, UInt8, UInt8)? {
        switch self {
        case .default: return nil
        case let .indexed(i): return XtermPalette.rgb(of: i)
        case let .rgb(r, g, b): return (r, g, b)
        }
    }
}

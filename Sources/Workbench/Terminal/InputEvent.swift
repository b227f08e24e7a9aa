/// A key the workbench reacts to.
public enum Key: Hashable, Sendable {
    /// A printable character (`q`, `?`, `[`, digits, …).
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("c")` (only seen when the terminal is in raw mode).
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right
    case pageUp, pageDown, home, end
    case function(Int)
}

/// What a mouse did at a cell.
public enum MouseAction: Hashable, Sendable {
    case press, release, click, scrollUp, scrollDown
}

/// One input from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    /// A mouse event at a 0-based cell.
    case mouse(MouseAction, x: Int, y: Int)
    /// The terminal now has this size; the next frame must be laid out for it.
    case resize(Size)
}

extension Key: CustomStringConvertible {
    /// The name used in help and hints: `q`, `Enter`, `Ctrl-C`, `PgUp`, `F1`.
    public var description: String {
        switch self {
        case let .character(c): return c == " " ? "Space" : String(c)
        case let .control(c): return "Ctrl-\(c.uppercased())"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case let .function(n): return "F\(n)"
        }
    }
}

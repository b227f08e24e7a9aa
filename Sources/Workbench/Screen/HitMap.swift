/// Where the last frame drew the things a mouse can use (btop's "mouse mappings"): widgets
/// register their rectangles while rendering, and a click or a wheel turn is looked up here
/// afterwards. The lookup is pure, so tests render into a buffer and ask what a cell does.
///
/// Regions registered later lie on top (an overlay registered last wins). The topmost region
/// under the pointer that handles the action answers; its nil answer means "nothing happens"
/// (a click on a list's empty space does not fall through to what lies beneath).
public final class HitMap<Command> {
    public struct Region {
        public var rect: Rect
        public var click: ((_ x: Int, _ y: Int) -> Command?)?
        /// Wheel turns: −1 up, +1 down.
        public var scroll: ((_ delta: Int) -> Command?)?
    }

    public private(set) var regions: [Region] = []

    public init() {}

    /// Forgets every region (at the start of a frame).
    public func removeAll() { regions.removeAll(keepingCapacity: true) }

    /// Registers a clickable rectangle; `click` gets the absolute cell clicked.
    public func onClick(_ rect: Rect, _ click: @escaping (_ x: Int, _ y: Int) -> Command?) {
        guard !rect.isEmpty else { return }
        regions.append(Region(rect: rect, click: click, scroll: nil))
    }

    /// Registers a rectangle that reacts to the wheel.
    public func onScroll(_ rect: Rect, _ scroll: @escaping (_ delta: Int) -> Command?) {
        guard !rect.isEmpty else { return }
        regions.append(Region(rect: rect, click: nil, scroll: scroll))
    }

    /// Registers a rectangle that takes every click and wheel turn (an overlay: nothing beneath
    /// it reacts while it is shown).
    public func cover(_ rect: Rect, click: @escaping () -> Command?, scroll: @escaping (_ delta: Int) -> Command?) {
        guard !rect.isEmpty else { return }
        regions.append(Region(rect: rect, click: { _, _ in click() }, scroll: scroll))
    }

    /// What `action` at cell (`x`, `y`) does, if anything. Releases do nothing: a press acts at
    /// once (ncurses with `mouseinterval(0)` reports presses and releases, not clicks).
    public func command(for action: MouseAction, x: Int, y: Int) -> Command? {
        for region in regions.reversed() where region.rect.contains(x: x, y: y) {
            switch action {
            case .press, .click:
                if let click = region.click { return click(x, y) }
            case .scrollUp:
                if let scroll = region.scroll { return scroll(-1) }
            case .scrollDown:
                if let scroll = region.scroll { return scroll(1) }
            case .release:
                return nil
            }
        }
        return nil
    }
}

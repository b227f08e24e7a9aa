/// A bordered panel with a title; the border takes the `focus` colour when the panel has focus
/// (the focus cue lazygit uses), so the focused pane is visible in every theme.
public struct Block: Widget, Sendable {
    public var title: String?
    public var focused: Bool
    /// Text at the right end of the top border (e.g. a hotkey or a page number).
    public var trailing: String?

    public init(title: String? = nil, focused: Bool = false, trailing: String? = nil) {
        self.title = title
        self.focused = focused
        self.trailing = trailing
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let border = theme.style(focused ? .focus : .border)
        let (x0, y0, x1, y1) = (area.x, area.y, area.maxX - 1, area.maxY - 1)
        for x in (x0 + 1)..<x1 {
            buffer.set(x: x, y: y0, "─", style: border)
            buffer.set(x: x, y: y1, "─", style: border)
        }
        for y in (y0 + 1)..<y1 {
            buffer.set(x: x0, y: y, "│", style: border)
            buffer.set(x: x1, y: y, "│", style: border)
        }
        buffer.set(x: x0, y: y0, "┌", style: border)
        buffer.set(x: x1, y: y0, "┐", style: border)
        buffer.set(x: x0, y: y1, "└", style: border)
        buffer.set(x: x1, y: y1, "┘", style: border)
        var used = 0
        if let title, area.width > 4 {
            used = buffer.write(" \(title) ", x: x0 + 1, y: y0, style: theme.style(focused ? .focus : .title),
                                maxWidth: area.width - 2)
        }
        if let trailing, area.width - 4 - used > DisplayWidth.of(trailing) {
            let w = DisplayWidth.of(trailing) + 2
            buffer.write(" \(trailing) ", x: x1 - w, y: y0, style: theme.style(.dim), maxWidth: w)
        }
    }
}

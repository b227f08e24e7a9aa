/// The bottom line: a message at the left, key hints for the focused pane, text at the right,
/// all on the `status` background. Hints are dropped from the end when the line is too narrow.
public struct StatusLine: Widget, Sendable {
    public var message: Span
    public var hints: [(key: String, action: String)]
    public var trailing: String

    public init(message: Span = "", hints: [(key: String, action: String)] = [], trailing: String = "") {
        self.message = message
        self.hints = hints
        self.trailing = trailing
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        let base = theme.style(.status)
        buffer.fill(row, style: base)
        let bg = base.background
        var x = row.x + 1
        let rightWidth = DisplayWidth.of(trailing)
        let limit = row.maxX - (rightWidth > 0 ? rightWidth + 2 : 0)
        if !message.text.isEmpty {
            x += buffer.write(message.text, x: x, y: row.y, style: theme.style(message.role).withBackground(bg), maxWidth: limit - x) + 2
        }
        for hint in hints {
            let w = DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.action)
            guard x + w <= limit else { break }
            x += buffer.write(hint.key, x: x, y: row.y, style: theme.style(.key).withBackground(bg), maxWidth: limit - x) + 1
            x += buffer.write(hint.action, x: x, y: row.y, style: base, maxWidth: limit - x) + 2
        }
        if rightWidth > 0 {
            buffer.write(trailing, in: Rect(x: row.x, y: row.y, width: row.width - 1, height: 1), alignment: .right, style: base)
        }
    }
}

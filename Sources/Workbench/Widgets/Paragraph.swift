/// Lines of text, each made of spans, optionally word-wrapped to the area.
public struct Paragraph: Widget, Sendable {
    public var lines: [[Span]]
    public var wrap: Bool
    public var alignment: TextAlignment

    public init(lines: [[Span]], wrap: Bool = false, alignment: TextAlignment = .left) {
        self.lines = lines
        self.wrap = wrap
        self.alignment = alignment
    }

    /// Plain text in one role; `\n` separates lines.
    public init(_ text: String, role: ThemeRole = .text, wrap: Bool = true, alignment: TextAlignment = .left) {
        self.init(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(String($0), role: role)] },
                  wrap: wrap, alignment: alignment)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        var y = area.y
        for (n, line) in lines.enumerated() {
            let rows = wrap ? Paragraph.wrap(line, width: area.width) : [line]
            for (r, row) in rows.enumerated() {
                guard y < area.maxY else { return }
                let w = row.reduce(0) { $0 + $1.width }
                let x: Int
                switch alignment {
                case .left: x = area.x
                case .center: x = area.x + max(0, (area.width - w) / 2)
                case .right: x = area.x + max(0, area.width - w)
                }
                // Text cut by the area's height ends in "…" on its last row, so a cut sentence
                // does not read as a whole one.
                let cut = y == area.maxY - 1 && (r < rows.count - 1 || n < lines.count - 1)
                let written = buffer.write(row, x: x, y: y, theme: theme, maxWidth: area.maxX - x - (cut ? 1 : 0))
                if cut {
                    let style = row.last.map { theme.style($0.role) } ?? theme.style(.text)
                    _ = buffer.write("…", x: min(x + written, area.maxX - 1), y: y, style: style, maxWidth: 1)
                }
                y += 1
            }
        }
    }

    /// Rows the paragraph takes at `width` (wrapped or not).
    public func lineCount(width: Int) -> Int {
        wrap ? lines.reduce(0) { $0 + Paragraph.wrap($1, width: width).count } : lines.count
    }

    /// Splits spans into rows of at most `width` columns, breaking at spaces when it can.
    static func wrap(_ line: [Span], width: Int) -> [[Span]] {
        guard width > 0 else { return [] }
        var rows: [[Span]] = [[]]
        var col = 0
        for span in line {
            var words = span.text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            var first = true
            while !words.isEmpty {
                var word = words.removeFirst()
                let sep = first ? "" : " "
                first = false
                var w = DisplayWidth.of(sep + word)
                if col + w > width && col > 0 {
                    rows.append([])
                    col = 0
                    w = DisplayWidth.of(word)
                } else {
                    word = sep + word
                }
                while w > width {
                    // A word longer than the row: hard-break it.
                    var head = "", used = 0
                    var rest = Substring(word)
                    while let c = rest.first, used + DisplayWidth.of(String(c)) <= width - col {
                        head.append(c)
                        used += DisplayWidth.of(String(c))
                        rest = rest.dropFirst()
                    }
                    rows[rows.count - 1].append(Span(head, role: span.role, attributes: span.attributes))
                    rows.append([])
                    col = 0
                    word = String(rest)
                    w = DisplayWidth.of(word)
                }
                rows[rows.count - 1].append(Span(word, role: span.role, attributes: span.attributes))
                col += w
            }
        }
        return rows
    }
}

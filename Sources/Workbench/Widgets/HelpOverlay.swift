/// One key binding as the help lists it. The app's key map should produce these from the same
/// table that dispatches keys, so help cannot drift from behaviour.
public struct KeyBinding: Sendable, Equatable {
    public var keys: String
    public var description: String
    /// A heading this binding is listed under ("Global", "Train", …).
    public var section: String

    public init(_ keys: String, _ description: String, section: String = "") {
        self.keys = keys
        self.description = description
        self.section = section
    }
}

/// A centred box listing key bindings in two columns (keys | description), grouped by section,
/// paged when it does not fit ("page 1/2").
public struct HelpOverlay: Widget, Sendable {
    public var title: String
    public var bindings: [KeyBinding]
    public var page: Int

    public init(title: String = "Keys", bindings: [KeyBinding], page: Int = 0) {
        self.title = title
        self.bindings = bindings
        self.page = page
    }

    /// The lines of the help: section headings and bindings, each description wrapped at word
    /// boundaries to `width` columns (continuation lines have no keys), so no line is clipped.
    enum Line: Equatable { case heading(String), binding(keys: String, text: String) }

    func lines(descriptionWidth width: Int) -> [Line] {
        var out: [Line] = []
        var section: String?
        for b in bindings {
            if b.section != section {
                if !b.section.isEmpty { out.append(.heading(b.section)) }
                section = b.section
            }
            for (i, part) in HelpOverlay.wrap(b.description, width: width).enumerated() {
                out.append(.binding(keys: i == 0 ? b.keys : "", text: part))
            }
        }
        return out
    }

    /// Words packed into lines of at most `width` columns (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var out: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if line.isEmpty { line = word } else if DisplayWidth.of(line) + 1 + DisplayWidth.of(word) <= width { line += " " + word } else {
                out.append(line); line = word
            }
        }
        if !line.isEmpty || out.isEmpty { out.append(line) }
        return out
    }

    /// Up to 80 wide (the whole width on a narrow screen).
    func boxWidth(in area: Rect) -> Int { min(80, area.width - 2) }

    /// Columns of the keys, and of the descriptions beside them, in a box of `boxWidth`.
    func columns(boxWidth: Int) -> (keys: Int, text: Int) {
        let inner = boxWidth - 2
        let keys = min(inner / 3, (bindings.map { DisplayWidth.of($0.keys) }.max() ?? 0) + 2)
        return (keys, max(1, inner - 1 - keys))
    }

    func lines(in area: Rect) -> [Line] { lines(descriptionWidth: columns(boxWidth: boxWidth(in: area)).text) }

    /// The box for `area`: as tall as the content (plus border and footer).
    public func boxRect(in area: Rect) -> Rect {
        area.centered(width: boxWidth(in: area), height: min(lines(in: area).count + 3, area.height - 2))
    }

    /// Number of pages for `area`.
    public func pageCount(in area: Rect) -> Int {
        let perPage = max(1, boxRect(in: area).height - 3)
        return max(1, (lines(in: area).count + perPage - 1) / perPage)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let box = boxRect(in: area)
        guard box.width >= 10, box.height >= 4 else { return }
        buffer.fill(box, style: theme.baseStyle)
        let pages = pageCount(in: area)
        let current = min(max(0, page), pages - 1)
        Block(title: title, focused: true, trailing: pages > 1 ? "page \(current + 1)/\(pages)" : nil)
            .render(into: &buffer, area: box, theme: theme)
        let inner = Block.inner(box)
        let perPage = max(1, inner.height - 1)
        let keyWidth = columns(boxWidth: box.width).keys
        let shown = lines(in: area).dropFirst(current * perPage).prefix(perPage)
        for (r, line) in shown.enumerated() {
            let y = inner.y + r
            switch line {
            case let .heading(h):
                buffer.write(h, x: inner.x + 1, y: y, style: theme.style(.header), maxWidth: inner.width - 1)
            case let .binding(keys, text):
                buffer.write(keys, x: inner.x + 1, y: y, style: theme.style(.key), maxWidth: keyWidth)
                buffer.write(text, x: inner.x + 1 + keyWidth, y: y, style: theme.style(.text),
                             maxWidth: inner.width - 1 - keyWidth)
            }
        }
        let footer = pages > 1 ? "PgUp/PgDn page · Esc or ? close" : "Esc or ? close"
        buffer.write(footer, in: inner.row(inner.height - 1), alignment: .center, style: theme.style(.dim))
    }
}

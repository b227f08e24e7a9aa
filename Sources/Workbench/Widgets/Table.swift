import Foundation

/// A table column: title, alignment, and an optional fixed width (otherwise as wide as its
/// widest cell; the last auto column absorbs any shortage of space).
public struct TableColumn: Sendable {
    public var title: String
    public var alignment: TextAlignment
    public var width: Int?

    public init(_ title: String, alignment: TextAlignment = .right, width: Int? = nil) {
        self.title = title
        self.alignment = alignment
        self.width = width
    }
}

/// A table cell: text in a role.
public struct TableCell: Sendable, Equatable, ExpressibleByStringLiteral {
    public var text: String
    public var role: ThemeRole

    public init(_ text: String, role: ThemeRole = .text) {
        self.text = text
        self.role = role
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A number with a printf format, e.g. `"%.4f"`; non-finite values read "–".
    public static func number(_ value: Double?, format: String = "%.4f", role: ThemeRole = .text) -> TableCell {
        guard let v = value, v.isFinite else { return TableCell("–", role: .dim) }
        return TableCell(String(format: format, v), role: role)
    }

    /// A signed change, green when it is an improvement and red when it is worse (by theme role
    /// `good`/`bad`); zero and unknown are dim. The sign and ▲/▼ keep it readable without colour.
    public static func delta(_ change: Double?, format: String = "%.4f", higherIsBetter: Bool = true) -> TableCell {
        guard let d = change, d.isFinite else { return TableCell("–", role: .dim) }
        let text = String(format: "%+\(format.dropFirst())", d)
        if (Double(String(format: format, abs(d))) ?? 0) == 0 { return TableCell(String(format: format, 0.0), role: .dim) }
        let better = (d > 0) == higherIsBetter
        return TableCell((d > 0 ? "▲" : "▼") + text, role: better ? .good : .bad)
    }
}

/// Rows of cells under a header, columns aligned (numbers right-aligned so digits line up),
/// an optional selected row highlighted with the `selection` role.
public struct Table: Widget, Sendable {
    public var columns: [TableColumn]
    public var rows: [[TableCell]]
    public var selectedRow: Int?
    public var showHeader: Bool
    public var columnSpacing: Int
    /// First row shown (for scrolling).
    public var offset: Int

    public init(columns: [TableColumn], rows: [[TableCell]], selectedRow: Int? = nil, showHeader: Bool = true,
                columnSpacing: Int = 2, offset: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.selectedRow = selectedRow
        self.showHeader = showHeader
        self.columnSpacing = columnSpacing
        self.offset = offset
    }

    /// Column widths for `available` columns of space.
    public func columnWidths(available: Int) -> [Int] {
        var widths = columns.enumerated().map { i, c -> Int in
            if let w = c.width { return w }
            var w = showHeader ? DisplayWidth.of(c.title) : 0
            for r in rows where i < r.count { w = max(w, DisplayWidth.of(r[i].text)) }
            return w
        }
        var excess = widths.reduce(0, +) + columnSpacing * max(0, columns.count - 1) - available
        var i = columns.count - 1
        while excess > 0 && i >= 0 {
            let cut = min(excess, widths[i])
            widths[i] -= cut
            excess -= cut
            i -= 1
        }
        return widths
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty, !columns.isEmpty else { return }
        buffer.fill(area, style: theme.style(.text))
        let widths = columnWidths(available: area.width)
        var y = area.y
        func drawRow(_ cells: [TableCell], titles: Bool, style override: Style?) {
            var x = area.x
            for (i, c) in columns.enumerated() {
                let w = widths[i]
                defer { x += w + columnSpacing }
                guard w > 0 else { continue }
                let cell = titles ? TableCell(c.title, role: .header) : (i < cells.count ? cells[i] : TableCell(""))
                var style = theme.style(cell.role)
                if let o = override { style.background = o.background; style.attributes.formUnion(o.attributes) }
                var text = cell.text
                if DisplayWidth.of(text) > w { text = Table.truncate(text, to: w) }
                buffer.write(text, in: Rect(x: x, y: y, width: w, height: 1), alignment: c.alignment, style: style)
            }
        }
        if showHeader {
            drawRow([], titles: true, style: nil)
            y += 1
        }
        var index = offset
        while y < area.maxY && index < rows.count {
            var override: Style?
            if index == selectedRow {
                override = theme.style(.selection)
                buffer.fill(area.row(y - area.y), style: override!)
            }
            drawRow(rows[index], titles: false, style: override)
            y += 1
            index += 1
        }
    }

    /// `text` cut to `width` columns with a trailing "…".
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        var out = "", used = 0
        for ch in text {
            let w = DisplayWidth.of(String(ch))
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }
}

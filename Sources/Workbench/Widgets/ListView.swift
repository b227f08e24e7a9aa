import Foundation

/// One row of a list.
public struct ListItem: Sendable, Equatable, ExpressibleByStringLiteral {
    public var text: String
    public var role: ThemeRole
    public init(_ text: String, role: ThemeRole = .text) {
        self.text = text
        self.role = role
    }
    public init(stringLiteral value: String) { self.init(value) }
}

/// The state of a list: selection, scroll offset and filter. Positions are within the
/// *filtered* rows; `selectedIndex(in:)` maps back to the item index.
public struct ListState: Sendable, Equatable {
    public var selected: Int
    public var offset: Int
    public var filter: String
    /// True while the user types a filter (after `/`).
    public var isEditingFilter: Bool

    public init(selected: Int = 0, offset: Int = 0, filter: String = "", isEditingFilter: Bool = false) {
        self.selected = selected
        self.offset = offset
        self.filter = filter
        self.isEditingFilter = isEditingFilter
    }

    /// Indices of the items that match the filter (case-insensitive substring).
    public func matches(_ items: [ListItem]) -> [Int] {
        guard !filter.isEmpty else { return Array(items.indices) }
        return items.indices.filter { items[$0].text.range(of: filter, options: .caseInsensitive) != nil }
    }

    /// The selected item's index in `items`, if any row is shown.
    public func selectedIndex(in items: [ListItem]) -> Int? {
        let m = matches(items)
        return selected >= 0 && selected < m.count ? m[selected] : nil
    }

    /// Moves the selection by `delta` rows, clamped to `count` rows.
    public mutating func move(by delta: Int, count: Int) {
        selected = count == 0 ? 0 : min(count - 1, max(0, selected + delta))
    }

    /// Keeps the selection inside the `visibleRows` window.
    public mutating func scrollToSelection(visibleRows: Int) {
        guard visibleRows > 0 else { return }
        if selected < offset { offset = selected }
        if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
        offset = max(0, offset)
    }

    /// Handles navigation (↑↓ j k PgUp PgDn Home End g G) and filter editing (`/` starts, text
    /// and Backspace edit, Enter keeps, Esc clears). Returns false for keys it does not use.
    public mutating func handle(_ key: Key, items: [ListItem], visibleRows: Int) -> Bool {
        if isEditingFilter {
            switch key {
            case let .character(c): filter.append(c)
            case .backspace: if !filter.isEmpty { filter.removeLast() }
            case .enter: isEditingFilter = false
            case .escape: filter = ""; isEditingFilter = false
            case .up, .down, .pageUp, .pageDown: return handleMove(key, count: matches(items).count, visibleRows: visibleRows)
            default: return false
            }
            selected = 0
            offset = 0
            return true
        }
        if key == .character("/") {
            isEditingFilter = true
            return true
        }
        if key == .escape && !filter.isEmpty {
            filter = ""
            selected = 0
            offset = 0
            return true
        }
        return handleMove(key, count: matches(items).count, visibleRows: visibleRows)
    }

    private mutating func handleMove(_ key: Key, count: Int, visibleRows: Int) -> Bool {
        let page = max(1, visibleRows - 1)
        switch key {
        case .up, .character("k"): move(by: -1, count: count)
        case .down, .character("j"): move(by: 1, count: count)
        case .pageUp: move(by: -page, count: count)
        case .pageDown: move(by: page, count: count)
        case .home, .character("g"): move(by: -count, count: count)
        case .end, .character("G"): move(by: count, count: count)
        default: return false
        }
        scrollToSelection(visibleRows: visibleRows)
        return true
    }
}

/// A scrolling, filterable list. The filter line (`/text`) takes the last row while a filter is
/// typed or set; a scroll position `n/m` is shown there too.
public struct ListView: StatefulWidget, Sendable {
    public var items: [ListItem]
    public var focused: Bool

    public init(items: [ListItem], focused: Bool = false) {
        self.items = items
        self.focused = focused
    }

    /// Rows available for items in `area` with `state`.
    public static func visibleRows(in area: Rect, state: ListState) -> Int {
        area.height - (state.isEditingFilter || !state.filter.isEmpty ? 1 : 0)
    }

    /// The filtered row position under screen row `y` (a mouse click), if any.
    public func row(atY y: Int, in area: Rect, state: ListState) -> Int? {
        let rows = ListView.visibleRows(in: area, state: state)
        guard y >= area.y, y < area.y + rows else { return nil }
        let p = state.offset + (y - area.y)
        return p < state.matches(items).count ? p : nil
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout ListState) {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: theme.style(.text))
        let shown = state.matches(items)
        let rows = ListView.visibleRows(in: area, state: state)
        state.move(by: 0, count: shown.count)
        state.scrollToSelection(visibleRows: rows)
        for r in 0..<max(0, rows) {
            let p = state.offset + r
            guard p < shown.count else { break }
            let item = items[shown[p]]
            let row = area.row(r)
            var style = theme.style(item.role)
            if p == state.selected {
                let sel = theme.style(focused ? .selection : .dim)
                if focused {
                    buffer.fill(row, style: sel)
                    style.background = sel.background
                    style.attributes.formUnion(sel.attributes)
                } else {
                    style.attributes.formUnion(.bold)
                }
                buffer.write(focused ? "▸" : "›", x: row.x, y: row.y, style: style, maxWidth: 1)
            }
            buffer.write(item.text, x: row.x + 1, y: row.y, style: style, maxWidth: row.width - 1)
        }
        if rows < area.height {
            let line = area.row(area.height - 1)
            let cursor = state.isEditingFilter ? "▏" : ""
            let count = "\(shown.count)/\(items.count)"
            buffer.write("/" + state.filter + cursor, x: line.x, y: line.y, style: theme.style(.accent),
                         maxWidth: line.width - DisplayWidth.of(count) - 1)
            buffer.write(count, in: line, alignment: .right, style: theme.style(.dim))
        }
    }
}

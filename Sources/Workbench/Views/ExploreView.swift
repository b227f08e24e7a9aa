import DropoutNet
import Foundation

/// The Explore screen: a user or item list (filter, search) | the selection's content, what the
/// model sees of it and its held-out interactions | its ranking with hits marked: a user's
/// top-K items, or an item's top-K users ("which users would get this cold item?").
///
/// Drawn from what the app hands in (`Explorer.view`): the rows, the selection's description and
/// its latest ranking, already looked up. The shown list's selection and scroll are the state.
struct ExploreView: StatefulWidget {
    /// The selected entity's panel: nothing when no row matches the filter or search.
    enum Selection: Equatable {
        case none(what: String)
        case user(Panel)
        case item(Panel)
    }

    /// A selected user or item: its description, its held-out interactions, and its ranking
    /// once computed for it.
    struct Panel: Equatable {
        var description: EntityDescription
        var heldOutCount: Int
        /// Labels of the first held-out items (of a user) or users (of an item).
        var heldOutShown: [String]
        var ranking: Ranking?
        /// Labels of a user's first training items (its positives; none for a cold user).
        var trainingShown: [String] = []
        /// Said above the ranking when this cold user's ranking is every such user's.
        var sameForEveryColdUser: String?
    }

    /// A top-K ranking at a training step: items for a user, users for an item.
    struct Ranking: Equatable {
        struct Row: Equatable {
            var hit: Bool
            var score: Float
            var label: String
            var isCold: Bool
            /// Training positives of a ranked user (unused for ranked items).
            var trainingPositives: Int
        }
        var step: Int
        var rows: [Row]
    }

    var mode: Explorer.Mode
    var filterLabel: String
    /// Users or items the filter lists (before a `/` search).
    var count: Int
    var rows: [ListItem]
    var selection: Selection
    /// Where the tabs and the list were drawn, for the mouse.
    var hits: HitMap<MouseCommand>?
    /// The ranking row that has the keys (Enter jumps to it), nil while the list has them.
    var rankingRow: Int?

    /// `shown` joined, then "…and N more" for the `total - shown.count` left out.
    static func cut(_ shown: [String], total: Int, separator: String = ", ") -> String {
        let more = total - shown.count
        return shown.joined(separator: separator) + (more > 0 ? "\(shown.isEmpty ? "" : separator)…and \(more) more" : "")
    }

    /// Rows of the list area (for paging keys).
    static func listRows(screenHeight: Int) -> Int { max(1, screenHeight - 7) }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout ListState) {
        let cols = area.split(columns: [.fixed(40), .fill(1)])
        renderList(into: &buffer, area: cols[0], theme: theme, state: &state)
        // The details take the rows their lines need (at least 9, at most half): on a tall screen
        // nothing of a user's training or held-out items is cut off, on a small one the ranking keeps its half.
        let needed: Int
        switch selection {
        case .none: needed = 7
        case let .user(panel): needed = Paragraph(lines: userLines(panel), wrap: true).lineCount(width: max(1, cols[1].width - 2))
        case let .item(panel): needed = Paragraph(lines: itemLines(panel), wrap: true).lineCount(width: max(1, cols[1].width - 2))
        }
        let right = cols[1].split(rows: [.fixed(max(9, min(needed + 2, cols[1].height / 2))), .fill(1)])
        switch selection {
        case let .none(what): nothing(what, detail: right[0], into: &buffer, theme: theme)
        case let .user(panel): renderUser(panel, into: &buffer, detail: right[0], ranking: right[1], theme: theme)
        case let .item(panel): renderItem(panel, into: &buffer, detail: right[0], ranking: right[1], theme: theme)
        }
    }

    private func renderList(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout ListState) {
        let users = mode == .users
        Block(title: "\(users ? "Users" : "Items") (\(filterLabel))", focused: true, trailing: "\(count)")
            .render(into: &buffer, area: area, theme: theme)
        let inner = Block.inner(area)
        guard inner.height >= 2 else { return }
        let tabs: [Span] = [Span(users ? "[Users]" : " Users ", role: users ? .accent : .dim), Span(" "),
                            Span(users ? " Items " : "[Items]", role: users ? .dim : .accent),
                            Span("  u / i switch", role: .dim)]
        buffer.write(tabs, x: inner.x, y: inner.y, theme: theme, maxWidth: inner.width)
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        let view = ListView(items: rows, focused: true)
        view.render(into: &buffer, area: listArea, theme: theme, state: &state)
        if let hits {
            hits.onClick(Rect(x: inner.x, y: inner.y, width: 7, height: 1)) { _, _ in .exploreMode(.users) }
            hits.onClick(Rect(x: inner.x + 8, y: inner.y, width: 7, height: 1)) { _, _ in .exploreMode(.items) }
            let shown = state
            hits.onClick(listArea) { _, y in view.row(atY: y, in: listArea, state: shown).map { .selectRow(.explorer, position: $0) } }
            hits.onScroll(listArea) { .scroll(.explorer, rows: $0 * wheelRows) }
        }
    }

    private func renderUser(_ p: Panel, into buffer: inout ScreenBuffer, detail: Rect, ranking: Rect, theme: Theme) {
        let d = p.description
        Block(title: "User \(d.id)", trailing: d.isCold ? "cold" : "warm").render(into: &buffer, area: detail, theme: theme)
        Paragraph(lines: userLines(p), wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = p.ranking else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.rows.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) at step \(result.step)", trailing: "\(hits) of \(p.heldOutCount) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        var inner = Block.inner(ranking)
        if let same = p.sameForEveryColdUser, inner.height > 3 {
            let used = Paragraph(same, role: .warning).lineCount(width: inner.width)
            Paragraph(same, role: .warning).render(into: &buffer, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: used), theme: theme)
            inner = Rect(x: inner.x, y: inner.y + used, width: inner.width, height: inner.height - used)
        }
        let rows: [[TableCell]] = result.rows.enumerated().map { rank, r in
            [rankCell(rank), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(r.isCold ? "cold" : "", role: .seriesColdItem),
             TableCell(r.label, role: rankingRow == rank ? .accent : r.hit ? .good : .text)]
        }
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("", alignment: .left),
                        TableColumn("item", alignment: .left)],
              rows: ExploreView.fitted(rows, height: inner.height, columns: 5, textColumn: 4)).render(into: &buffer, area: inner, theme: theme)
    }

    /// A user's details: content, what the model sees, its training items, its held-out items.
    func userLines(_ p: Panel) -> [[Span]] {
        let d = p.description
        var lines = ExploreView.describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdUser)
                               : Span("\(d.trainingPositives) positives (left out of its ranking): "
                                      + ExploreView.cut(p.trainingShown, total: d.trainingPositives))])
        lines.append([Span("held out  ", role: .dim),
                      Span("\(p.heldOutCount)\(p.heldOutCount == 0 ? "" : ": " + ExploreView.cut(p.heldOutShown, total: p.heldOutCount))")])
        return lines
    }

    /// An item's details: content, what the model sees, its training likes, its held-out users.
    func itemLines(_ p: Panel) -> [[Span]] {
        let d = p.description
        var lines = ExploreView.describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdItem)
                               : Span("liked by \(d.trainingPositives) users (left out of its ranking)")])
        lines.append([Span("held out  ", role: .dim),
                      Span("\(p.heldOutCount) users\(p.heldOutCount == 0 ? "" : ": " + ExploreView.cut(p.heldOutShown, total: p.heldOutCount))")])
        return lines
    }

    /// A ranking row's rank, marked when the row has the keys.
    private func rankCell(_ rank: Int) -> TableCell {
        rankingRow == rank ? TableCell("▸\(rank + 1)", role: .accent) : TableCell("\(rank + 1)")
    }

    /// `rows` cut to a table of `height` rows (its header included): the last shown row says
    /// how many more there are, in the (left-aligned, wide) `textColumn`.
    static func fitted(_ rows: [[TableCell]], height: Int, columns: Int, textColumn: Int) -> [[TableCell]] {
        let room = height - 1
        guard rows.count > room, room >= 1 else { return rows }
        let shown = Array(rows.prefix(room - 1))
        var more = Array(repeating: TableCell(""), count: columns)
        more[textColumn] = TableCell("…and \(rows.count - shown.count) more", role: .dim)
        return shown + [more]
    }

    private func renderItem(_ p: Panel, into buffer: inout ScreenBuffer, detail: Rect, ranking: Rect, theme: Theme) {
        let d = p.description
        Block(title: "Item \(d.id)\(d.title.map { " " + $0 } ?? "")", trailing: d.isCold ? "cold" : "warm")
            .render(into: &buffer, area: detail, theme: theme)
        Paragraph(lines: itemLines(p), wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = p.ranking else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.rows.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) users at step \(result.step)", trailing: "\(hits) of \(p.heldOutCount) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        let rows: [[TableCell]] = result.rows.enumerated().map { rank, r in
            [rankCell(rank), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(r.label, role: rankingRow == rank ? .accent : r.hit ? .good : .text),
             TableCell(r.isCold ? "cold" : "warm", role: r.isCold ? .seriesColdUser : .dim), TableCell("\(r.trainingPositives)")]
        }
        let inner = Block.inner(ranking)
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("user", alignment: .left),
                        TableColumn("", alignment: .left), TableColumn("train")],
              rows: ExploreView.fitted(rows, height: inner.height, columns: 6, textColumn: 3)).render(into: &buffer, area: inner, theme: theme)
    }

    /// Content and encoded-feature lines (the first dozen of each).
    static func describe(_ d: EntityDescription) -> [[Span]] {
        let fields = d.content.filter { $0.name != "title" || d.title == nil }
        let content = fields.prefix(12).map { "\($0.name)=\($0.value)" }
        let encoded = d.encoded.prefix(12).map(\.name)
        return [[Span("content   ", role: .dim), Span(content.isEmpty ? "(none)" : cut(content, total: fields.count, separator: "  "))],
                [Span("model sees", role: .dim), Span(" "),
                 encoded.isEmpty ? Span("no known feature value", role: .warning) : Span(cut(encoded, total: d.encoded.count))]]
    }

    private func nothing(_ what: String, detail: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        Block(title: what.capitalized).render(into: &buffer, area: detail, theme: theme)
        Paragraph("no \(what) matches the filter (f changes it, Esc clears a search)", role: .dim)
            .render(into: &buffer, area: Block.inner(detail), theme: theme)
    }

    private func computing(_ area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        Block(title: "Top-\(Explorer.topK)").render(into: &buffer, area: area, theme: theme)
        Paragraph("computing…", role: .dim).render(into: &buffer, area: Block.inner(area), theme: theme)
    }
}

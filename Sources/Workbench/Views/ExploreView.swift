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

    /// Rows of the list area (for paging keys).
    static func listRows(screenHeight: Int) -> Int { max(1, screenHeight - 7) }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout ListState) {
        let cols = area.split(columns: [.fixed(40), .fill(1)])
        renderList(into: &buffer, area: cols[0], theme: theme, state: &state)
        let right = cols[1].split(rows: [.fixed(9), .fill(1)])
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
        var lines = ExploreView.describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdUser)
                               : Span("\(d.trainingPositives) positives (left out of its ranking)")])
        let heldText = p.heldOutShown.joined(separator: ", ")
        lines.append([Span("held out  ", role: .dim), Span("\(p.heldOutCount)\(p.heldOutCount == 0 ? "" : ": " + heldText)")])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = p.ranking else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.rows.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) at step \(result.step)", trailing: "\(hits) of \(p.heldOutCount) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        let rows: [[TableCell]] = result.rows.enumerated().map { rank, r in
            [TableCell("\(rank + 1)"), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(r.isCold ? "cold" : "", role: .seriesColdItem),
             TableCell(r.label, role: r.hit ? .good : .text)]
        }
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("", alignment: .left),
                        TableColumn("item", alignment: .left)],
              rows: rows).render(into: &buffer, area: Block.inner(ranking), theme: theme)
    }

    private func renderItem(_ p: Panel, into buffer: inout ScreenBuffer, detail: Rect, ranking: Rect, theme: Theme) {
        let d = p.description
        Block(title: "Item \(d.id)\(d.title.map { " " + $0 } ?? "")", trailing: d.isCold ? "cold" : "warm")
            .render(into: &buffer, area: detail, theme: theme)
        var lines = ExploreView.describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdItem)
                               : Span("liked by \(d.trainingPositives) users (left out of its ranking)")])
        let heldText = p.heldOutShown.joined(separator: ", ")
        lines.append([Span("held out  ", role: .dim), Span("\(p.heldOutCount) users\(p.heldOutCount == 0 ? "" : ": " + heldText)")])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = p.ranking else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.rows.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) users at step \(result.step)", trailing: "\(hits) of \(p.heldOutCount) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        let rows: [[TableCell]] = result.rows.enumerated().map { rank, r in
            [TableCell("\(rank + 1)"), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(r.label, role: r.hit ? .good : .text),
             TableCell(r.isCold ? "cold" : "warm", role: r.isCold ? .seriesColdUser : .dim), TableCell("\(r.trainingPositives)")]
        }
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("user", alignment: .left),
                        TableColumn("", alignment: .left), TableColumn("train")],
              rows: rows).render(into: &buffer, area: Block.inner(ranking), theme: theme)
    }

    /// Content and encoded-feature lines (the first dozen of each).
    static func describe(_ d: EntityDescription) -> [[Span]] {
        let content = d.content.filter { $0.name != "title" || d.title == nil }.prefix(12).map { "\($0.name)=\($0.value)" }
        let encoded = d.encoded.prefix(12).map(\.name)
        let more = d.encoded.count > 12 ? " … (\(d.encoded.count) in all)" : ""
        return [[Span("content   ", role: .dim), Span(content.isEmpty ? "(none)" : content.joined(separator: "  "))],
                [Span("model sees", role: .dim), Span(" "),
                 encoded.isEmpty ? Span("no known feature value", role: .warning) : Span(encoded.joined(separator: ", ") + more)]]
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

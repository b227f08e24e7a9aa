import DropoutNet
import Foundation

/// The Explore screen: a user or item list (filter, search) | the selection's content, what the
/// model sees of it and its held-out interactions | its ranking with hits marked: a user's
/// top-K items, or an item's top-K users ("which users would get this cold item?").
enum ExploreView {
    static func render(_ explorer: Explorer, into buffer: inout ScreenBuffer, area: Rect, theme: Theme,
                       hits: HitMap<MouseCommand>? = nil) {
        let cols = area.split(columns: [.fixed(40), .fill(1)])
        renderList(explorer, into: &buffer, area: cols[0], theme: theme, hits: hits)
        let right = cols[1].split(rows: [.fixed(9), .fill(1)])
        switch explorer.mode {
        case .users: renderUser(explorer, into: &buffer, detail: right[0], ranking: right[1], theme: theme)
        case .items: renderItem(explorer, into: &buffer, detail: right[0], ranking: right[1], theme: theme)
        }
    }

    /// Rows of the list area (for paging keys).
    static func listRows(screenHeight: Int) -> Int { max(1, screenHeight - 7) }

    static func renderList(_ explorer: Explorer, into buffer: inout ScreenBuffer, area: Rect, theme: Theme,
                           hits: HitMap<MouseCommand>? = nil) {
        let users = explorer.mode == .users
        let count = users ? explorer.users.count : explorer.items.count
        Block(title: "\(users ? "Users" : "Items") (\(explorer.filterLabel))", focused: true, trailing: "\(count)")
            .render(into: &buffer, area: area, theme: theme)
        let inner = Block.inner(area)
        guard inner.height >= 2 else { return }
        let tabs: [Span] = [Span(users ? "[Users]" : " Users ", role: users ? .accent : .dim), Span(" "),
                            Span(users ? " Items " : "[Items]", role: users ? .dim : .accent),
                            Span("  u / i switch", role: .dim)]
        buffer.write(tabs, x: inner.x, y: inner.y, theme: theme, maxWidth: inner.width)
        var state = explorer.list
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        let view = ListView(items: explorer.rows, focused: true)
        view.render(into: &buffer, area: listArea, theme: theme, state: &state)
        explorer.list = state
        if let hits {
            hits.onClick(Rect(x: inner.x, y: inner.y, width: 7, height: 1)) { _, _ in .exploreMode(.users) }
            hits.onClick(Rect(x: inner.x + 8, y: inner.y, width: 7, height: 1)) { _, _ in .exploreMode(.items) }
            let shown = state
            hits.onClick(listArea) { _, y in view.row(atY: y, in: listArea, state: shown).map { .selectRow(.explorer, position: $0) } }
            hits.onScroll(listArea) { .scroll(.explorer, rows: $0 * wheelRows) }
        }
    }

    static func renderUser(_ explorer: Explorer, into buffer: inout ScreenBuffer, detail: Rect, ranking: Rect, theme: Theme) {
        let data = explorer.data
        guard let user = explorer.selectedUser else { return nothing("user", detail: detail, into: &buffer, theme: theme) }
        let d = ExplorerQueries.describeUser(user, data: data)
        let held = ExplorerQueries.heldOutItems(ofUser: user, data: data)
        Block(title: "User \(d.id)", trailing: d.isCold ? "cold" : "warm").render(into: &buffer, area: detail, theme: theme)
        var lines = describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdUser)
                               : Span("\(d.trainingPositives) positives (left out of its ranking)")])
        let heldText = held.prefix(8).map { ExplorerQueries.itemLabel(Int($0), data: data) }.joined(separator: ", ")
        lines.append([Span("held out  ", role: .dim), Span("\(held.count)\(held.isEmpty ? "" : ": " + heldText)")])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = explorer.userResult, result.user == user else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.items.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) at step \(result.step)", trailing: "\(hits) of \(held.count) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        let rows: [[TableCell]] = result.items.enumerated().map { rank, r in
            [TableCell("\(rank + 1)"), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(data.isKnownItem[r.item] ? "" : "cold", role: .seriesColdItem),
             TableCell(ExplorerQueries.itemLabel(r.item, data: data), role: r.hit ? .good : .text)]
        }
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("", alignment: .left),
                        TableColumn("item", alignment: .left)],
              rows: rows).render(into: &buffer, area: Block.inner(ranking), theme: theme)
    }

    static func renderItem(_ explorer: Explorer, into buffer: inout ScreenBuffer, detail: Rect, ranking: Rect, theme: Theme) {
        let data = explorer.data
        guard let item = explorer.selectedItem else { return nothing("item", detail: detail, into: &buffer, theme: theme) }
        let d = ExplorerQueries.describeItem(item, data: data)
        let held = explorer.heldOutUsers(ofItem: item)
        Block(title: "Item \(d.id)\(d.title.map { " " + $0 } ?? "")", trailing: d.isCold ? "cold" : "warm")
            .render(into: &buffer, area: detail, theme: theme)
        var lines = describe(d)
        lines.append([Span("train     ", role: .dim),
                      d.isCold ? Span("no training interactions: ranked by its features alone", role: .seriesColdItem)
                               : Span("liked by \(d.trainingPositives) users (left out of its ranking)")])
        let heldText = held.prefix(12).map { data.dataset.userIDs[Int($0)] }.joined(separator: ", ")
        lines.append([Span("held out  ", role: .dim), Span("\(held.count) users\(held.isEmpty ? "" : ": " + heldText)")])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(detail), theme: theme)

        guard let result = explorer.itemResult, result.item == item else { return computing(ranking, into: &buffer, theme: theme) }
        let hits = result.users.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) users at step \(result.step)", trailing: "\(hits) of \(held.count) held out hit")
            .render(into: &buffer, area: ranking, theme: theme)
        let rows: [[TableCell]] = result.users.enumerated().map { rank, r in
            let cold = !data.isKnownUser[r.user]
            let train = r.user < data.trainPositives.rows ? data.trainPositives.count(r.user) : 0
            return [TableCell("\(rank + 1)"), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
                    .number(Double(r.score), format: "%.3f"), TableCell(data.dataset.userIDs[r.user], role: r.hit ? .good : .text),
                    TableCell(cold ? "cold" : "warm", role: cold ? .seriesColdUser : .dim), TableCell("\(train)")]
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

    static func nothing(_ what: String, detail: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        Block(title: what.capitalized).render(into: &buffer, area: detail, theme: theme)
        Paragraph("no \(what) matches the filter (f changes it, Esc clears a search)", role: .dim)
            .render(into: &buffer, area: Block.inner(detail), theme: theme)
    }

    static func computing(_ area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        Block(title: "Top-\(Explorer.topK)").render(into: &buffer, area: area, theme: theme)
        Paragraph("computing…", role: .dim).render(into: &buffer, area: Block.inner(area), theme: theme)
    }
}

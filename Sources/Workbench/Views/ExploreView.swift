import DropoutNet
import Foundation

/// The Explore screen: user list (filter, search) | features, held-out items, top-K with hits.
enum ExploreView {
    static func render(_ explorer: Explorer, into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let cols = area.split(columns: [.fixed(40), .fill(1)])
        let listArea = cols[0]
        Block(title: "Users (\(explorer.filter.rawValue))", focused: true, trailing: "\(explorer.users.count)")
            .render(into: &buffer, area: listArea, theme: theme)
        var state = explorer.list
        ListView(items: explorer.items, focused: true).render(into: &buffer, area: Block.inner(listArea), theme: theme, state: &state)
        explorer.list = state

        let right = cols[1].split(rows: [.fixed(8), .fill(1)])
        let data = explorer.data
        guard let user = explorer.selectedUser else {
            Block(title: "User").render(into: &buffer, area: right[0], theme: theme)
            Paragraph("no user matches the filter", role: .dim).render(into: &buffer, area: Block.inner(right[0]), theme: theme)
            return
        }
        let held = explorer.heldOut(user)
        let cold = data.split.coldUsers.contains(Int32(user))
        Block(title: "User \(data.dataset.userIDs[user])", trailing: cold ? "cold" : "warm").render(into: &buffer, area: right[0], theme: theme)
        var lines: [[Span]] = []
        let features = data.dataset.userContent.columns.prefix(3).map { "\($0.name)=\($0.values[user])" }.joined(separator: "  ")
        lines.append([Span("features  ", role: .dim), Span(features.isEmpty ? "(none)" : features)])
        lines.append([Span("train     ", role: .dim), Span("\(user < data.trainPositives.rows ? data.trainPositives.count(user) : 0) positives")])
        let heldText = held.prefix(8).map { title(Int($0), data) }.joined(separator: ", ")
        lines.append([Span("held out  ", role: .dim), Span("\(held.count): \(heldText)")])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(right[0]), theme: theme)

        guard let result = explorer.result, result.user == user else {
            Block(title: "Top-\(Explorer.topK)").render(into: &buffer, area: right[1], theme: theme)
            Paragraph("computing…", role: .dim).render(into: &buffer, area: Block.inner(right[1]), theme: theme)
            return
        }
        let hits = result.items.filter(\.hit).count
        Block(title: "Top-\(Explorer.topK) at step \(result.step)", trailing: "\(hits) hits").render(into: &buffer, area: right[1], theme: theme)
        let rows: [[TableCell]] = result.items.enumerated().map { rank, r in
            [TableCell("\(rank + 1)"), TableCell(r.hit ? "✓" : " ", role: r.hit ? .good : .dim),
             .number(Double(r.score), format: "%.3f"), TableCell(title(r.item, data), role: r.hit ? .good : .text)]
        }
        Table(columns: [TableColumn("#"), TableColumn("hit", alignment: .left), TableColumn("score"), TableColumn("item", alignment: .left)],
              rows: rows).render(into: &buffer, area: Block.inner(right[1]), theme: theme)
    }

    static func title(_ item: Int, _ data: TrainingData) -> String {
        let id = data.dataset.itemIDs[item]
        if let t = data.dataset.itemContent.title(item), !t.isEmpty { return "\(id) \(t)" }
        return id
    }
}

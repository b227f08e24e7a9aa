import DropoutNet
import Foundation

/// The Runs screen: earlier runs of the runs directory, newest first, with their best metric.
struct RunsView {
    let directory: String?
    var lines: [String] = []
    var problem: String?
    var list = ListState()

    init(directory: String?) {
        self.directory = directory
        reload()
    }

    mutating func reload() {
        lines = []
        problem = nil
        let dir = directory ?? RunStore.defaultDirectory
        let url = URL(fileURLWithPath: dir)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(RunStore.fileName).path) else {
            problem = "no runs recorded yet in \(dir)/ (the workbench does not record runs yet; `dropoutnet runs` lists them)"
            return
        }
        do {
            let store = try RunStore(directory: url, create: false)
            lines = try store.listRuns().map { r in
                let loss = r.lastLoss.map { String(format: "loss %.4f", $0) } ?? ""
                return "\(r.id.rawValue)  \(r.status)  \(r.model)  step \(r.lastStep ?? 0)  \(loss)"
            }
            if lines.isEmpty { problem = "no runs recorded yet in \(dir)/" }
        } catch {
            problem = "cannot read \(dir)/\(RunStore.fileName): \(error)"
        }
    }

    mutating func handle(_ key: Key) {
        _ = list.handle(key, items: lines.map { ListItem($0) }, visibleRows: 20)
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        Block(title: "Runs", trailing: directory ?? RunStore.defaultDirectory).render(into: &buffer, area: area, theme: theme)
        if let problem {
            Paragraph(problem, role: .dim).render(into: &buffer, area: Block.inner(area), theme: theme)
            return
        }
        var state = list
        ListView(items: lines.map { ListItem($0) }).render(into: &buffer, area: Block.inner(area), theme: theme, state: &state)
    }
}

import DropoutNet
import Foundation

/// The Runs screen: earlier runs of the runs directory with their status and best validation
/// recall@20; the highlighted run's settings and best metrics below. `Space` selects runs whose
/// curves the Train screen overlays (dimmed, labelled by run id); selecting again removes them.
///
/// Everything is read from the store here, on the UI thread's own schedule: the list when the
/// screen opens, a run's curves when it is selected, and the curves of selected runs that are
/// still recording every `refreshInterval` seconds — never while drawing a frame.
struct RunsView {
    let directory: String
    private(set) var runs: [RunRecord] = []
    private(set) var best: [RunID: BestEvaluation] = [:]
    private(set) var problem: String?
    var list = ListState()
    /// Selected runs' curves, in the order they were selected.
    private(set) var overlays: [RunOverlay] = []
    private var store: RunStore?
    private var refreshed = Date.distantPast
    static let refreshInterval = 5.0

    init(directory: String?) {
        self.directory = directory ?? RunStore.defaultDirectory
    }

    /// Re-reads the list of runs and their best evaluations.
    mutating func reload() {
        problem = nil
        do {
            guard let store = try openStore() else {
                runs = []
                problem = "no runs recorded yet in \(directory)/"
                return
            }
            runs = try store.listRuns().reversed()          // newest first
            var best: [RunID: BestEvaluation] = [:]
            for r in runs { best[r.id] = try store.bestEvaluation(r.id) }
            self.best = best
            if runs.isEmpty { problem = "no runs recorded yet in \(directory)/" }
        } catch {
            problem = "cannot read \(directory)/\(RunStore.fileName): \(error)"
        }
    }

    private mutating func openStore() throws -> RunStore? {
        if let store { return store }
        let url = URL(fileURLWithPath: directory)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(RunStore.fileName).path) else { return nil }
        store = try RunStore(directory: url, create: false)
        return store
    }

    var highlighted: RunRecord? { list.selectedIndex(in: rows).map { runs[$0] } }

    func isSelected(_ id: RunID) -> Bool { overlays.contains { $0.run == id } }

    /// Selects the highlighted run (reading its curves) or deselects it. Returns a message for
    /// the event line.
    mutating func toggleHighlighted() -> String? {
        guard let run = highlighted else { return nil }
        if let i = overlays.firstIndex(where: { $0.run == run.id }) {
            overlays.remove(at: i)
            return "overlay of \(run.id) removed"
        }
        do {
            guard let store = try openStore() else { return "no run store in \(directory)/" }
            let overlay = try RunOverlay.load(from: store, run: run)
            overlays.append(overlay)
            let evals = overlay.recall.values.map(\.xs.count).max() ?? 0
            return "overlaying \(run.id) on the Train charts (\(overlay.loss.xs.count) loss points, \(evals) evaluations)"
        } catch {
            return "cannot read run \(run.id): \(error)"
        }
    }

    mutating func clearSelection() -> String? {
        guard !overlays.isEmpty else { return nil }
        overlays.removeAll()
        return "overlays cleared"
    }

    /// Re-reads the curves of selected runs that were still recording, at most every
    /// `refreshInterval`. Returns true when something changed (the app redraws).
    mutating func refreshIfDue(now: Date = Date()) -> Bool {
        guard overlays.contains(where: \.isLive), now.timeIntervalSince(refreshed) >= RunsView.refreshInterval,
              let store = try? openStore() else { return false }
        refreshed = now
        var changed = false
        for (i, o) in overlays.enumerated() where o.isLive {
            guard let record = try? store.run(o.run), let fresh = try? RunOverlay.load(from: store, run: record) else { continue }
            if fresh != o { overlays[i] = fresh; changed = true }
        }
        return changed
    }

    mutating func handle(_ key: Key, visibleRows: Int) -> String? {
        switch key {
        case .character(" "), .enter: return toggleHighlighted()
        case .character("x"): return clearSelection()
        default:
            _ = list.handle(key, items: rows, visibleRows: visibleRows)
            return nil
        }
    }

    // MARK: rendering

    /// Rows of the run list for a screen height (header, status, borders and details aside).
    static func listRows(screenHeight: Int) -> Int { max(1, screenHeight - 15) }

    static let splits: [(name: String, label: String)] = [("validation_warm", "warm"), ("validation_cold_user", "cold-u"),
                                                          ("validation_cold_item", "cold-i")]

    /// One list row per run: selection mark, id, status, model, last step, best validation recall@20.
    var rows: [ListItem] {
        runs.map { r in
            let b = best[r.id]
            let metrics = RunsView.splits.map { split in
                b?.value(split: split.name, key: "recall@20").map { String(format: "%.4f", $0) } ?? "     –"
            }.joined(separator: "  ")
            let text = "\(isSelected(r.id) ? "[x]" : "[ ]") \(r.id.rawValue)  \(pad(r.status.rawValue, 11))\(pad(r.model, 8))"
                + "\(pad(r.lastStep.map(String.init) ?? "–", 8, right: true))  \(metrics)  \(b.map { "@\($0.step)" } ?? "")"
            return ListItem(text, role: isSelected(r.id) ? .accent : .text)
        }
    }

    /// Column titles over `rows` (one column to the right: the list's selection marker).
    var header: String {
        " " + "    " + pad("run", 20) + "  " + pad("status", 11) + pad("model", 8) + pad("step", 8, right: true) + "  "
            + RunsView.splits.map { pad($0.label, 6) }.joined(separator: "  ") + "  best"
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, hits: HitMap<MouseCommand>? = nil) {
        let parts = area.split(rows: [.fill(1), .fixed(9)])
        let trailing = overlays.isEmpty ? directory : "\(overlays.count) overlaid · \(directory)"
        Block(title: "Runs", focused: true, trailing: trailing).render(into: &buffer, area: parts[0], theme: theme)
        let inner = Block.inner(parts[0])
        if let problem {
            Paragraph(problem + "\n\nRuns are recorded by `dropoutnet train` and by this workbench; `dropoutnet runs` lists them too.",
                      role: .dim).render(into: &buffer, area: inner, theme: theme)
            return
        }
        guard inner.height >= 2 else { return }
        buffer.write(header + "  (validation recall@20)", x: inner.x, y: inner.y, style: theme.style(.header), maxWidth: inner.width)
        var state = list
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        let view = ListView(items: rows, focused: true)
        view.render(into: &buffer, area: listArea, theme: theme, state: &state)
        if let hits {
            let shown = state
            hits.onClick(listArea) { _, y in view.row(atY: y, in: listArea, state: shown).map { .selectRow(.runs, position: $0) } }
            hits.onScroll(listArea) { .scroll(.runs, rows: $0 * wheelRows) }
        }
        renderDetails(into: &buffer, area: parts[1], theme: theme)
    }

    private func renderDetails(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard let run = highlighted else { return }
        Block(title: "Run \(run.id)", trailing: "\(run.dataset.name) · \(run.status.rawValue)").render(into: &buffer, area: area, theme: theme)
        var lines: [[Span]] = []
        if let b = best[run.id] {
            let values = b.points.filter { $0.key == "recall@20" }.sorted { $0.split < $1.split }
                .map { "\($0.split) \(String(format: "%.4f", $0.value))" }.joined(separator: "  ")
            lines.append([Span("best      ", role: .dim), Span("step \(b.step) (\(b.rule))")])
            lines.append([Span("recall@20 ", role: .dim), Span(values.isEmpty ? "–" : values)])
        } else {
            lines.append([Span("best      ", role: .dim), Span("no evaluation recorded", role: .dim)])
        }
        let settings = run.settingTexts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "  ")
        lines.append([Span("settings  ", role: .dim), Span(settings)])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return right ? fill + s : s + fill
    }
}

import DropoutNet
import Foundation

/// The Runs screen: earlier runs with their status and best validation recall@20 (the
/// highlighted one's settings and best metrics below), the runs overlaid on the Train screen
/// marked. Drawn from what `RunsBrowser` read from the store; the list's selection and scroll
/// are the state.
struct RunsView: StatefulWidget {
    var directory: String
    var runs: [RunRecord]
    var best: [RunID: BestEvaluation]
    /// Each run's settings in force at its best step and its live changes.
    var inForce: [RunID: SettingsInForce]
    /// Why there is no list (no store yet, or it cannot be read).
    var problem: String?
    /// Runs selected for overlay, in the order they were selected.
    var overlaid: [RunID]
    /// Where the list was drawn, for the mouse.
    var hits: HitMap<MouseCommand>?
    /// Each run's note.
    var notes: [RunID: String] = [:]
    /// The list's order, marked in the header.
    var sort = RunsSort()
    /// The session's dataset: a run of another one is marked `≠` beside its dataset.
    var currentDataset: DatasetIdentity?
    /// A question or a note being typed, shown above the details.
    var prompt: String?

    init(directory: String, runs: [RunRecord], best: [RunID: BestEvaluation], inForce: [RunID: SettingsInForce] = [:],
         problem: String?, overlaid: [RunID], hits: HitMap<MouseCommand>? = nil) {
        self.directory = directory
        self.runs = runs
        self.best = best
        self.inForce = inForce
        self.problem = problem
        self.overlaid = overlaid
        self.hits = hits
    }

    func isSelected(_ id: RunID) -> Bool { overlaid.contains(id) }

    // MARK: rendering

    /// Rows of the run list for a screen height (header, status, borders and details aside).
    static func listRows(screenHeight: Int) -> Int { max(1, screenHeight - 15) }

    static let splits: [(name: String, label: String)] = [("validation_warm", "warm"), ("validation_cold_user", "cold-u"),
                                                          ("validation_cold_item", "cold-i")]

    /// Width of the dataset column: its longest name and a space (8 to 17 columns; 11 when
    /// compact, longer names cut), so the metrics stay on an 80-column screen.
    func datasetWidth(compact: Bool) -> Int {
        min(compact ? 11 : 17, max(8, (runs.map { $0.dataset.name.count + (isForeign($0) ? 1 : 0) }.max() ?? 0) + 1))
    }

    /// Whether `r` trained on another dataset than the session's.
    func isForeign(_ r: RunRecord) -> Bool { currentDataset.map { $0.fingerprint != r.dataset.fingerprint } ?? false }

    /// One list row per run: selection mark, id, status, model, dataset, last step, best
    /// validation recall@20, best step, then its note and the keys changed live.
    var rows: [ListItem] { rows(compact: false) }

    /// The rows with short run ids (`195535-02ab`, as the workbench prints them) when `compact`:
    /// on an 80-column screen the three recall columns then still fit.
    func rows(compact: Bool) -> [ListItem] {
        let datasetWidth = self.datasetWidth(compact: compact)
        return runs.map { r in
            let b = best[r.id]
            let metrics = RunsView.splits.map { split in
                b?.value(split: split.name, key: "recall@20").map { String(format: "%.4f", $0) } ?? "     –"
            }.joined(separator: "  ")
            let dataset = (isForeign(r) ? "≠" : "") + r.dataset.name
            let trailing = [notes[r.id].map { "“\($0)”" }, inForce[r.id].flatMap { $0.changedLive.isEmpty ? nil : "live: " + $0.changedLiveText }]
                .compactMap { $0 }.joined(separator: " ")
            let mark = compact ? (isSelected(r.id) ? "+" : " ") : (isSelected(r.id) ? "[x]" : "[ ]")
            let text = "\(mark) \(compact ? r.id.short : r.id.rawValue)  \(pad(r.status.rawValue, 11))\(pad(r.model, 8))"
                + "\(pad(String(dataset.prefix(datasetWidth - 1)), datasetWidth))"
                + "\(pad(r.lastStep.map(String.init) ?? "–", 8, right: true))  \(metrics)  \(pad(b.map { "@\($0.step)" } ?? "", 7))"
                + trailing
            return ListItem(text, role: isSelected(r.id) ? .accent : isForeign(r) ? .dim : .text)
        }
    }

    /// Column titles over `rows` (one column to the right: the list's selection marker); the
    /// sort column carries ▼ or ▲.
    var header: String { header(compact: false) }

    func header(compact: Bool) -> String {
        func title(_ c: RunsSort.Column, _ text: String) -> String { sort.column == c ? text + (sort.descending ? "▼" : "▲") : text }
        return " " + (compact ? "  " : "    ") + pad(title(.created, "run"), compact ? 11 : 20) + "  " + pad(title(.status, "status"), 11) + pad(title(.model, "model"), 8)
            + pad(title(.dataset, "dataset"), datasetWidth(compact: compact)) + pad(title(.step, "step"), 8, right: true) + "  "
            + [(RunsSort.Column.warm, 0), (.coldUser, 1), (.coldItem, 2)].map { pad(title($0.0, RunsView.splits[$0.1].label), 6) }
                .joined(separator: "  ") + "  best   note / changed"
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout ListState) {
        let parts = area.split(rows: [.fill(1), .fixed(9)])
        let trailing = overlaid.isEmpty ? directory : "\(overlaid.count) overlaid · \(directory)"
        Block(title: "Runs", focused: true, trailing: trailing).render(into: &buffer, area: parts[0], theme: theme)
        let inner = Block.inner(parts[0])
        if let problem {
            Paragraph(problem + "\n\nRuns are recorded by `dropoutnet train` and by this workbench; `dropoutnet runs` lists them too.",
                      role: .dim).render(into: &buffer, area: inner, theme: theme)
            return
        }
        guard inner.height >= 2 else { return }
        let compact = inner.width < 100
        buffer.write(header(compact: compact) + "  (validation recall@20)", x: inner.x, y: inner.y, style: theme.style(.header), maxWidth: inner.width)
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        let view = ListView(items: rows(compact: compact), focused: true)
        view.render(into: &buffer, area: listArea, theme: theme, state: &state)
        if let hits {
            let shown = state
            hits.onClick(listArea) { _, y in view.row(atY: y, in: listArea, state: shown).map { .selectRow(.runs, position: $0) } }
            hits.onScroll(listArea) { .scroll(.runs, rows: $0 * wheelRows) }
        }
        renderDetails(into: &buffer, area: parts[1], theme: theme, highlighted: state.selectedIndex(in: rows).map { runs[$0] })
    }

    private func renderDetails(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, highlighted: RunRecord?) {
        guard let run = highlighted else { return }
        Block(title: "Run \(run.id)", trailing: "\(run.dataset.name) · \(run.status.rawValue)").render(into: &buffer, area: area, theme: theme)
        var lines: [[Span]] = []
        if let prompt { lines.append([Span(prompt, role: .warning)]) }
        if let note = notes[run.id] { lines.append([Span("note      ", role: .dim), Span(note)]) }
        if isForeign(run), let mine = currentDataset {
            lines.append([Span("dataset   ", role: .dim),
                          Span("\(run.dataset.name) [\(run.dataset.fingerprint.prefix(8))] is not this session's \(mine.name) [\(mine.fingerprint.prefix(8))]: curves not comparable", role: .warning)])
        }
        if let b = best[run.id] {
            let values = b.points.filter { $0.key == "recall@20" }.sorted { $0.split < $1.split }
                .map { "\($0.split) \(String(format: "%.4f", $0.value))" }.joined(separator: "  ")
            lines.append([Span("best      ", role: .dim), Span("step \(b.step) (\(b.rule))")])
            lines.append([Span("recall@20 ", role: .dim), Span(values.isEmpty ? "–" : values)])
        } else {
            lines.append([Span("best      ", role: .dim), Span("no evaluation recorded", role: .dim)])
        }
        // The settings in force at the best step; `*` marks a key changed live, whose history follows.
        let force = inForce[run.id]
        let texts = force?.texts ?? run.settingTexts
        let live = Set(force?.changedLive ?? [])
        if let force, !force.changes.isEmpty {
            lines.append([Span("live      ", role: .dim), Span(force.historyText, role: .accent)])
        }
        let settings = texts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\(live.contains($0.key) ? "*" : "")" }.joined(separator: "  ")
        let title = force?.step.map { "at @\($0)" } ?? "settings"
        lines.append([Span(live.isEmpty ? "settings  " : pad(title, 10), role: .dim), Span(settings)])
        Paragraph(lines: lines, wrap: true).render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return right ? fill + s : s + fill
    }
}

import DropoutNet
import Foundation

/// The Train screen (DESIGN §6): header, knobs, loss and recall charts, inspector, event line.
/// A pure function of the snapshot and the UI state, so tests render it into a buffer.
public struct TrainView: Widget {
    public var snapshot: TrainingSnapshot
    /// The session's live settings (what the knobs show).
    public var settings: Settings
    public var datasetName: String
    public var focusedKnob: Int
    /// A message of the UI (a refused change, a saved theme) shown instead of the last event.
    public var message: String?
    /// Popularity recall on the validation splits when the session has not reported baselines.
    public var popularity: EvaluationReport?
    /// Earlier runs selected on the Runs screen, drawn dimmed behind this run's curves.
    public var overlays: [RunOverlay]
    /// Draw the loss chart's y axis in log10 (`L`).
    public var lossLogScale = false
    /// Where the knobs were drawn, for the mouse (nil: not needed, e.g. in benchmarks).
    public var hits: HitMap<MouseCommand>?

    public init(snapshot: TrainingSnapshot, settings: Settings, datasetName: String, focusedKnob: Int = 0,
                message: String? = nil, popularity: EvaluationReport? = nil, overlays: [RunOverlay] = []) {
        self.snapshot = snapshot
        self.settings = settings
        self.datasetName = datasetName
        self.focusedKnob = focusedKnob
        self.message = message
        self.popularity = popularity
        self.overlays = overlays
    }

    /// Renders into `area` (header to event line; the app draws the status line below).
    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let rows = area.split(rows: [.fixed(1), .fill(1), .fixed(8), .fixed(1)])
        HeaderLine(snapshot: snapshot, dataset: datasetName).render(into: &buffer, area: rows[0], theme: theme)
        let body = rows[1].split(columns: [.fixed(40), .fill(1)])
        renderKnobs(into: &buffer, area: body[0])
        let charts = body[1].split(rows: [.fill(1), .fill(1)])
        renderLossChart(into: &buffer, area: charts[0], theme: theme)
        renderRecallChart(into: &buffer, area: charts[1], theme: theme)
        renderInspector(into: &buffer, area: rows[2], theme: theme)
        renderEventLine(into: &buffer, area: rows[3], theme: theme)

        func renderKnobs(into buffer: inout ScreenBuffer, area: Rect) {
            Block(title: "Knobs", focused: true, trailing: "batch \(settings.batchSize)").render(into: &buffer, area: area, theme: theme)
            let inner = Block.inner(area)
            for (i, knob) in Knob.all.enumerated() where i < inner.height {
                let row = inner.row(i)
                let focused = i == focusedKnob
                switch knob.kind {
                case let .slider(range, step, coarse, log, format):
                    let slider = Slider(label: knob.label, value: knob.position(settings), range: range, step: step, coarseStep: coarse,
                                        focused: focused, labelWidth: 10, valueWidth: 8,
                                        format: { log ? String(format: format, pow(10, $0)) : String(format: format, $0) })
                    slider.render(into: &buffer, area: row, theme: theme)
                    hits?.onClick(row) { x, _ in
                        slider.value(atColumn: x, in: row).map { .setKnob(i, value: knob.valueText(position: $0)) } ?? .focusKnob(i)
                    }
                case .picker:
                    let opts = knob.options(settings)
                    let current = knob.current(settings)
                    var options = opts.map { PickerOption($0.value, disabledReason: $0.refused) }
                    var selected = opts.firstIndex { $0.value == current }
                    if selected == nil { options.insert(PickerOption(current), at: 0); selected = 0 }
                    let window = PickerWindow.around(selected!, widths: options.map { DisplayWidth.of($0.label) }, width: row.width - 11)
                    let shown = Array(options[window])
                    let picker = Picker(label: knob.label, options: shown, selected: selected! - window.lowerBound,
                                        focused: focused, labelWidth: 10)
                    picker.render(into: &buffer, area: row, theme: theme)
                    hits?.onClick(row) { x, _ in picker.option(atColumn: x, in: row).map { .setKnob(i, value: shown[$0].label) } ?? .focusKnob(i) }
                }
            }
            let hintRow = inner.height > Knob.all.count + 1 ? inner.row(Knob.all.count + 1) : nil
            if let hintRow {
                let reason = Knob.all.indices.contains(focusedKnob) ? pickerHint(Knob.all[focusedKnob]) : nil
                Paragraph(reason ?? "↑↓ select  ←→ adjust  [ ] coarse", role: .dim)
                    .render(into: &buffer, area: Rect(x: hintRow.x, y: hintRow.y, width: hintRow.width,
                                                       height: max(1, inner.maxY - hintRow.y)), theme: theme)
            }
        }
    }

    /// Why the focused picker's neighbours are refused (e.g. M values that clash with N).
    func pickerHint(_ knob: Knob) -> String? {
        guard case .picker = knob.kind else { return nil }
        let refused = knob.options(settings).filter { $0.refused != nil }
        guard let first = refused.first else { return nil }
        return "\(refused.count) \(knob.label) values refused: \(first.refused!)"
    }

    func renderLossChart(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let points = snapshot.loss.displayPoints
        let raw = ChartSeries(name: "loss", xs: points.map { Double($0.step) }, ys: points.map { Double($0.total) }, role: .seriesLoss)
        let last = snapshot.loss.last.map { String(format: "loss %.4f", $0.total) }
        Block(title: lossLogScale ? "Loss (log)" : "Loss", trailing: last).render(into: &buffer, area: area, theme: theme)
        LineChart(series: overlays.compactMap(\.lossSeries) + [raw, raw.smoothed(weight: 0.9, name: "smoothed", role: .seriesLossSmooth)],
                  markers: markers, yScale: lossLogScale ? .logarithmic : .linear, emptyMessage: "waiting for the first step")
            .render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    /// Setting changes as chart markers, labelled with the key and new value.
    var markers: [ChartMarker] {
        snapshot.settingChanges.map { ChartMarker(x: Double($0.step), label: "\(TrainView.shortKey($0.key))=\($0.new)") }
    }

    static func shortKey(_ key: String) -> String { Settings.entry(key)?.shortName ?? key }

    static let splitRoles: [(suffix: String, label: String, role: ThemeRole)] = [
        ("warm", "warm", .seriesWarm), ("cold_user", "cold user", .seriesColdUser), ("cold_item", "cold item", .seriesColdItem),
    ]

    func renderRecallChart(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let evals = snapshot.evaluations
        var series: [ChartSeries] = overlays.flatMap(\.recallSeries)
        for (suffix, label, role) in TrainView.splitRoles {
            var xs: [Double] = [], ys: [Double] = []
            for e in evals {
                guard let name = e.report.order.first(where: { $0 == suffix || $0 == "validation_" + suffix }),
                      let v = e.report[name]?.recall(at: 20) else { continue }
                xs.append(Double(e.step)); ys.append(v)
            }
            if !xs.isEmpty { series.append(ChartSeries(name: label, xs: xs, ys: ys, role: role)) }
        }
        let trailing = evals.last.map { "eval @\($0.step)" }
        Block(title: "Recall@20 (validation)", trailing: trailing).render(into: &buffer, area: area, theme: theme)
        LineChart(series: series, markers: markers,
                  emptyMessage: "no evaluation yet (every \(settings.evalEvery) steps; e evaluates now)")
            .render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    func renderInspector(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let evals = snapshot.evaluations
        let latest = evals.last
        let previous = evals.count > 1 ? evals[evals.count - 2] : nil
        let title = latest.map { "Inspector — step \($0.step)" } ?? "Inspector"
        Block(title: title, trailing: snapshot.best.map { "best @\($0.step)" }).render(into: &buffer, area: area, theme: theme)
        let columns = [TableColumn("split", alignment: .left), TableColumn("users"), TableColumn("recall@20"),
                       TableColumn("Δ"), TableColumn("ndcg@20"), TableColumn("recall@100"), TableColumn("popularity@20"),
                       TableColumn("content-only@20")]
        var rows: [[TableCell]] = []
        for (suffix, label, role) in TrainView.splitRoles {
            let name = latest?.report.order.first(where: { $0 == suffix || $0 == "validation_" + suffix })
            let m = name.flatMap { latest?.report[$0] }
            let before = name.flatMap { previous?.report[$0] }?.recall(at: 20)
            let now = m?.recall(at: 20)
            let pop = (snapshot.baselines["popularity"]?[suffix] ?? popularity?["validation_" + suffix] ?? popularity?[suffix])?.recall(at: 20)
            let content = snapshot.baselines[ContentOnlyBaseline.name]?[suffix]?.recall(at: 20)
            let contentCell = content == nil && snapshot.baselineTraining?.name == ContentOnlyBaseline.name
                ? TableCell("training…", role: .dim) : .number(content, role: .dim)
            // A live evaluation is over the seeded `eval_users` sample; say so beside the count.
            let sampled = latest?.scope == .sample
            rows.append([TableCell(label, role: role), m.map { TableCell(sampled ? "\($0.users) sample" : "\($0.users)") } ?? "–",
                         .number(now), .delta(now.flatMap { n in before.map { n - $0 } }),
                         .number(m?.value("ndcg", at: 20)), .number(m?.recall(at: 100)), .number(pop, role: .dim),
                         contentCell])
        }
        Table(columns: columns, rows: rows).render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    func renderEventLine(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let text: String
        let role: ThemeRole
        if let message { text = message; role = .warning }
        else if let error = snapshot.lastError { text = error; role = .bad }
        else if let event = snapshot.events.last { text = "step \(event.step): \(event.message)"; role = event.level == .info ? .dim : .warning }
        else { text = ""; role = .dim }
        _ = buffer.write(" " + text, x: area.x, y: area.y, style: theme.style(role), maxWidth: area.width)
    }
}

/// Which options of a long picker fit its row, around the selected one: grown from the
/// selected option outwards by the options' real widths (label + 2 columns each), so long
/// labels such as `hard_pairwise` never run past the row.
public enum PickerWindow {
    public static func around(_ selected: Int, widths: [Int], width: Int) -> Range<Int> {
        guard !widths.isEmpty else { return 0..<0 }
        let s = min(max(selected, 0), widths.count - 1)
        var lo = s, hi = s + 1, used = widths[s] + 2
        var growRight = true
        while lo > 0 || hi < widths.count {
            let takeRight = (growRight && hi < widths.count) || lo == 0
            let w = (takeRight ? widths[hi] : widths[lo - 1]) + 2
            if used + w > width { break }
            used += w
            if takeRight { hi += 1 } else { lo -= 1 }
            growRight.toggle()
        }
        return lo..<hi
    }
}

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
    /// What the evaluation chart plots (`m` cycles the metric, `K` the cut-off).
    public var chartMetric = ChartMetric()
    /// Draw each loss part (unweighted) beside the total (`P`).
    public var showLossParts = false
    /// The chart cursor's step (`c` focuses the charts, ←/→ move it), read out in the charts' titles.
    public var cursorStep: Int?
    /// The knob being turned (its new value is in `settings`) and the session's settings, which
    /// still hold the value in force; nil when no edit is pending.
    public var pendingEdit: (knob: Int, live: Settings)?
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
        // By priority: the charts get every row the inspector (borders, a header and one row per
        // split) and the knobs (one row each) do not need; the knobs panel narrows on narrow screens.
        let rows = area.split(rows: [.fixed(1), .fill(1), .fixed(TrainView.inspectorHeight + (fewShotLine == nil ? 0 : 1)), .fixed(1)])
        HeaderLine(snapshot: snapshot, dataset: datasetName).render(into: &buffer, area: rows[0], theme: theme)
        let body = rows[1].split(columns: [.fixed(TrainView.knobsWidth(screenWidth: area.width)), .fill(1)])
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
                    // Only the values valid now (a refused one would look selectable in mono);
                    // the hint below says why the others are missing.
                    let valid = opts.filter { $0.refused == nil || $0.value == current }
                    var options = valid.map { PickerOption($0.value, disabledReason: $0.refused) }
                    var selected = valid.firstIndex { $0.value == current }
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
                // The pending edit, else why a picker's values are missing, else what the focused
                // knob does (its settings row's help).
                let focused = Knob.all.indices.contains(focusedKnob) ? Knob.all[focusedKnob] : nil
                let reason = focused.flatMap(pickerHint)
                let about = focused.map { "\($0.label): \($0.entry.help)" } ?? "↑↓ select  ←→ adjust  [ ] coarse"
                let hint = pendingHint.map { ($0, ThemeRole.warning) } ?? (reason.map { $0 + " · " + about } ?? about, .dim)
                Paragraph(hint.0, role: hint.1)
                    .render(into: &buffer, area: Rect(x: hintRow.x, y: hintRow.y, width: hintRow.width,
                                                       height: max(1, inner.maxY - hintRow.y)), theme: theme)
            }
        }
    }

    /// Borders, the column titles and one row per split.
    static let inspectorHeight = 2 + 1 + 3

    /// The knobs panel: 40 columns from 120 up, 34 below (sliders and pickers shrink with it).
    static func knobsWidth(screenWidth: Int) -> Int { screenWidth >= 120 ? 40 : 34 }

    /// What the pending edit will do: "loss svsoftmax → pairwise: Enter applies, Esc cancels".
    var pendingHint: String? {
        guard let (i, live) = pendingEdit, Knob.all.indices.contains(i) else { return nil }
        let knob = Knob.all[i]
        if case .picker = knob.kind { return "\(knob.label) \(knob.current(live)) → \(knob.current(settings)): Enter applies, Esc cancels" }
        return "\(knob.label) \(knob.entry.text(of: live)) → \(knob.entry.text(of: settings)): applied when you stop (Enter now, Esc cancels)"
    }

    /// Why the focused picker's neighbours are refused (e.g. M values that clash with N).
    func pickerHint(_ knob: Knob) -> String? {
        guard case .picker = knob.kind else { return nil }
        let refused = knob.options(settings).filter { $0.refused != nil }
        guard let first = refused.first else { return nil }
        return "\(refused.count) \(knob.label) values hidden: \(first.refused!)"
    }

    /// Both charts span steps 0 to the latest step (of this run or an overlaid one), so their
    /// markers line up and a single evaluation sits where it happened, not on a range of its own.
    var stepRange: ClosedRange<Double>? {
        var last = Double(max(snapshot.step, snapshot.evaluations.last?.step ?? 0))
        for o in overlays {
            if let x = o.loss.xs.last { last = max(last, x) }
            for curve in o.recall.values { if let x = curve.xs.last { last = max(last, x) } }
        }
        return last > 0 ? 0...last : nil
    }

    func renderLossChart(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let points = snapshot.loss.displayPoints
        let xs = points.map { Double($0.step) }
        let raw = ChartSeries(name: "loss", xs: xs, ys: points.map { Double($0.total) }, role: .seriesLoss).styled(.dotted)
        // After a live change of the loss its scale changes too (svsoftmax ~5, pairwise ~0.7):
        // each stretch of one loss gets the plot's full height, its own range written at its
        // start, and smoothing restarts with it (an average across the change blends scales).
        let segments = TrainView.lossSegments(snapshot.settingChanges, until: snapshot.step)
        let segmented = segments.count > 1 && overlays.isEmpty
        func smooth(_ s: ChartSeries, name: String, role: ThemeRole) -> ChartSeries {
            segmented ? TrainView.smoothedPerSegment(s, segments: segments, name: name, role: role) : s.smoothed(weight: 0.9, name: name, role: role)
        }
        var parts: [ChartSeries] = []
        if showLossParts {
            let roles: [ThemeRole] = [.seriesWarm, .seriesColdUser, .seriesColdItem]
            let patterns: [LinePattern] = [.dashed, .dotted, .solid]
            for kind in LossKind.ordered where points.contains(where: { $0[kind] != 0 }) {
                let role = roles[parts.count % roles.count], pattern = patterns[parts.count % patterns.count]
                let ys: [Double] = points.map { Double($0[kind]) }
                parts.append(smooth(ChartSeries(name: kind.rawValue, xs: xs, ys: ys, role: role), name: kind.rawValue, role: role).styled(pattern))
            }
        }
        let main: [ChartSeries] = showLossParts ? [smooth(raw, name: "total", role: .seriesLossSmooth).styled(.solid)]
            : [raw, smooth(raw, name: "smoothed", role: .seriesLossSmooth).styled(.solid)]
        var series: [ChartSeries] = overlays.compactMap(\.lossSeries) + parts + main
        var chartMarkers = markers
        if segmented {
            let scaled = TrainView.scaledPerSegment(series, reference: raw, segments: segments, log: lossLogScale)
            series = scaled.series
            chartMarkers += scaled.ranges.map { ChartMarker(x: $0.from, label: $0.label) }
        }
        var readout = snapshot.loss.last.map { String(format: "loss %.4f", $0.total) }
        if let step = cursorStep, let p = points.last(where: { $0.step <= step }) ?? points.first {
            readout = String(format: "@%d loss %.4f", p.step, p.total)
                + (showLossParts ? LossKind.ordered.filter { p[$0] != 0 }.map { String(format: " %@ %.4f", $0.rawValue, p[$0]) }.joined() : "")
        }
        let title = (showLossParts ? "Loss and its parts" : "Loss") + (lossLogScale ? " (log)" : "")
            + (segmented ? " — each loss on its own y-range" : "")
        Block(title: title, trailing: readout).render(into: &buffer, area: area, theme: theme)
        var chart = LineChart(series: series, markers: chartMarkers, yScale: lossLogScale && !segmented ? .logarithmic : .linear,
                              xRange: stepRange, yRange: segmented ? 0...1 : nil, emptyMessage: "waiting for the first step")
        chart.yLabels = !segmented
        chart.cursorX = cursorStep.map(Double.init)
        chart.render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    /// Setting changes as chart markers: one per step, labelled with each knob's final value at
    /// that step (changes a key makes to others, such as `loss` resetting `loss_weights`, are in
    /// the run's history, not on the chart).
    var markers: [ChartMarker] { TrainView.markers(snapshot.settingChanges) }

    public static func markers(_ changes: [SettingChange]) -> [ChartMarker] {
        var groups: [(step: Int, values: [(key: String, value: String)])] = []
        for c in changes where Settings.entry(c.key)?.knob != nil {
            if groups.last?.step != c.step { groups.append((c.step, [])) }
            if let i = groups[groups.count - 1].values.firstIndex(where: { $0.key == c.key }) {
                groups[groups.count - 1].values[i].value = c.new
            } else {
                groups[groups.count - 1].values.append((c.key, c.new))
            }
        }
        return groups.map { g in
            ChartMarker(x: Double(g.step), label: g.values.map { v in
                "\(shortKey(v.key))=\(v.value.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))"
            }.joined(separator: " "))
        }
    }

    static func shortKey(_ key: String) -> String { Settings.entry(key)?.shortName ?? key }

    /// A test recall with its standard error over the split's users (`SplitMetrics`), in one
    /// cell so the inspector keeps its width: "0.1583±.005". How far another draw of as many
    /// test users would move the figure is what says whether a gap to a baseline is real.
    static func withError(_ recall: Double?, _ error: Double?) -> TableCell {
        guard let r = recall, r.isFinite else { return .number(nil) }
        guard let e = error, e.isFinite else { return .number(r) }
        return TableCell(String(format: "%.4f", r) + "±" + String(String(format: "%.3f", e).drop { $0 == "0" }))
    }

    static let splitRoles: [(suffix: String, label: String, role: ThemeRole)] = [
        ("warm", "warm", .seriesWarm), ("cold_user", "cold user", .seriesColdUser), ("cold_item", "cold item", .seriesColdItem),
    ]

    /// Each split's stroke and point glyph: told apart by shape in a monochrome theme.
    static func splitStyle(_ suffix: String) -> (pattern: LinePattern, glyph: Character) {
        switch suffix {
        case "warm": return (.solid, "●")
        case "cold_user": return (.dashed, "◆")
        default: return (.dotted, "▲")
        }
    }

    func renderRecallChart(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let evals = snapshot.evaluations
        // Overlaid runs are read as recall@20: drawn only beside the same metric.
        var series: [ChartSeries] = chartMetric == ChartMetric() ? overlays.flatMap(\.recallSeries) : []
        for (suffix, label, role) in TrainView.splitRoles {
            var xs: [Double] = [], ys: [Double] = []
            for e in evals {
                guard let name = e.report.order.first(where: { $0 == suffix || $0 == "validation_" + suffix }),
                      let v = e.report[name]?.value(chartMetric.metric, at: chartMetric.k) else { continue }
                xs.append(Double(e.step)); ys.append(v)
            }
            if !xs.isEmpty { series.append(ChartSeries(name: label, xs: xs, ys: ys, role: role).styled(TrainView.splitStyle(suffix).pattern, glyph: TrainView.splitStyle(suffix).glyph)) }
        }
        var trailing = evals.last.map { "eval @\($0.step)" }
        if let step = cursorStep, let e = evals.last(where: { $0.step <= step }) ?? evals.first {
            // The evaluation at or before the cursor, each split's value after its chart glyph
            // (short enough for the title at 80 columns).
            trailing = "@\(e.step) " + TrainView.splitRoles.compactMap { suffix, _, _ in
                e.report.order.first { $0 == suffix || $0 == "validation_" + suffix }
                    .flatMap { e.report[$0]?.value(chartMetric.metric, at: chartMetric.k) }
                    .map { "\(TrainView.splitStyle(suffix).glyph)" + String(format: "%.3f", $0) }
            }.joined(separator: " ")
        }
        // With the cursor's read-out the title keeps to the metric (the inspector says validation).
        Block(title: cursorStep == nil ? "\(chartMetric.title) (validation)" : chartMetric.title, trailing: trailing).render(into: &buffer, area: area, theme: theme)
        let empty = evals.isEmpty ? "no evaluation yet (every \(settings.evalEvery) steps; e evaluates now)"
            : "no \(chartMetric.title) in the evaluations (m: metric, K: cut-off)"
        var chart = LineChart(series: series, markers: markers, xRange: evals.isEmpty ? nil : stepRange, emptyMessage: empty)
        chart.cursorX = cursorStep.map(Double.init)
        chart.render(into: &buffer, area: Block.inner(area), theme: theme)
    }

    /// The inspector: every number of its main columns is on the validation splits (the block's
    /// title says so, popularity included); once the run has been tested, the test numbers (the
    /// run's, popularity's and the content-only baseline's, all with the best weights) follow in
    /// columns of their own, each titled "test …". Validation and test are never mixed in a column.
    func renderInspector(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let evals = snapshot.evaluations
        let latest = evals.last
        let previous = evals.count > 1 ? evals[evals.count - 2] : nil
        let title = latest.map { "Inspector — validation @ step \($0.step)" } ?? "Inspector — validation"
        let tested = snapshot.test != nil || !snapshot.baselines.isEmpty || snapshot.baselineTraining != nil
        let trailing = snapshot.best.map { "best @\($0.step)" + (tested ? " · test with its weights" : "") }
        Block(title: title, trailing: trailing).render(into: &buffer, area: area, theme: theme)
        // Short titles where the long ones would not fit (80 columns with the test's).
        let short = area.width < (tested ? 130 : 90)
        var columns = [TableColumn("split", alignment: .left), TableColumn("users"), TableColumn(short ? "r@20" : "recall@20"),
                       TableColumn("Δ"), TableColumn(short ? "ndcg@20" : "ndcg@20"), TableColumn(short ? "r@100" : "recall@100"),
                       TableColumn(short ? "pop@20" : "popularity@20")]
        if tested {
            columns += short ? [TableColumn("test r@20"), TableColumn("test pop@20"), TableColumn("test content@20")]
                : [TableColumn("test recall@20"), TableColumn("test popularity@20"), TableColumn("test content-only@20")]
        }
        var rows: [[TableCell]] = []
        for (suffix, label, role) in TrainView.splitRoles {
            let name = latest?.report.order.first(where: { $0 == suffix || $0 == "validation_" + suffix })
            let m = name.flatMap { latest?.report[$0] }
            let before = name.flatMap { previous?.report[$0] }?.recall(at: 20)
            let now = m?.recall(at: 20)
            let pop = (popularity?["validation_" + suffix] ?? popularity?[suffix])?.recall(at: 20)
            // A live evaluation is over the seeded `eval_users` sample; say so beside the count.
            let sampled = latest?.scope == .sample
            // The split's chart glyph after its name: the recall chart's key at every size (its
            // legend is dropped when the chart is narrow) and in the mono theme.
            var row: [TableCell] = [TableCell("\(label) \(TrainView.splitStyle(suffix).glyph)", role: role), m.map { TableCell(sampled ? "\($0.users) sample" : "\($0.users)") } ?? "–",
                                    .number(now), .delta(now.flatMap { n in before.map { n - $0 } }),
                                    .number(m?.value("ndcg", at: 20)), .number(m?.recall(at: 100)), .number(pop, role: .dim)]
            if tested {
                let test = snapshot.test?.report[suffix]?.recall(at: 20)
                let error = snapshot.test?.report[suffix]?.recallStandardError(at: 20)
                let testPop = snapshot.baselines["popularity"]?[suffix]?.recall(at: 20)
                let content = snapshot.baselines[ContentOnlyBaseline.name]?[suffix]?.recall(at: 20)
                let contentCell = content == nil && snapshot.baselineTraining?.name == ContentOnlyBaseline.name
                    ? TableCell("training…", role: .dim) : .number(content, role: .dim)
                row += [TrainView.withError(test, error), .number(testPop, role: .dim), contentCell]
            }
            rows.append(row)
        }
        let inner = Block.inner(area)
        Table(columns: columns, rows: rows).render(into: &buffer, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height, 4)),
                                                   theme: theme)
        if let line = fewShotLine, inner.height > 4 {
            buffer.write(line, x: inner.x, y: inner.y + 4, theme: theme, maxWidth: inner.width)
        }
    }

    /// The few-shot curve once the run has been tested (DESIGN §4.7): recall@20 of the
    /// cold-user test users with k of their interactions revealed, for each k.
    var fewShotLine: [Span]? {
        guard let f = snapshot.fewShot, f.counts.contains(where: { f[$0] != nil }) else { return nil }
        var spans = [Span("few-shot ", role: .header), Span("test cold users, k revealed → recall@20: ", role: .dim)]
        for k in f.counts {
            guard let r = f[k]?.recall(at: 20) else { continue }
            spans += [Span("k=\(k) ", role: .dim), Span(String(format: "%.4f  ", r))]
        }
        spans.append(Span("(preference: \(f.preference))", role: .dim))
        return spans
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

/// The metric the Train screen's evaluation chart plots: recall or NDCG at one cut-off.
public struct ChartMetric: Equatable, Sendable {
    public var metric = "recall"
    public var k = 20
    public init(metric: String = "recall", k: Int = 20) { self.metric = metric; self.k = k }

    public var title: String { (metric == "ndcg" ? "NDCG" : "Recall") + "@\(k)" }

    public static let metrics = ["recall", "ndcg"]

    /// The next metric (`m`).
    public func nextMetric() -> ChartMetric {
        let i = Self.metrics.firstIndex(of: metric) ?? 0
        return ChartMetric(metric: Self.metrics[(i + 1) % Self.metrics.count], k: k)
    }

    /// The next of the evaluated cut-offs `ks` (`K`), wrapping around.
    public func nextK(among ks: [Int]) -> ChartMetric {
        let sorted = ks.sorted()
        guard let first = sorted.first else { return self }
        return ChartMetric(metric: metric, k: sorted.first { $0 > k } ?? first)
    }
}

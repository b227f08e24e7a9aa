import Foundation

/// A line chart drawn with braille dots (2×4 per cell): several series in theme colours, a y
/// axis with nice tick labels (linear or log10), an x axis with tick labels, vertical markers
/// with optional labels, and a legend.
///
/// Scaling is automatic unless `xRange`/`yRange` are given. Long series are reduced to the
/// plot's dot columns while drawing: each column gets a vertical stroke from the smallest to the
/// largest value that falls in it, joined to the next column, so spikes survive and the cost is
/// one pass over the points (100k points take well under a millisecond) with no allocation per point.
public struct LineChart: Widget, Sendable {
    public var series: [ChartSeries]
    public var markers: [ChartMarker]
    public var yScale: AxisScale
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var legend: LegendPosition
    /// Shown when there is nothing to plot.
    public var emptyMessage: String
    /// A cursor: a vertical line at this x (the Train screen's chart cursor reads it out).
    public var cursorX: Double?
    /// Tick labels on the y axis; off when the values are rescaled (each loss segment on its own
    /// range) and the ranges are written in the plot instead.
    public var yLabels = true

    public init(series: [ChartSeries], markers: [ChartMarker] = [], yScale: AxisScale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                legend: LegendPosition = .top, emptyMessage: String = "no data yet") {
        self.series = series
        self.markers = markers
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.legend = legend
        self.emptyMessage = emptyMessage
    }

    /// The chart's geometry for an area: where the plot, axes and labels go.
    public struct Geometry: Equatable {
        public var plot: Rect
        /// Data range shown on x, and on y in the scale's units (log10 values for a log scale).
        public var xRange: ClosedRange<Double>
        public var yRange: ClosedRange<Double>
        public var yTicks: [(value: Double, label: String)]
        public var xTicks: [(value: Double, label: String)]

        public static func == (a: Geometry, b: Geometry) -> Bool {
            a.plot == b.plot && a.xRange == b.xRange && a.yRange == b.yRange
                && a.yTicks.map(\.label) == b.yTicks.map(\.label) && a.xTicks.map(\.label) == b.xTicks.map(\.label)
        }
    }

    @inline(__always)
    func transform(_ y: Double) -> Double? {
        switch yScale {
        case .linear: return y.isFinite ? y : nil
        case .logarithmic: return y > 0 && y.isFinite ? log10(y) : nil
        }
    }

    /// Whether `y` can be drawn on this scale. Both scales are monotonic, so minima and maxima
    /// are found on raw values and transformed once (log10 per column, not per point).
    @inline(__always)
    func isDrawable(_ y: Double) -> Bool {
        switch yScale {
        case .linear: return y.isFinite
        case .logarithmic: return y > 0 && y.isFinite
        }
    }

    /// Data extents (x over all series; y in scale units), or nil when nothing is drawable.
    func extents() -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var x0 = Double.infinity, x1 = -Double.infinity
        var y0 = Double.infinity, y1 = -Double.infinity
        let lo = xRange?.lowerBound ?? -Double.infinity, hi = xRange?.upperBound ?? Double.infinity
        for s in series where !s.xs.isEmpty {
            x0 = min(x0, s.xs[0])
            x1 = max(x1, s.xs[s.xs.count - 1])
            s.ys.withUnsafeBufferPointer { ys in
                s.xs.withUnsafeBufferPointer { xs in
                    for i in 0..<ys.count where xs[i] >= lo && xs[i] <= hi && isDrawable(ys[i]) {
                        if ys[i] < y0 { y0 = ys[i] }
                        if ys[i] > y1 { y1 = ys[i] }
                    }
                }
            }
        }
        if let r = xRange { (x0, x1) = (r.lowerBound, r.upperBound) }
        if let r = yRange { (y0, y1) = (r.lowerBound, r.upperBound) }
        guard x0.isFinite, x1.isFinite, let t0 = transform(y0), let t1 = transform(y1) else { return nil }
        if x1 <= x0 { x1 = x0 + 1 }
        return (x0...x1, t0...t1)
    }

    /// Lays out axes and ticks for `area`; nil when the area is too small or there is no data.
    public func geometry(for area: Rect) -> Geometry? {
        guard area.width >= 6, area.height >= 3, let ext = extents() else { return nil }
        let plotRows = area.height - 2
        var yLo = ext.y.lowerBound, yHi = ext.y.upperBound
        var yTicks: [(Double, String)] = []
        switch yScale {
        case .linear:
            let (ticks, step) = NiceTicks.linear(yLo, yHi, count: max(1, min(5, plotRows / 2)))
            if yRange == nil { (yLo, yHi) = (ticks.first!, ticks.last!) } else if yHi <= yLo { yHi = yLo + 1 }
            yTicks = ticks.filter { $0 >= yLo - step * 1e-9 && $0 <= yHi + step * 1e-9 }.map { ($0, NiceTicks.label($0, step: step)) }
        case .logarithmic:
            // Within about a decade, whole decades would leave most of the plot empty: the
            // range snaps to 1-2-5 values instead (0.2 … 1 for a loss from 0.3 to 0.8).
            let fine = yHi - yLo < 1.2
            let ticks = fine ? NiceTicks.logarithmic125(yLo, yHi) : NiceTicks.logarithmic(yLo, yHi)
            if yRange == nil { (yLo, yHi) = (ticks.first!, ticks.last!) } else if yHi <= yLo { yHi = yLo + 1 }
            let every = max(1, Int((Double(ticks.count) / Double(max(1, plotRows / 2))).rounded(.up)))
            yTicks = ticks.enumerated().filter { $0.offset % every == 0 }
                .map { ($0.element, fine ? NiceTicks.logLabel($0.element) : NiceTicks.powerLabel($0.element)) }
        }
        let labelWidth = min(area.width / 3, yTicks.map { DisplayWidth.of($0.1) }.max() ?? 0)
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: plotRows)
        let (xt, xstep) = NiceTicks.linear(ext.x.lowerBound, ext.x.upperBound, count: max(1, plot.width / 12))
        let xTicks = xt.filter { $0 >= ext.x.lowerBound && $0 <= ext.x.upperBound }.map { ($0, NiceTicks.label($0, step: xstep)) }
        return Geometry(plot: plot, xRange: ext.x, yRange: yLo...yHi, yTicks: yTicks, xTicks: xTicks)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        guard let g = geometry(for: area) else {
            buffer.write(emptyMessage, in: area.row(area.height / 2), alignment: .center, style: theme.style(.dim))
            return
        }
        let plot = g.plot
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let dotW = canvas.dotWidth, dotH = canvas.dotHeight
        let x0 = g.xRange.lowerBound, xSpan = g.xRange.upperBound - g.xRange.lowerBound
        let y0 = g.yRange.lowerBound, ySpan = g.yRange.upperBound - g.yRange.lowerBound
        let xScale = Double(dotW - 1) / xSpan, yScale = Double(dotH - 1) / ySpan

        for m in markers where m.x >= x0 && m.x <= g.xRange.upperBound {
            let dx = Int(((m.x - x0) * xScale).rounded())
            for y in 0..<dotH where y % 4 != 3 { canvas.set(dx, y, role: .marker) }
        }
        if let cx = cursorX, cx >= x0, cx <= g.xRange.upperBound {
            let dx = Int(((cx - x0) * xScale).rounded())
            for y in 0..<dotH { canvas.set(dx, y, role: .accent) }
        }
        // Dimmed series (overlays) first, so the main series win the cells they share.
        var ends: [(series: Int, dot: (x: Int, y: Int))] = []
        for pass in [true, false] {
            for (i, s) in series.enumerated() where s.dimmed == pass {
                let end = draw(s, on: &canvas, x0: x0, xScale: xScale, y0: y0, yScale: yScale)
                if s.endLabel != nil, let end { ends.append((i, end)) }
            }
        }

        drawAxes(into: &buffer, geometry: g, area: area, theme: theme)
        canvas.render(into: &buffer, x: plot.x, y: plot.y, theme: theme)
        drawGlyphs(into: &buffer, plot: plot, x0: x0, xScale: xScale, y0: y0, yScale: yScale, theme: theme)
        let legendStart = drawLegend(into: &buffer, plot: plot, theme: theme)
        let labelLimit = legend == .top ? legendStart - 1 : plot.maxX
        drawMarkerLabels(into: &buffer, plot: plot, limit: labelLimit, x0: x0, xScale: xScale, theme: theme)
        drawEndLabels(ends.map { (series[$0.series], $0.dot) }, into: &buffer, plot: plot, theme: theme)
    }

    /// A sparse series' glyph over each of its points (at most one point per three columns:
    /// denser, the glyphs would hide the line), so series differ by shape in a mono theme and a
    /// lone evaluation is a visible mark, not one braille dot.
    func drawGlyphs(into buffer: inout ScreenBuffer, plot: Rect, x0: Double, xScale: Double, y0: Double, yScale: Double, theme: Theme) {
        let dotW = plot.width * 2, dotH = plot.height * 4
        for s in series where !s.dimmed {
            guard let glyph = s.glyph, s.xs.count * 3 <= plot.width else { continue }
            let style = theme.style(s.role)
            for (x, y) in zip(s.xs, s.ys) {
                let fx = (x - x0) * xScale
                guard fx > -0.5, fx < Double(dotW) - 0.5, let t = transform(y) else { continue }
                let dy = min(dotH - 1, max(0, dotH - 1 - Int(((t - y0) * yScale).rounded())))
                buffer.set(x: plot.x + Int(fx.rounded()) / 2, y: plot.y + dy / 4, glyph.unicodeScalars.first!, style: style)
            }
        }
    }

    /// Each labelled series' label beside its last point: right of it when it fits, else ending
    /// at the plot's right edge; on the point's row, or the nearest free row above or below, so
    /// labels never overlap one another.
    func drawEndLabels(_ ends: [(series: ChartSeries, dot: (x: Int, y: Int))], into buffer: inout ScreenBuffer, plot: Rect, theme: Theme) {
        var taken: [(y: Int, from: Int, to: Int)] = []
        for (s, dot) in ends {
            guard let text = s.endLabel, !text.isEmpty else { continue }
            let w = min(DisplayWidth.of(text), plot.width)
            let col = plot.x + dot.x / 2, row = plot.y + dot.y / 4
            let x = col + 1 + w <= plot.maxX ? col + 1 : plot.maxX - w
            for dy in [0, -1, 1, -2, 2] {
                let y = row + dy
                guard y >= plot.y, y < plot.maxY, !taken.contains(where: { $0.y == y && $0.from < x + w && x < $0.to }) else { continue }
                let style = s.dimmed ? theme.style(s.role).adding(.dim) : theme.style(s.role)
                buffer.write(text, x: x, y: y, style: style, maxWidth: w)
                taken.append((y, x, x + w))
                break
            }
        }
    }

    /// Downsamples to one envelope per dot column in one pass over the points, then draws each
    /// column as a vertical stroke over its min…max, joined from the previous column's last point
    /// to its first. A point that cannot be drawn (NaN, ≤ 0 on a log scale, outside the x range)
    /// breaks the line. Values are transformed (log10) per column, not per point.
    /// Returns the dot of the series' last drawn point (nil when nothing was drawn).
    @discardableResult
    func draw(_ s: ChartSeries, on canvas: inout BrailleCanvas, x0: Double, xScale: Double, y0: Double, yScale: Double) -> (x: Int, y: Int)? {
        let dotW = canvas.dotWidth, dotH = canvas.dotHeight
        guard dotW > 0, dotH > 0 else { return nil }
        var lo = [Double](repeating: .nan, count: dotW), hi = lo, first = lo, last = lo
        var link = [Int](repeating: -1, count: dotW)
        let logarithmic: Bool
        switch self.yScale { case .linear: logarithmic = false; case .logarithmic: logarithmic = true }
        var col = -1
        s.xs.withUnsafeBufferPointer { xs in
            s.ys.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count {
                    let fx = (xs[i] - x0) * xScale
                    let y = ys[i]
                    let drawable = logarithmic ? (y > 0 && y.isFinite) : y.isFinite
                    guard fx > -0.5, fx < Double(dotW) - 0.5, drawable else {
                        col = -1
                        continue
                    }
                    let c = Int(fx.rounded())
                    if c != col {
                        if col >= 0 { link[c] = col }
                        if first[c].isNaN { (first[c], lo[c], hi[c]) = (y, y, y) }
                        col = c
                    }
                    if y < lo[c] { lo[c] = y }
                    if y > hi[c] { hi[c] = y }
                    last[c] = y
                }
            }
        }
        func row(_ y: Double) -> Int {
            let t = transform(y) ?? y0
            return min(dotH - 1, max(0, dotH - 1 - Int(((t - y0) * yScale).rounded())))
        }
        var end: (x: Int, y: Int)?
        for c in 0..<dotW where !first[c].isNaN {
            canvas.vertical(c, row(hi[c]), row(lo[c]), role: s.role, dim: s.dimmed, pattern: s.pattern)
            let from = link[c]
            if from >= 0 { canvas.line(from, row(last[from]), c, row(first[c]), role: s.role, dim: s.dimmed, pattern: s.pattern) }
            end = (c, row(last[c]))
        }
        return end
    }

    func drawAxes(into buffer: inout ScreenBuffer, geometry g: Geometry, area: Rect, theme: Theme) {
        let plot = g.plot
        let axis = theme.style(.axis)
        let label = theme.style(.dim)
        let axisX = plot.x - 1, axisY = plot.maxY
        for y in plot.y..<plot.maxY { buffer.set(x: axisX, y: y, "│", style: axis) }
        buffer.set(x: axisX, y: axisY, "└", style: axis)
        for x in plot.x..<plot.maxX { buffer.set(x: x, y: axisY, "─", style: axis) }
        let ySpan = g.yRange.upperBound - g.yRange.lowerBound
        let dotH = plot.height * 4
        for (value, text) in g.yTicks where yLabels {
            let dot = dotH - 1 - Int(((value - g.yRange.lowerBound) / ySpan * Double(dotH - 1)).rounded())
            let row = plot.y + min(plot.height - 1, max(0, dot / 4))
            buffer.set(x: axisX, y: row, "┤", style: axis)
            let lx = max(area.x, axisX - DisplayWidth.of(text))
            buffer.write(text, x: lx, y: row, style: label, maxWidth: axisX - lx)
        }
        let xSpan = g.xRange.upperBound - g.xRange.lowerBound
        let dotW = plot.width * 2
        var nextFree = area.x
        for (value, text) in g.xTicks {
            let dot = Int(((value - g.xRange.lowerBound) / xSpan * Double(dotW - 1)).rounded())
            let col = plot.x + dot / 2
            buffer.set(x: col, y: axisY, "┴", style: axis)
            let w = DisplayWidth.of(text)
            var lx = col - w / 2
            lx = min(lx, plot.maxX - w)
            if lx < nextFree { continue }
            buffer.write(text, x: lx, y: axisY + 1, style: label, maxWidth: w)
            nextFree = lx + w + 1
        }
    }

    /// Marker labels near the top of the plot: right of their line, or left of it when there is
    /// no room (the latest change is usually at the right edge); on the top row left of `limit`
    /// (the legend), else on the second row. Labels never overlap; one that cannot be placed is
    /// dropped (the marker line stays).
    func drawMarkerLabels(into buffer: inout ScreenBuffer, plot: Rect, limit: Int, x0: Double, xScale: Double, theme: Theme) {
        let rows = min(2, plot.height)
        guard rows > 0 else { return }
        var nextFree = [Int](repeating: plot.x, count: rows)
        for m in markers.sorted(by: { $0.x < $1.x }) {
            guard let text = m.label, m.x >= x0 else { continue }
            let col = plot.x + Int(((m.x - x0) * xScale).rounded()) / 2
            let w = DisplayWidth.of(text)
            placing: for r in 0..<rows {
                let end = r == 0 ? min(limit, plot.maxX) : plot.maxX
                for lx in [col + 1, col - w] where lx >= nextFree[r] && lx + w <= end {
                    buffer.write(text, x: lx, y: plot.y + r, style: theme.style(.marker), maxWidth: w)
                    nextFree[r] = lx + w + 1
                    break placing
                }
            }
        }
    }

    /// The legend: "▬ name" per series, right-aligned on the plot's top or bottom row, dropped
    /// when wider than about half the plot. Returns the column where it starts (`plot.maxX` if none).
    @discardableResult
    func drawLegend(into buffer: inout ScreenBuffer, plot: Rect, theme: Theme) -> Int {
        let entries = series.filter(\.inLegend)
        guard legend != .hidden, !entries.isEmpty, plot.height >= 2 else { return plot.maxX }
        let width = entries.reduce(0) { $0 + DisplayWidth.of($1.name) + 3 } - 1
        guard width <= plot.width / 2 + 4, width < plot.width else { return plot.maxX }
        var x = plot.maxX - width
        let start = x
        let y = legend == .top ? plot.y : plot.maxY - 1
        buffer.fill(Rect(x: start - 1, y: y, width: width + 1, height: 1), style: theme.style(.text))
        for s in entries {
            buffer.write(s.glyph.map(String.init) ?? s.pattern.legendSample, x: x, y: y, style: theme.style(s.role), maxWidth: 1)
            x += 2
            x += buffer.write(s.name, x: x, y: y, style: theme.style(.text), maxWidth: plot.maxX - x) + 1
        }
        return start
    }
}

/// Where a chart's legend goes.
public enum LegendPosition: Sendable {
    case top, bottom, hidden
}

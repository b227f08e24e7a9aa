/// One line on a chart: y values at ascending x values (training steps), drawn in a theme role.
public struct ChartSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var role: ThemeRole
    /// Show in the legend (a faint raw series behind its smoothed version usually is not).
    public var inLegend: Bool
    /// Drawn with the dim attribute, behind the others: another run's curve overlaid for comparison.
    public var dimmed: Bool = false
    /// Written at the series' last point (e.g. the run id of an overlaid curve), so several
    /// overlays stay identifiable without a legend entry each.
    public var endLabel: String?
    /// How the line is stroked: in a monochrome theme every series has the same colour, so the
    /// pattern (and `glyph`) is what tells them apart.
    public var pattern: LinePattern = .solid
    /// Drawn over each point when the series is sparse (evaluations: one point every few hundred
    /// steps), so a single evaluation is visible and series differ by shape as well as colour.
    public var glyph: Character?

    public init(name: String, xs: [Double], ys: [Double], role: ThemeRole, inLegend: Bool = true) {
        precondition(xs.count == ys.count, "ChartSeries: xs and ys differ in length")
        self.name = name
        self.xs = xs
        self.ys = ys
        self.role = role
        self.inLegend = inLegend
    }

    /// Values at x = 0, 1, 2, …
    public init(name: String, values: [Double], role: ThemeRole, inLegend: Bool = true) {
        self.init(name: name, xs: values.indices.map(Double.init), ys: values, role: role, inLegend: inLegend)
    }

    /// The same series smoothed with a debiased EMA (see `Smoothing`).
    public func smoothed(weight: Double, name: String? = nil, role: ThemeRole? = nil) -> ChartSeries {
        var s = ChartSeries(name: name ?? self.name, xs: xs, ys: Smoothing.exponential(ys, weight: weight),
                            role: role ?? self.role, inLegend: inLegend)
        s.dimmed = dimmed
        s.endLabel = endLabel
        s.pattern = pattern
        s.glyph = glyph
        return s
    }

    /// This series stroked with `pattern` and marked with `glyph` at sparse points.
    public func styled(_ pattern: LinePattern, glyph: Character? = nil) -> ChartSeries {
        var s = self
        s.pattern = pattern
        s.glyph = glyph
        return s
    }

    /// This series as an overlay: dimmed, out of the legend, labelled at its end.
    public func overlay(label: String) -> ChartSeries {
        var s = self
        s.dimmed = true
        s.inLegend = false
        s.endLabel = label
        return s
    }
}

/// A vertical line at an x value, e.g. where a setting changed during training.
public struct ChartMarker: Sendable, Equatable {
    public var x: Double
    public var label: String?
    public init(x: Double, label: String? = nil) {
        self.x = x
        self.label = label
    }
}

/// How values map to the vertical axis.
public enum AxisScale: Sendable {
    case linear
    /// log10; values ≤ 0 are not drawn.
    case logarithmic
}

/// A line's stroke: which dot columns of it are drawn.
public enum LinePattern: Sendable, Equatable {
    case solid
    /// Four dot columns on, two off.
    case dashed
    /// One dot column in three.
    case dotted

    @inline(__always)
    func keeps(_ x: Int) -> Bool {
        switch self {
        case .solid: return true
        case .dashed: return x % 6 < 4
        case .dotted: return x % 3 == 0
        }
    }

    /// What the legend shows for a series without a glyph.
    var legendSample: String {
        switch self {
        case .solid: return "▬"
        case .dashed: return "╍"
        case .dotted: return "┄"
        }
    }
}

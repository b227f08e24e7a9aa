/// One line on a chart: y values at ascending x values (training steps), drawn in a theme role.
public struct ChartSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var role: ThemeRole
    /// Show in the legend (a faint raw series behind its smoothed version usually is not).
    public var inLegend: Bool

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
        ChartSeries(name: name ?? self.name, xs: xs, ys: Smoothing.exponential(ys, weight: weight),
                    role: role ?? self.role, inLegend: inLegend)
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

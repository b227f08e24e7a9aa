import Foundation

/// A numeric knob: `label  ━━━━━●───────  0.50`.
///
/// The value belongs to the caller (e.g. live training settings); the slider renders it and
/// computes new values for key presses (`stepped`) and mouse clicks (`value(atColumn:in:)`),
/// always snapped to `step` and clamped to `range`.
public struct Slider: Widget, Sendable {
    public var label: String
    public var value: Double
    public var range: ClosedRange<Double>
    /// Fine step (←/→, h/l).
    public var step: Double
    /// Coarse step (`[` / `]`).
    public var coarseStep: Double
    public var focused: Bool
    /// Columns reserved for the label (nil: the label's width + 1).
    public var labelWidth: Int?
    /// Columns reserved for the value text at the right.
    public var valueWidth: Int
    public var format: @Sendable (Double) -> String

    public init(label: String, value: Double, range: ClosedRange<Double>, step: Double, coarseStep: Double? = nil,
                focused: Bool = false, labelWidth: Int? = nil, valueWidth: Int = 6,
                format: @escaping @Sendable (Double) -> String = { String(format: "%.2f", $0) }) {
        self.label = label
        self.value = value
        self.range = range
        self.step = step
        self.coarseStep = coarseStep ?? step * 5
        self.focused = focused
        self.labelWidth = labelWidth
        self.valueWidth = valueWidth
        self.format = format
    }

    /// `v` snapped to the step grid starting at the range's lower bound, clamped to the range.
    public func snapped(_ v: Double) -> Double {
        guard step > 0 else { return min(max(v, range.lowerBound), range.upperBound) }
        let k = ((v - range.lowerBound) / step).rounded()
        let s = range.lowerBound + k * step
        // Remove binary noise such as 0.30000000000000004 so values print and compare cleanly.
        let cleaned = Double(String(format: "%.12g", s)) ?? s
        return min(max(cleaned, range.lowerBound), range.upperBound)
    }

    /// The value `steps` fine (or coarse) steps away from the current one.
    public func stepped(by steps: Int, coarse: Bool = false) -> Double {
        snapped(value + Double(steps) * (coarse ? coarseStep : step))
    }

    /// Where the track is for `area` (one row).
    public func trackRect(in area: Rect) -> Rect {
        let lw = min(labelWidth ?? DisplayWidth.of(label) + 2, area.width / 2)
        return Rect(x: area.x + lw, y: area.y, width: area.width - lw - valueWidth - 1, height: 1)
    }

    /// The value under column `x` (a mouse click), or nil when `x` is not on the track.
    public func value(atColumn x: Int, in area: Rect) -> Double? {
        let track = trackRect(in: area)
        guard track.width >= 2, x >= track.x, x < track.maxX else { return nil }
        let fraction = Double(x - track.x) / Double(track.width - 1)
        return snapped(range.lowerBound + fraction * (range.upperBound - range.lowerBound))
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        let track = trackRect(in: row)
        let labelStyle = theme.style(focused ? .focus : .text)
        buffer.write((focused ? "▸" : " ") + label, x: row.x, y: row.y, style: labelStyle, maxWidth: track.x - row.x)
        let text = format(value)
        buffer.write(text, x: row.maxX - min(valueWidth, DisplayWidth.of(text)), y: row.y,
                     style: theme.style(focused ? .focus : .text), maxWidth: valueWidth)
        guard track.width >= 2 else { return }
        let span = range.upperBound - range.lowerBound
        let fraction = span > 0 ? min(1, max(0, (value - range.lowerBound) / span)) : 0
        let knob = track.x + Int((fraction * Double(track.width - 1)).rounded())
        for x in track.x..<track.maxX {
            if x < knob {
                buffer.set(x: x, y: row.y, "━", style: theme.style(.sliderFill))
            } else if x == knob {
                buffer.set(x: x, y: row.y, "●", style: theme.style(focused ? .focus : .sliderFill))
            } else {
                buffer.set(x: x, y: row.y, "─", style: theme.style(.slider))
            }
        }
    }
}

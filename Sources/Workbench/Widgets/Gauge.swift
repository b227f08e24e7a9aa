import Foundation

/// A progress bar with eighth-cell precision and a centred label: `████▌      42%`.
public struct Gauge: Widget, Sendable {
    public var ratio: Double
    public var label: String?

    public init(ratio: Double, label: String? = nil) {
        self.ratio = ratio
        self.label = label
    }

    static let partials: [Unicode.Scalar] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let r = ratio.isFinite ? min(1, max(0, ratio)) : 0
        let eighths = Int((r * Double(area.width * 8)).rounded())
        let full = eighths / 8, part = eighths % 8
        let fill = theme.style(.sliderFill), empty = theme.style(.slider)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                let i = x - area.x
                if i < full { buffer.set(x: x, y: y, "█", style: fill) }
                else if i == full && part > 0 { buffer.set(x: x, y: y, Gauge.partials[part], style: fill) }
                else { buffer.set(x: x, y: y, "░", style: empty) }
            }
        }
        let text = label ?? "\(Int((r * 100).rounded()))%"
        buffer.write(text, in: area.row(area.height / 2), alignment: .center, style: theme.style(.text).adding(.bold))
    }
}

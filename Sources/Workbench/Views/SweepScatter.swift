import DropoutNet
import Foundation

/// Every measured trial at (warm, cold) validation recall in braille, the Pareto front joined
/// (dimmed) and drawn in the `good` colour, the highlighted trial marked `◆`: the trade-off preference
/// dropout makes, and which trials are worth choosing between.
struct SweepScatter: Widget {
    var trials: [SweepTrial]
    /// Trial numbers on the front (`SweepAnalysis.paretoFront`, by warm ascending).
    var front: [Int]
    var selected: Int?

    static let marker: Unicode.Scalar = "◆"

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        Block(title: "warm → · cold ↑", trailing: "front \(front.count) · v: settings").render(into: &buffer, area: area, theme: theme)
        let inner = Block.inner(area)
        let points = trials.compactMap { t in t.warmCold.map { (number: t.number, warm: $0.warm, cold: $0.cold) } }
        guard !points.isEmpty else {
            Paragraph("no trial measured yet", role: .dim).render(into: &buffer, area: inner, theme: theme)
            return
        }
        let labelWidth = 7
        let plot = Rect(x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth, height: inner.height - 1)
        guard plot.width >= 4, plot.height >= 2 else { return }
        let (x0, x1) = SweepScatter.range(points.map(\.warm))
        let (y0, y1) = SweepScatter.range(points.map(\.cold))
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let (dotWidth, dotHeight) = (canvas.dotWidth, canvas.dotHeight)
        func dot(_ warm: Double, _ cold: Double) -> (Int, Int) {
            let x = Int(((warm - x0) / (x1 - x0) * Double(dotWidth - 2)).rounded())
            let y = Int(((y1 - cold) / (y1 - y0) * Double(dotHeight - 2)).rounded())
            return (x, y)
        }
        let onFront = Set(front)
        for p in points where !onFront.contains(p.number) {
            let (x, y) = dot(p.warm, p.cold)
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { canvas.set(x + dx, y + dy, role: .dim) }
        }
        let frontPoints = front.compactMap { n in points.first { $0.number == n } }.map { dot($0.warm, $0.cold) }
        for (a, b) in zip(frontPoints, frontPoints.dropFirst()) { canvas.line(a.0, a.1, b.0, b.1, role: .good, dim: true) }
        for (x, y) in frontPoints {
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { canvas.set(x + dx, y + dy, role: .good) }
        }
        canvas.render(into: &buffer, x: plot.x, y: plot.y, theme: theme)
        if let selected, let p = points.first(where: { $0.number == selected }) {
            let (x, y) = dot(p.warm, p.cold)
            buffer.set(x: plot.x + x / 2, y: plot.y + y / 4, SweepScatter.marker, style: theme.style(.marker))
        }
        let axis = theme.style(.axis)
        buffer.write(String(format: "%.3f", y1), x: inner.x, y: plot.y, style: axis, maxWidth: labelWidth - 1)
        buffer.write(String(format: "%.3f", y0), x: inner.x, y: plot.maxY - 1, style: axis, maxWidth: labelWidth - 1)
        let bottom = Rect(x: plot.x, y: plot.maxY, width: plot.width, height: 1)
        buffer.write(String(format: "%.3f", x0), in: bottom, alignment: .left, style: axis)
        buffer.write("warm recall", in: bottom, alignment: .center, style: axis)
        buffer.write(String(format: "%.3f", x1), in: bottom, alignment: .right, style: axis)
    }

    /// The values' span, widened by 5% each side (a single value gets ±0.01).
    static func range(_ values: [Double]) -> (Double, Double) {
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        guard hi > lo else { return (lo - 0.01, hi + 0.01) }
        let pad = (hi - lo) * 0.05
        return (lo - pad, hi + pad)
    }
}

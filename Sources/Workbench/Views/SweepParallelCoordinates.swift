import DropoutNet
import Foundation

/// Every trial with an objective as a line across one vertical axis per swept setting and a
/// last axis for the objective (top: the range's high end, the last choice, the best
/// objective): where the good trials' lines gather on an axis, that setting matters. The best
/// trial is drawn in the `good` colour, the highlighted one as the `marker`, the rest dimmed.
struct SweepParallelCoordinates: Widget {
    var trials: [SweepTrial]
    var parameters: [SweepParameter]
    var selected: Int?

    /// Where `text` sits on the parameter's axis, 0 (bottom) … 1 (top).
    static func position(_ text: String, on p: SweepParameter) -> Double? {
        switch p.domain {
        case .choices(let c):
            guard let i = c.firstIndex(of: text) else { return nil }
            return c.count > 1 ? Double(i) / Double(c.count - 1) : 0.5
        case .range:
            guard let axis = p.axis, let x = p.coordinate(of: text), axis.upperBound > axis.lowerBound else { return nil }
            return min(1, max(0, (x - axis.lowerBound) / (axis.upperBound - axis.lowerBound)))
        }
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        Block(title: "settings → objective", trailing: "v: scatter").render(into: &buffer, area: area, theme: theme)
        let inner = Block.inner(area)
        let measured = trials.filter { $0.result.objective != nil }
        guard !measured.isEmpty, !parameters.isEmpty else {
            Paragraph("no trial measured yet", role: .dim).render(into: &buffer, area: inner, theme: theme)
            return
        }
        let plot = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        guard plot.width >= 4, plot.height >= 2 else { return }
        let axes = parameters.count + 1
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let (dotWidth, dotHeight) = (canvas.dotWidth, canvas.dotHeight)
        let axisX = (0..<axes).map { $0 * (dotWidth - 1) / max(1, axes - 1) }
        for x in axisX { canvas.vertical(x, 0, dotHeight - 1, role: .axis, dim: true) }
        let objectives = measured.map { $0.result.objective! }
        let (lo, hi) = (objectives.min()!, objectives.max()!)
        let best = measured.max { ($0.result.objective!, -$0.number) < ($1.result.objective!, -$1.number) }?.number
        // Dimmed lines first, then the best, then the highlighted one on top.
        let order = measured.sorted { rank($0.number, best: best) < rank($1.number, best: best) }
        for t in order {
            var ys = parameters.map { p in t.values[p.key].flatMap { SweepParallelCoordinates.position($0, on: p) } }
            ys.append(hi > lo ? (t.result.objective! - lo) / (hi - lo) : 0.5)
            let role: ThemeRole = t.number == selected ? .marker : t.number == best ? .good : .dim
            let dots = ys.map { $0.map { Int(((1 - $0) * Double(dotHeight - 1)).rounded()) } }
            for i in 0..<(axes - 1) {
                guard let a = dots[i], let b = dots[i + 1] else { continue }
                canvas.line(axisX[i], a, axisX[i + 1], b, role: role)
            }
        }
        canvas.render(into: &buffer, x: plot.x, y: plot.y, theme: theme)
        // Names under the axes, cut to the space between them.
        let names = parameters.map(\.key) + ["objective"]
        let room = max(3, plot.width / axes - 1)
        for (i, name) in names.enumerated() {
            let x = plot.x + axisX[i] / 2
            let text = String(name.prefix(room))
            let start = min(max(inner.x, x - text.count / 2), inner.maxX - text.count)
            buffer.write(text, x: start, y: plot.maxY, style: theme.style(i == axes - 1 ? .accent : .axis), maxWidth: text.count)
        }
    }

    private func rank(_ n: Int, best: Int?) -> Int { n == selected ? 2 : n == best ? 1 : 0 }
}

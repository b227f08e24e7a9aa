import DropoutNet
import Foundation

/// The loss chart after a live change of `loss`: each stretch of one loss on its own y-range.
extension TrainView {
    /// The step ranges over which one loss was in force: a new one at each live change of `loss`.
    static func lossSegments(_ changes: [SettingChange], until step: Int) -> [(from: Double, to: Double, loss: String)] {
        var out: [(from: Double, to: Double, loss: String)] = []
        var start = 0.0
        var current: String?
        for c in changes where c.key == "loss" {
            current = current ?? c.old
            if Double(c.step) > start { out.append((start, Double(c.step), current!)) }
            start = Double(c.step)
            current = c.new
        }
        guard let current else { return [] }
        out.append((start, Double(max(step, Int(start))), current))
        return out
    }

    /// `s` smoothed (debiased EMA, as everywhere on the chart) from the start of each segment.
    static func smoothedPerSegment(_ s: ChartSeries, segments: [(from: Double, to: Double, loss: String)], name: String, role: ThemeRole) -> ChartSeries {
        var ys: [Double] = []
        ys.reserveCapacity(s.ys.count)
        var start = 0
        while start < s.xs.count {
            let k = segments.lastIndex { s.xs[start] >= $0.from } ?? 0
            let next = k + 1 < segments.count ? segments[k + 1].from : .infinity
            var end = start
            while end < s.xs.count && s.xs[end] < next { end += 1 }
            ys += Smoothing.exponential(Array(s.ys[start..<end]), weight: 0.9)
            start = end
        }
        var out = ChartSeries(name: name, xs: s.xs, ys: ys, role: role, inLegend: s.inLegend)
        out.pattern = s.pattern
        return out
    }

    /// Each series rescaled within each segment to 0…1 of that segment's range (of `reference`,
    /// the raw loss, in log10 when `log`), and one label per segment naming its range.
    static func scaledPerSegment(_ series: [ChartSeries], reference: ChartSeries, segments: [(from: Double, to: Double, loss: String)],
                                 log: Bool) -> (series: [ChartSeries], ranges: [(from: Double, label: String)]) {
        func t(_ y: Double) -> Double? { log ? (y > 0 ? log10(y) : nil) : (y.isFinite ? y : nil) }
        func segment(_ x: Double) -> Int { segments.lastIndex { x >= $0.from } ?? 0 }
        var lo = [Double](repeating: .infinity, count: segments.count), hi = [Double](repeating: -.infinity, count: segments.count)
        for s in series.filter({ !$0.dimmed && $0.name != reference.name }) + [reference] {
            for (x, y) in zip(s.xs, s.ys) { if let v = t(y) { let k = segment(x); lo[k] = min(lo[k], v); hi[k] = max(hi[k], v) } }
        }
        let scaled: [ChartSeries] = series.map { s in
            var out = s
            out.ys = zip(s.xs, s.ys).map { x, y in
                let k = segment(x)
                guard let v = t(y), lo[k].isFinite else { return .nan }
                return hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0.5
            }
            return out
        }
        let ranges = segments.indices.compactMap { k -> (from: Double, label: String)? in
            guard lo[k].isFinite else { return nil }
            let (a, b) = log ? (pow(10, lo[k]), pow(10, hi[k])) : (lo[k], hi[k])
            let loss = segments[k].loss.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            return (segments[k].from, String(format: "%@ %.3g–%.3g", loss, a, b))
        }
        return (scaled, ranges)
    }
}

import Foundation

/// Measures the cost of a typical workbench frame without a terminal: a 200×60 screen with a
/// header, two charts (a loss chart with raw + smoothed series and a recall chart with three
/// series), a table and a status line, re-rendered as data arrives, then diffed against the
/// previous frame. `dropoutnet bench frame` prints it.
public enum FrameBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var width: Int
        public var height: Int
        public var frames: Int
        public var pointsPerLossSeries: Int
        /// Mean milliseconds of CPU time (this thread) to render a whole frame into the buffer;
        /// CPU time rather than wall time so a busy machine does not inflate the figure.
        public var renderMilliseconds: Double
        /// Mean milliseconds of CPU time to diff it against the previous frame (runs of changed cells).
        public var diffMilliseconds: Double
        /// Mean wall-clock milliseconds for render + diff.
        public var wallMilliseconds: Double
        /// Mean cells that changed per frame.
        public var changedCells: Double

        public var description: String {
            String(format: "frame %d×%d, %d frames, loss series %d points: render %.3f ms, diff %.3f ms (CPU), %.3f ms wall, %.0f cells changed per frame",
                   width, height, frames, pointsPerLossSeries, renderMilliseconds, diffMilliseconds, wallMilliseconds, changedCells)
        }
    }

    /// Renders `frames` frames; each frame appends 20 loss points and, every 10th frame, an
    /// evaluation point, as a live run would.
    public static func run(width: Int = 200, height: Int = 60, frames: Int = 50, initialPoints: Int = 5000,
                           theme: Theme = .builtinDefault) -> Result {
        var state = Workload(points: initialPoints)
        var previous: ScreenBuffer?
        var buffer = ScreenBuffer(width: width, height: height)
        var renderTime = 0.0, diffTime = 0.0, wallTime = 0.0, changed = 0
        for frame in 0..<frames {
            state.advance(frame: frame)
            let w0 = DispatchTime.now().uptimeNanoseconds
            let t0 = cpuNanoseconds()
            render(state, into: &buffer, theme: theme)
            let t1 = cpuNanoseconds()
            var cells = 0
            ScreenDiff(from: previous, to: buffer).forEachRun { _, _, run in cells += run.count }
            let t2 = cpuNanoseconds()
            let w1 = DispatchTime.now().uptimeNanoseconds
            if frame > 0 {
                renderTime += Double(t1 - t0) / 1e6
                diffTime += Double(t2 - t1) / 1e6
                wallTime += Double(w1 - w0) / 1e6
                changed += cells
            }
            previous = buffer
        }
        let n = Double(max(1, frames - 1))
        return Result(width: width, height: height, frames: frames, pointsPerLossSeries: state.lossY.count,
                      renderMilliseconds: renderTime / n, diffMilliseconds: diffTime / n,
                      wallMilliseconds: wallTime / n, changedCells: Double(changed) / n)
    }

    static func cpuNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Synthetic training curves: a noisy decaying loss and three rising recall curves.
    struct Workload {
        var lossX: [Double] = [], lossY: [Double] = []
        var evalX: [Double] = [], warm: [Double] = [], coldUser: [Double] = [], coldItem: [Double] = []
        var markers: [ChartMarker] = []
        var seed: UInt64 = 0x9E3779B97F4A7C15

        init(points: Int) {
            for _ in 0..<points { appendLoss() }
            while evalX.count < points / 100 { appendEval() }
        }

        mutating func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }

        mutating func appendLoss() {
            let step = Double(lossX.count)
            lossX.append(step)
            lossY.append(0.2 + 2 * exp(-step / 1500) + 0.15 * noise())
        }

        mutating func appendEval() {
            let step = Double(evalX.count * 100)
            evalX.append(step)
            let p = 1 - exp(-step / 2000)
            warm.append(0.3 * p + 0.01 * noise())
            coldUser.append(0.2 * p + 0.01 * noise())
            coldItem.append(0.25 * p + 0.01 * noise())
        }

        mutating func advance(frame: Int) {
            for _ in 0..<20 { appendLoss() }
            if frame % 10 == 0 { appendEval() }
            if frame % 25 == 0 { markers.append(ChartMarker(x: Double(lossX.count - 1), label: "M=\(frame / 25 + 2)")) }
        }
    }

    static func render(_ w: Workload, into buffer: inout ScreenBuffer, theme: Theme) {
        buffer.clear(theme.baseCell)
        let screen = buffer.bounds
        let rows = screen.split(rows: [.fixed(1), .fill(1), .fixed(1)])
        buffer.write("DropoutNet Workbench · step \(w.lossX.count) · training", in: rows[0], style: theme.style(.title))
        let columns = rows[1].split(columns: [.fixed(44), .fill(1)])
        let knobs = Block(title: "Knobs", focused: true)
        knobs.render(into: &buffer, area: columns[0], theme: theme)
        let knobArea = Block.inner(columns[0]).split(rows: [.fixed(1), .fixed(1), .fixed(1), .fill(1)])
        Slider(label: "item dropout", value: 0.5, range: 0...1, step: 0.05, focused: true, labelWidth: 14)
            .render(into: &buffer, area: knobArea[0], theme: theme)
        Slider(label: "user dropout", value: 0.3, range: 0...1, step: 0.05, labelWidth: 14)
            .render(into: &buffer, area: knobArea[1], theme: theme)
        Picker(label: "M", options: ["1", "2", "4", "8"].map { PickerOption($0) }, selected: 1, labelWidth: 14)
            .render(into: &buffer, area: knobArea[2], theme: theme)
        let table = Table(
            columns: [TableColumn("split", alignment: .left), TableColumn("R@20"), TableColumn("Δ")],
            rows: (0..<12).map { i in
                [TableCell("split \(i)"), .number(w.warm.last.map { $0 + Double(i) * 0.01 }), .delta(Double(i - 6) * 0.001)]
            })
        table.render(into: &buffer, area: knobArea[3], theme: theme)
        let charts = columns[1].split(rows: [.percent(50), .fill(1)])
        let loss = ChartSeries(name: "loss", xs: w.lossX, ys: w.lossY, role: .seriesLoss, inLegend: false)
        Block(title: "Loss").render(into: &buffer, area: charts[0], theme: theme)
        LineChart(series: [loss, loss.smoothed(weight: 0.9, name: "loss (smoothed)", role: .seriesLossSmooth)],
                  markers: w.markers, yScale: .logarithmic)
            .render(into: &buffer, area: Block.inner(charts[0]), theme: theme)
        Block(title: "Recall@20").render(into: &buffer, area: charts[1], theme: theme)
        LineChart(series: [
            ChartSeries(name: "warm", xs: w.evalX, ys: w.warm, role: .seriesWarm),
            ChartSeries(name: "cold user", xs: w.evalX, ys: w.coldUser, role: .seriesColdUser),
            ChartSeries(name: "cold item", xs: w.evalX, ys: w.coldItem, role: .seriesColdItem),
        ], markers: w.markers).render(into: &buffer, area: Block.inner(charts[1]), theme: theme)
        StatusLine(message: Span("training", role: .good), hints: [("?", "help"), ("q", "quit"), ("Space", "pause")],
                   trailing: "samples/s 12345").render(into: &buffer, area: rows[2], theme: theme)
    }
}

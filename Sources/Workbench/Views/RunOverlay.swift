import DropoutNet

/// An earlier run's curves, read once from the run store, drawn dimmed behind the Train
/// screen's own: its loss (bucket means, smoothed like the live loss) and its validation
/// recall@20 per split.
public struct RunOverlay: Sendable, Equatable {
    public struct Curve: Sendable, Equatable {
        public var xs: [Double]
        public var ys: [Double]
        public init(xs: [Double], ys: [Double]) { self.xs = xs; self.ys = ys }
    }

    public var run: RunID
    /// What the charts write at the end of each curve.
    public var label: String
    public var loss: Curve
    /// Validation recall@20 keyed by split suffix ("warm", "cold_user", "cold_item").
    public var recall: [String: Curve]
    /// The run was still recording when read (its curves may grow).
    public var isLive: Bool

    public init(run: RunID, label: String, loss: Curve, recall: [String: Curve], isLive: Bool = false) {
        self.run = run; self.label = label; self.loss = loss; self.recall = recall; self.isLive = isLive
    }

    /// Reads `run`'s curves from `store` (a few indexed queries; call it when a run is
    /// selected or on a slow refresh, never per frame).
    public static func load(from store: RunStore, run: RunRecord, k: Int = 20) throws -> RunOverlay {
        let points = try store.lossCurve(run.id)
        let loss = Curve(xs: points.map { Double($0.step) }, ys: Smoothing.exponential(points.map(\.loss), weight: 0.9))
        let evals = try store.evalCurve(run.id, metric: "recall", k: k)
        // Validation curves, as the live chart shows; a run evaluated without a validation split
        // falls back to its test splits.
        let hasValidation = evals.contains { $0.split.hasPrefix("validation_") }
        var recall: [String: Curve] = [:]
        for (suffix, _, _) in TrainView.splitRoles {
            let name = hasValidation ? "validation_" + suffix : suffix
            let mine = evals.filter { $0.split == name }
            if !mine.isEmpty { recall[suffix] = Curve(xs: mine.map { Double($0.step) }, ys: mine.map(\.value)) }
        }
        return RunOverlay(run: run.id, label: shortLabel(run.id), loss: loss, recall: recall, isLive: run.status == .running)
    }

    /// The run id without its date ("041500-ab12" of "20261129-041500-ab12"): unique enough on
    /// a chart, short enough to sit at a line's end.
    public static func shortLabel(_ id: RunID) -> String { id.short }

    /// The loss overlay series.
    var lossSeries: ChartSeries? {
        loss.xs.isEmpty ? nil : ChartSeries(name: label, xs: loss.xs, ys: loss.ys, role: .seriesOverlay).overlay(label: label)
    }

    /// The recall overlay series, in the splits' own colours (dimmed).
    var recallSeries: [ChartSeries] {
        TrainView.splitRoles.compactMap { suffix, name, role in
            recall[suffix].map { ChartSeries(name: "\(label) \(name)", xs: $0.xs, ys: $0.ys, role: role).overlay(label: label) }
        }
    }
}

import DropoutNet
import Foundation

/// The Runs screen's model: earlier runs of the runs directory with their best validation
/// recall@20, the list's state, and the runs selected for overlay with their curves. `Space`
/// selects runs whose curves the Train screen overlays (dimmed, labelled by run id); selecting
/// again removes them.
///
/// Everything is read from the store here, on the UI thread's own schedule: the list when the
/// screen opens, a run's curves when it is selected, and the curves of selected runs that are
/// still recording every `refreshInterval` seconds — never while drawing a frame (`view` hands
/// `RunsView` what was read).
struct RunsBrowser {
    let directory: String
    private(set) var runs: [RunRecord] = []
    private(set) var best: [RunID: BestEvaluation] = [:]
    /// Each run's settings in force at its best step, with its live changes.
    private(set) var inForce: [RunID: SettingsInForce] = [:]
    private(set) var problem: String?
    var list = ListState()
    /// Selected runs' curves, in the order they were selected.
    private(set) var overlays: [RunOverlay] = []
    private var store: RunStore?
    private var refreshed = Date.distantPast
    static let refreshInterval = 5.0

    init(directory: String?) {
        self.directory = directory ?? RunStore.defaultDirectory
    }

    /// What the screen shows now (the app adds the hit map).
    var view: RunsView {
        RunsView(directory: directory, runs: runs, best: best, inForce: inForce, problem: problem, overlaid: overlays.map(\.run))
    }

    /// Re-reads the list of runs and their best evaluations.
    mutating func reload() {
        problem = nil
        do {
            guard let store = try openStore() else {
                runs = []
                problem = "no runs recorded yet in \(directory)/"
                return
            }
            runs = try store.listRuns().reversed()          // newest first
            var best: [RunID: BestEvaluation] = [:]
            var inForce: [RunID: SettingsInForce] = [:]
            for r in runs {
                best[r.id] = try store.bestEvaluation(r.id)
                inForce[r.id] = try store.settingsInForce(r, best: best[r.id])
            }
            self.best = best
            self.inForce = inForce
            if runs.isEmpty { problem = "no runs recorded yet in \(directory)/" }
        } catch {
            problem = "cannot read \(directory)/\(RunStore.fileName): \(error)"
        }
    }

    private mutating func openStore() throws -> RunStore? {
        if let store { return store }
        let url = URL(fileURLWithPath: directory)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(RunStore.fileName).path) else { return nil }
        store = try RunStore(directory: url, create: false)
        return store
    }

    var highlighted: RunRecord? { list.selectedIndex(in: view.rows).map { runs[$0] } }

    /// Selects the highlighted run (reading its curves) or deselects it. Returns a message for
    /// the event line.
    mutating func toggleHighlighted() -> String? {
        guard let run = highlighted else { return nil }
        if let i = overlays.firstIndex(where: { $0.run == run.id }) {
            overlays.remove(at: i)
            return "overlay of \(run.id) removed"
        }
        do {
            guard let store = try openStore() else { return "no run store in \(directory)/" }
            let overlay = try RunOverlay.load(from: store, run: run)
            overlays.append(overlay)
            let evals = overlay.recall.values.map(\.xs.count).max() ?? 0
            return "overlaying \(run.id) on the Train charts (\(overlay.loss.xs.count) loss points, \(evals) evaluations)"
        } catch {
            return "cannot read run \(run.id): \(error)"
        }
    }

    mutating func clearSelection() -> String? {
        guard !overlays.isEmpty else { return nil }
        overlays.removeAll()
        return "overlays cleared"
    }

    /// Re-reads the curves of selected runs that were still recording, at most every
    /// `refreshInterval`. Returns true when something changed (the app redraws).
    mutating func refreshIfDue(now: Date = Date()) -> Bool {
        guard overlays.contains(where: \.isLive), now.timeIntervalSince(refreshed) >= RunsBrowser.refreshInterval,
              let store = try? openStore() else { return false }
        refreshed = now
        var changed = false
        for (i, o) in overlays.enumerated() where o.isLive {
            guard let record = try? store.run(o.run), let fresh = try? RunOverlay.load(from: store, run: record) else { continue }
            if fresh != o { overlays[i] = fresh; changed = true }
        }
        return changed
    }

    mutating func handle(_ key: Key, visibleRows: Int) -> String? {
        switch key {
        case .character(" "), .enter: return toggleHighlighted()
        case .character("x"): return clearSelection()
        default:
            _ = list.handle(key, items: view.rows, visibleRows: visibleRows)
            return nil
        }
    }
}

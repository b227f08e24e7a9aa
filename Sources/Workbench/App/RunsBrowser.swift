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
    /// Each run's note (`n` writes it).
    private(set) var notes: [RunID: String] = [:]
    /// The column the list is sorted by (`o` cycles, `O` reverses).
    private(set) var sort = RunsSort()
    /// The run `d` asked to delete, until `y` confirms (any other key keeps it).
    private(set) var confirmingDelete: RunID?
    /// The note being typed for a run (`n`; Enter saves, Esc drops).
    private(set) var editingNote: (run: RunID, text: String)?
    /// The session's own run and dataset: it cannot be deleted, and overlaying a run of
    /// another dataset warns (the app sets these).
    var currentRun: RunID?
    var currentDataset: DatasetIdentity?
    private var listRefreshed = Date.distantPast
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
        var view = RunsView(directory: directory, runs: runs, best: best, inForce: inForce, problem: problem, overlaid: overlays.map(\.run))
        view.notes = notes
        view.sort = sort
        view.currentDataset = currentDataset
        view.prompt = prompt
        return view
    }

    /// What the details line asks while a delete waits for `y` or a note is typed.
    var prompt: String? {
        if let run = confirmingDelete { return "delete run \(run) with its checkpoints? y deletes, any other key keeps it" }
        if let (run, text) = editingNote { return "note for \(run.short): \(text)▏ (Enter saves, Esc drops)" }
        return nil
    }

    /// True while a key press belongs to this screen's prompt (a note being typed, a delete to confirm).
    var isCapturingKeys: Bool { confirmingDelete != nil || editingNote != nil }

    /// Re-reads the list of runs and their best evaluations, keeping the highlighted run.
    mutating func reload() {
        let keep = highlighted?.id
        listRefreshed = Date()
        problem = nil
        do {
            guard let store = try openStore() else {
                runs = []
                problem = "no runs recorded yet in \(directory)/"
                return
            }
            runs = sort.apply(try store.listRuns(), best: [:])
            var best: [RunID: BestEvaluation] = [:]
            var inForce: [RunID: SettingsInForce] = [:]
            for r in runs {
                best[r.id] = try store.bestEvaluation(r.id)
                inForce[r.id] = try store.settingsInForce(r, best: best[r.id])
            }
            self.best = best
            self.inForce = inForce
            notes = (try? store.notes()) ?? [:]
            runs = sort.apply(runs, best: best)
            if let keep, let i = runs.firstIndex(where: { $0.id == keep }) { list.selected = i }
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
            if let mine = currentDataset, mine.fingerprint != run.dataset.fingerprint {
                // Curves of another dataset are on another scale: allowed, but said.
                return "warning: \(run.id) trained on \(run.dataset.name) [\(run.dataset.fingerprint.prefix(8))], not this session's \(mine.name) [\(mine.fingerprint.prefix(8))]: its curves are not comparable"
            }
            return "overlaying \(run.id) on the Train charts (\(overlay.loss.xs.count) loss points, \(evals) evaluations)"
        } catch {
            return "cannot read run \(run.id): \(error)"
        }
    }

    /// Deletes a run (confirmed) from the store and disk, and its overlay.
    mutating func delete(_ run: RunID) -> String {
        do {
            guard let store = try openStore() else { return "no run store in \(directory)/" }
            try store.deleteRun(run)
            overlays.removeAll { $0.run == run }
            reload()
            list.selected = min(list.selected, max(0, runs.count - 1))
            return "run \(run) deleted with its checkpoints"
        } catch {
            return "cannot delete \(run): \(error)"
        }
    }

    mutating func clearSelection() -> String? {
        guard !overlays.isEmpty else { return nil }
        overlays.removeAll()
        return "overlays cleared"
    }

    /// Re-reads the curves of selected runs that were still recording, at most every
    /// `refreshInterval`. Returns true when something changed (the app redraws).
    mutating func refreshIfDue(now: Date = Date(), listShown: Bool = false) -> Bool {
        // The list's running runs move on (steps, best recall): re-read it while it is shown.
        var listChanged = false
        if listShown && !isCapturingKeys && runs.contains(where: { $0.status == .running })
            && now.timeIntervalSince(listRefreshed) >= RunsBrowser.refreshInterval {
            let before = (runs, best)
            reload()
            listChanged = before.0 != runs || before.1 != best
        }
        guard overlays.contains(where: \.isLive), now.timeIntervalSince(refreshed) >= RunsBrowser.refreshInterval,
              let store = try? openStore() else { return listChanged }
        refreshed = now
        var changed = false
        for (i, o) in overlays.enumerated() where o.isLive {
            guard let record = try? store.run(o.run), let fresh = try? RunOverlay.load(from: store, run: record) else { continue }
            if fresh != o { overlays[i] = fresh; changed = true }
        }
        return changed || listChanged
    }

    mutating func handle(_ key: Key, visibleRows: Int) -> String? {
        if let run = confirmingDelete {
            confirmingDelete = nil
            guard key == .character("y") else { return "run \(run) kept" }
            return delete(run)
        }
        if let (run, text) = editingNote {
            switch key {
            case let .character(c): editingNote = (run, text + String(c))
            case .backspace: editingNote = (run, String(text.dropLast()))
            case .escape: editingNote = nil; return "note not changed"
            case .enter:
                editingNote = nil
                do {
                    guard let store = try openStore() else { return "no run store in \(directory)/" }
                    try store.setNote(run, text)
                    notes = try store.notes()
                    return text.trimmingCharacters(in: .whitespaces).isEmpty ? "note of \(run) removed" : "note of \(run) saved"
                } catch {
                    return "cannot save the note: \(error)"
                }
            default: break
            }
            return nil
        }
        switch key {
        case .character(" "), .enter: return toggleHighlighted()
        case .character("x"): return clearSelection()
        case .character("o"), .character("O"):
            sort = key == .character("o") ? sort.next() : sort.reversed()
            let keep = highlighted?.id
            runs = sort.apply(runs, best: best)
            if let keep, let i = runs.firstIndex(where: { $0.id == keep }) { list.selected = i; list.scrollToSelection(visibleRows: visibleRows) }
            return "runs sorted by \(sort.column.title) \(sort.descending ? "descending" : "ascending")"
        case .character("d"):
            guard let run = highlighted else { return nil }
            if run.id == currentRun { return "run \(run.id) is this session's run: it cannot be deleted while open" }
            if run.status == .running { return "run \(run.id) is still being recorded by another process" }
            confirmingDelete = run.id
            return nil
        case .character("n"):
            guard let run = highlighted else { return nil }
            editingNote = (run.id, notes[run.id] ?? "")
            return nil
        default:
            _ = list.handle(key, items: view.rows, visibleRows: visibleRows)
            return nil
        }
    }
}

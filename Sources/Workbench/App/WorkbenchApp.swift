import DropoutNet
import Foundation

/// The workbench: one UI loop on the calling (main) thread, driving a `TrainingSession` that
/// trains on its own thread. Only this loop touches the terminal.
///
/// Redraws happen only when the snapshot version, the explorer's result, the input or the size
/// changed, and at most every `frameInterval` seconds.
public final class WorkbenchApp {
    public enum Screen: Int, CaseIterable, Sendable { case train, explore, runs, sweep }

    public let session: TrainingSession
    public let terminal: Terminal
    public let themes: ThemeCatalog
    public private(set) var themeName: String
    public private(set) var theme: Theme
    public var screen: Screen = .train {
        didSet {
            if screen == .runs && oldValue != .runs {
                runs.currentDataset = recorder?.current.dataset
                runs.reload()
            }
        }
    }
    public internal(set) var focusedKnob = 0
    /// The knob being turned and not yet applied (see `KnobEdit`).
    public internal(set) var pendingEdit: KnobEdit?
    public internal(set) var showHelp = false {
        didSet { if !showHelp { helpPage = 0 } }
    }
    /// The help overlay's page (clamped when drawn).
    public internal(set) var helpPage = 0
    public internal(set) var confirmingQuit = false
    /// The loss chart's y axis is log10 (`L`).
    public internal(set) var lossLogScale = false
    /// What the evaluation chart plots (`m`, `K`).
    public internal(set) var chartMetric = ChartMetric()
    /// The loss chart draws the loss parts (`P`).
    public internal(set) var showLossParts = false
    /// The charts' cursor (`c` focuses the charts, ←/→ move it; nil: the knobs have the keys).
    public internal(set) var chartCursor: Int?
    /// Records each run in the run store; `r` then starts a new run there (nil: unrecorded).
    public var recorder: SessionRecorder?
    /// Where `t` remembers the chosen theme for the next session (nil: not remembered).
    public var configFile: URL?
    /// The dataset directory, for the `dropoutnet train` line `y` writes.
    public var dataPath: String?
    /// The `y` line and where it was written, shown until the next key.
    public internal(set) var trainLine: (line: String, where: String)?
    public private(set) var message: String?
    public internal(set) var finished = false
    /// Said after the terminal is restored (the checkpoint the quit prompt's `s` wrote).
    public internal(set) var exitNote: String?
    /// Set by the quit prompt's `s` until its checkpoint is written or refused.
    var savingToQuit: PendingSave?
    public let explorer: Explorer
    public let runsDirectory: String?
    /// The sweep `tui --sweep` shows on the Sweep screen, where `r` starts it (nil: none in this session).
    public var sweep: SweepMonitor?
    /// Whether `run` starts training at once (off while a sweep has the cores: `p` starts it).
    public var startsTraining = true
    public static let minimumSize = Size(width: 80, height: 24)
    /// Frames after a key or a resize come at most this often: 20 per second feels immediate.
    public var frameInterval = 0.05
    /// Frames for new training data alone come at most this often. Each frame costs the terminal
    /// (here and in a multiplexer) CPU that on a 2-core machine the training threads feel; the
    /// curves read just as well at 5 per second.
    public var dataFrameInterval = 0.2

    private var buffer = ScreenBuffer(width: 0, height: 0)
    private var messageTime = Date.distantPast
    private var popularity: EvaluationReport?
    private let popularityLock = NSLock()
    var runs: RunsBrowser
    /// What the mouse can use in the last rendered frame.
    let hits = HitMap<MouseCommand>()
    /// Curves of the runs selected on the Runs screen, overlaid on the Train charts.
    public var runOverlays: [RunOverlay] { runs.overlays }

    public init(session: TrainingSession, terminal: Terminal, themes: ThemeCatalog, themeName: String, runsDirectory: String? = nil) {
        self.session = session
        self.terminal = terminal
        self.themes = themes
        self.themeName = themeName
        let loaded = themes.load(themeName)
        theme = loaded.theme
        explorer = Explorer(data: session.data)
        self.runsDirectory = runsDirectory
        runs = RunsBrowser(directory: runsDirectory)
        if let error = loaded.error { show("theme: \(error)") }
    }

    /// Runs until the user quits or a termination signal arrives, then restores the terminal.
    public func run() {
        defer { terminal.restore() }
        if startsTraining && !session.isRunning && session.snapshot.state == .idle { session.start() }
        computePopularity()
        var drawnVersion = -1
        var drawnExplorer = -1
        var drawnSweep: [Int] = []
        var dirty = true
        var eventPending = true
        var lastFrame = Date.distantPast
        while !finished && !terminal.quitRequested {
            // A key ends the wait at once. Otherwise sleep until the next frame could be drawn:
            // a waiting frame's due time, or, with nothing new yet, the earliest a data frame
            // may come (at least 50 ms). Each wake-up can take a training thread's core on a
            // 2-core machine, so the loop wakes once per data frame while a run streams data;
            // probing every 50 ms and then sleeping until the frame was due woke twice.
            let due = (eventPending ? frameInterval : dataFrameInterval) - Date().timeIntervalSince(lastFrame)
            let settling = pendingEdit != nil || savingToQuit != nil
            let wait = settling ? 0.05 : dirty ? due : max(due, 0.05)
            if let event = terminal.nextEvent(timeoutMilliseconds: min(200, max(1, Int(wait * 1000)))) {
                handle(event)
                dirty = true
                eventPending = true
                // Drain what is already queued so a burst of keys costs one frame.
                while !finished, let more = terminal.nextEvent(timeoutMilliseconds: 0) { handle(more) }
            }
            if finished { break }
            if pendingEdit != nil && settleEdits() { dirty = true }
            if savingToQuit != nil { quitIfSaved() }
            if finished { break }
            let version = session.snapshot.version
            if version != drawnVersion || explorer.version != drawnExplorer { dirty = true }
            if runs.refreshIfDue(listShown: screen == .runs) { dirty = true }
            if screen == .sweep, let sweep, sweepSignature(sweep) != drawnSweep { dirty = true }
            if message != nil && Date().timeIntervalSince(messageTime) > 6 { message = nil; dirty = true }
            let since = Date().timeIntervalSince(lastFrame)
            guard dirty, since >= (eventPending ? frameInterval : dataFrameInterval) else { continue }
            drawnVersion = version
            drawnExplorer = explorer.version
            if let sweep { drawnSweep = sweepSignature(sweep) }
            if screen == .explore { explorer.request(session: session, step: session.snapshot.step) }
            draw()
            lastFrame = Date()
            dirty = false
            eventPending = false
        }
        session.stop()
    }

    /// Renders the current screen into a buffer of the terminal's size and draws it.
    public func draw() {
        let size = terminal.size
        if buffer.size != size { buffer = ScreenBuffer(size: size) }
        render(into: &buffer)
        terminal.draw(buffer)
    }

    /// Renders everything into `buffer` (tests call this with a buffer of their own).
    public func render(into buffer: inout ScreenBuffer) {
        buffer.clear(theme.baseCell)
        hits.removeAll()
        let area = buffer.bounds
        guard area.width >= WorkbenchApp.minimumSize.width, area.height >= WorkbenchApp.minimumSize.height else {
            let lines = ["Please enlarge the terminal", "to at least \(WorkbenchApp.minimumSize.width)×\(WorkbenchApp.minimumSize.height)",
                         "(now \(area.width)×\(area.height))", confirmingQuit ? "the run is not saved: q or y quits" : "q quits"]
            for (i, line) in lines.enumerated() {
                let y = area.height / 2 - 2 + i
                if y >= 0 && y < area.height {
                    _ = buffer.write(line, in: Rect(x: 0, y: y, width: area.width, height: 1), alignment: .center,
                                     style: theme.style(i == 0 ? .warning : .text))
                }
            }
            return
        }
        let rows = area.split(rows: [.fill(1), .fixed(1)])
        let snapshot = session.snapshot
        switch screen {
        case .train:
            popularityLock.lock(); let pop = popularity; popularityLock.unlock()
            var view = TrainView(snapshot: snapshot, settings: displayedSettings, datasetName: session.data.dataset.name,
                                 focusedKnob: focusedKnob, message: confirmingQuit ? quitPrompt : message,
                                 popularity: pop, overlays: runs.overlays)
            view.pendingEdit = pendingEdit.map { (knob: $0.knob, live: session.live.current) }
            view.lossLogScale = lossLogScale
            view.chartMetric = chartMetric
            view.showLossParts = showLossParts
            view.cursorStep = chartCursor
            view.hits = hits
            view.render(into: &buffer, area: rows[0], theme: theme)
        case .explore:
            let parts = rows[0].split(rows: [.fixed(1), .fill(1), .fixed(1)])
            HeaderLine(snapshot: snapshot, dataset: session.data.dataset.name).render(into: &buffer, area: parts[0], theme: theme)
            var list = explorer.list
            explorer.view(hits: hits).render(into: &buffer, area: parts[1], theme: theme, state: &list)
            explorer.list = list
            eventLine(into: &buffer, area: parts[2])
        case .runs:
            let parts = rows[0].split(rows: [.fixed(1), .fill(1), .fixed(1)])
            HeaderLine(snapshot: snapshot, dataset: session.data.dataset.name).render(into: &buffer, area: parts[0], theme: theme)
            var view = runs.view
            view.hits = hits
            view.render(into: &buffer, area: parts[1], theme: theme, state: &runs.list)
            eventLine(into: &buffer, area: parts[2])
        case .sweep:
            let parts = rows[0].split(rows: [.fixed(1), .fill(1), .fixed(1)])
            if let sweep {
                sweepHeader(sweep).render(into: &buffer, area: parts[0], theme: theme)
            } else {
                HeaderLine(snapshot: snapshot, dataset: session.data.dataset.name).render(into: &buffer, area: parts[0], theme: theme)
            }
            sweepView.render(into: &buffer, area: parts[1], theme: theme)
            eventLine(into: &buffer, area: parts[2])
        }
        statusLine(snapshot).render(into: &buffer, area: rows[1], theme: theme)
        registerScreenTabs(statusLine: rows[1])
        renderTrainLine(into: &buffer, area: rows[0])
        if showHelp {
            let help = HelpOverlay(title: "Keys", bindings: WorkbenchKeys.all, page: helpPage)
            helpPage = min(helpPage, help.pageCount(in: area) - 1)
            help.render(into: &buffer, area: area, theme: theme)
            hits.cover(area, click: { .closeHelp }, scroll: { .helpPage($0) })
        }
    }

    private func eventLine(into buffer: inout ScreenBuffer, area: Rect) {
        let text = confirmingQuit ? quitPrompt : (message ?? session.snapshot.lastEvent ?? "")
        _ = buffer.write(" " + text, x: area.x, y: area.y, style: theme.style(message != nil || confirmingQuit ? .warning : .dim), maxWidth: area.width)
    }

    private func statusLine(_ s: TrainingSnapshot) -> StatusLine {
        let tabs = screenTabs.map(\.text).joined(separator: " ")
        var hints: [(key: String, action: String)] = [("?", "help"), ("q", "quit"), ("Space", s.state == .paused ? "resume" : "pause"),
                                                      ("r", "restart"), ("e", "eval"), ("s", "save"), ("t", "theme")]
        if screen == .train {
            if chartCursor != nil {
                hints.insert(contentsOf: [(key: "←→", action: "cursor"), (key: "[ ]", action: "eval"), (key: "c", action: "knobs")], at: 0)
            } else {
                hints.insert(contentsOf: [(key: "←→", action: "adjust"), (key: "c", action: "chart cursor")], at: 0)
            }
        }
        if screen == .explore { hints.insert(contentsOf: [(key: "u/i", action: "users/items"), (key: "Enter", action: explorer.rankingRow == nil ? "ranking" : "open"),
                                         (key: "/", action: "search"), (key: "f", action: "filter")], at: 0) }
        if screen == .sweep {
            hints.removeAll { ["Space", "r", "e", "s"].contains($0.key) }
            hints.insert(contentsOf: sweepHints(), at: 0)
        }
        if screen == .runs {
            hints.removeAll { $0.key == "Space" }
            hints.removeAll { $0.key == "s" || $0.key == "e" }
            hints.insert(contentsOf: [(key: "Space", action: "overlay"), (key: "x", action: "clear"), (key: "o/O", action: "sort"),
                                      (key: "n", action: "note"), (key: "d", action: "delete")], at: 0)
        }
        return StatusLine(message: Span(tabs, role: .accent), hints: hints, trailing: themeName)
    }

    // MARK: input

    /// Applies one input event (tests drive the app through this).
    public func handle(_ event: InputEvent) {
        switch event {
        case .resize:
            terminal.invalidate()
        case let .mouse(action, x, y):
            handleMouse(action, x: x, y: y)
        case let .key(key):
            handle(key)
        }
    }

    private func handle(_ key: Key) {
        if trainLine != nil { trainLine = nil; return }
        if confirmingQuit {
            confirmingQuit = false
            if key == .character("q") || key == .character("y") { finished = true }
            if key == .character("s") { saveAndQuit() }
            return
        }
        if showHelp {
            switch key {
            case .pageDown, .down, .character("j"), .character(" "): helpPage += 1; return
            case .pageUp, .up, .character("k"): helpPage = max(0, helpPage - 1); return
            default: break
            }
            showHelp = false
            if key == .character("q") || key == .escape || key == .character("?") { return }
        }
        // While the explorer's search is being typed, letters go to the filter.
        if screen == .explore && explorer.isEditingSearch {
            explorer.handle(key, visibleRows: ExploreView.listRows(screenHeight: terminal.size.height))
            return
        }
        // A slider being turned is applied before any key that is not part of turning it.
        if let edit = pendingEdit, !edit.isPicker, !(screen == .train && WorkbenchApp.turnsKnob(key)) { commitEdit() }
        // On the Runs screen Space selects a run to overlay (it pauses everywhere else); a note
        // being typed or a delete to confirm takes every key.
        if screen == .runs && (key == .character(" ") || runs.isCapturingKeys) {
            runs.currentRun = recorder?.current.run
            runs.currentDataset = recorder?.current.dataset
            if let text = runs.handle(key, visibleRows: RunsView.listRows(screenHeight: terminal.size.height)) { show(text) }
            return
        }
        // The Sweep screen's own keys (s stops the sweep there, not a checkpoint).
        if screen == .sweep && handleSweep(key) { return }
        switch key {
        case .character("?"): showHelp = true
        case .character("q"), .control("c"):
            if hasUnsavedRun && key != .control("c") { confirmingQuit = true } else { finished = true }
        case .character(" "):
            let state = session.snapshot.state
            if state == .paused { session.resume(); show("resumed") }
            else if state == .running { session.pause(); show("paused") }
            else { show("training has \(state.rawValue); r restarts") }
        case .character("r"): restartRun()
        case .character("y"): copySettingsAsTrainLine()
        case .character("L"):
            lossLogScale.toggle()
            show(lossLogScale ? "loss chart: log scale" : "loss chart: linear scale")
        case .character("m"):
            chartMetric = chartMetric.nextMetric()
            show("evaluation chart: \(chartMetric.title)")
        case .character("K"):
            chartMetric = chartMetric.nextK(among: session.snapshot.settings.k)
            show("evaluation chart: \(chartMetric.title)")
        case .character("P"):
            showLossParts.toggle()
            show(showLossParts ? "loss chart: total and each loss part (unweighted, smoothed)" : "loss chart: total")
        case .character("e"): session.evaluateNow(); show("evaluation requested")
        case .character("s"): session.requestCheckpoint(); show("checkpoint requested")
        case .character("t"):
            themeName = themes.next(after: themeName)
            let loaded = themes.load(themeName)
            theme = loaded.theme
            show(loaded.error.map { "theme: \($0)" } ?? "theme \(themeName)" + rememberTheme())
        case .tab: screen = Screen(rawValue: (screen.rawValue + 1) % Screen.allCases.count)!
        case .backTab: screen = Screen(rawValue: (screen.rawValue + Screen.allCases.count - 1) % Screen.allCases.count)!
        case .character("1"): screen = .train
        case .character("2"): screen = .explore
        case .character("3"): screen = .runs
        case .character("4"): screen = .sweep
        default:
            switch screen {
            case .train: handleTrain(key)
            case .explore: handleExplore(key)
            case .runs:
                runs.currentRun = recorder?.current.run
                runs.currentDataset = recorder?.current.dataset
                if let text = runs.handle(key, visibleRows: RunsView.listRows(screenHeight: terminal.size.height)) { show(text) }
            case .sweep: break
            }
        }
    }

    private func handleTrain(_ key: Key) {
        if key == .character("c") {
            leaveKnob()
            chartCursor = chartCursor == nil ? ChartCursor.positions(session.snapshot).last : nil
            show(chartCursor == nil ? "charts left: ←→ adjust knobs again" : "chart cursor: ←→ move, [ ] jump between evaluations, c or Esc leaves")
            return
        }
        if let at = chartCursor {
            // While the charts have the cursor, ←/→ [ ] move it; ↑/↓ still walk the knobs.
            switch key {
            case .left, .character("h"): chartCursor = ChartCursor.move(from: at, by: -1, in: session.snapshot); return
            case .right, .character("l"): chartCursor = ChartCursor.move(from: at, by: 1, in: session.snapshot); return
            case .character("["): chartCursor = ChartCursor.evaluation(from: at, by: -1, in: session.snapshot); return
            case .character("]"): chartCursor = ChartCursor.evaluation(from: at, by: 1, in: session.snapshot); return
            case .escape: chartCursor = nil; return
            default: break
            }
        }
        switch key {
        case .up, .character("k"): leaveKnob(); focusedKnob = (focusedKnob + Knob.all.count - 1) % Knob.all.count
        case .down, .character("j"): leaveKnob(); focusedKnob = (focusedKnob + 1) % Knob.all.count
        case .enter: commitEdit()
        case .escape:
            if let edit = pendingEdit { pendingEdit = nil; show("\(Knob.all[edit.knob].key): \(edit.value) not applied") }
        case .left, .character("h"): adjust(-1, coarse: false)
        case .right, .character("l"): adjust(1, coarse: false)
        case .character("["): adjust(-1, coarse: true)
        case .character("]"): adjust(1, coarse: true)
        default: break
        }
    }

    private func handleExplore(_ key: Key) {
        explorer.handle(key, visibleRows: ExploreView.listRows(screenHeight: terminal.size.height))
    }

    /// Moves the focused knob from the value it shows. The move is only shown: `settleEdits`
    /// applies a slider once the user stops, Enter applies a picker (`KnobEdit`).
    private func adjust(_ steps: Int, coarse: Bool) {
        let knob = Knob.all[focusedKnob]
        guard let value = knob.adjusted(displayedSettings, steps: steps, coarse: coarse) else {
            show("\(knob.label): no further valid value that way")
            return
        }
        let isPicker: Bool
        if case .picker = knob.kind { isPicker = true } else { isPicker = false }
        let edit = KnobEdit(knob: focusedKnob, value: value, lastPress: Date(), isPicker: isPicker)
        let live = session.live.current
        if knob.entry.text(of: edit.applied(to: live)) == knob.entry.text(of: live) {
            pendingEdit = nil                    // back where the run is: nothing to apply
            if isPicker { show("\(knob.key) stays \(knob.current(live))") }
            return
        }
        pendingEdit = edit
        if isPicker { show("\(knob.key) → \(value): Enter applies, Esc cancels") }
    }

    /// Keys that turn the focused knob (they keep a slider's edit pending).
    static func turnsKnob(_ key: Key) -> Bool {
        [.left, .right, .character("h"), .character("l"), .character("["), .character("]")].contains(key)
    }

    /// The settings the knobs panel shows: the session's, with the knob being turned at its new value.
    public var displayedSettings: Settings {
        let live = session.live.current
        return pendingEdit?.applied(to: live) ?? live
    }

    /// Applies a slider's edit once the user has settled. Returns true when one was applied.
    @discardableResult
    public func settleEdits(now: Date = Date()) -> Bool {
        guard let edit = pendingEdit, edit.isSettled(at: now) else { return false }
        commitEdit()
        return true
    }

    /// Sends the pending edit to the session now.
    func commitEdit() {
        guard let edit = pendingEdit else { return }
        pendingEdit = nil
        apply(Knob.all[edit.knob], value: edit.value)
    }

    /// Leaving a knob applies its slider edit and drops a picker's (a picker applies on Enter only).
    func leaveKnob() {
        guard let edit = pendingEdit else { return }
        if edit.isPicker {
            pendingEdit = nil
            show("\(Knob.all[edit.knob].key): \(edit.value) not applied (Enter applies a picker)")
        } else {
            commitEdit()
        }
    }

    /// Sends `knob=value` to the session and shows what changed, or why it was refused.
    func apply(_ knob: Knob, value: String) {
        do {
            if let change = try session.update(key: knob.key, value: value) {
                show("\(knob.key) \(change.old) → \(change.new) (from step \(change.step))")
            }
        } catch {
            show("\(knob.key)=\(value) refused: \((error as? SettingsError)?.message ?? "\(error)")")
        }
    }

    /// A message for the event line from outside the app (the command that opened it).
    public func note(_ text: String) { show(text) }

    func show(_ text: String) {
        message = text
        messageTime = Date()
    }

    /// Popularity recall on the validation splits, for the inspector before the session's own
    /// end-of-run baselines exist. Computed once off the UI thread.
    private func computePopularity() {
        let data = session.data
        let ks = session.live.current.k
        DispatchQueue.global(qos: .utility).async { [weak self] in
            let pop = PopularityBaseline.embeddings(userCount: data.userCount, itemPositiveCounts: data.itemPopularity)
            let evaluator = Evaluator(targets: data.evaluationTargets(EvaluationSplit.validation), ks: ks, itemCount: data.itemCount)
            evaluator.threads = 1
            let report = evaluator.evaluate(userEmbeddings: pop.users, itemEmbeddings: pop.items)
            guard let self else { return }
            self.popularityLock.lock(); self.popularity = report; self.popularityLock.unlock()
        }
    }
}

/// The mouse: a press or wheel turn is looked up in the last frame's `HitMap` and the command
/// found is applied like the equivalent keys. Without a mouse nothing here runs.
extension WorkbenchApp {
    /// The screen tabs of the status line, in order, as drawn (the current one in brackets).
    var screenTabs: [(screen: Screen, text: String)] {
        let names = ["1 Train", "2 Explore", "3 Runs", "4 Sweep"]
        return Screen.allCases.map { ($0, $0 == screen ? "[\(names[$0.rawValue])]" : names[$0.rawValue]) }
    }

    /// Makes the status line's tabs clickable (`StatusLine` draws its message from column 1).
    func registerScreenTabs(statusLine row: Rect) {
        var x = row.x + 1
        for tab in screenTabs {
            let width = DisplayWidth.of(tab.text)
            let target = tab.screen
            hits.onClick(Rect(x: x, y: row.y, width: width, height: 1)) { _, _ in .showScreen(target) }
            x += width + 1
        }
    }

    /// Applies a mouse event at a cell of the last frame.
    func handleMouse(_ action: MouseAction, x: Int, y: Int) {
        guard action != .release else { return }
        if confirmingQuit {
            confirmingQuit = false      // any use of the mouse answers "stay"
            return
        }
        guard let command = hits.command(for: action, x: x, y: y) else { return }
        perform(command)
    }

    /// Does what a mouse command asks (tests call this with a command from the hit map).
    public func perform(_ command: MouseCommand) {
        switch command {
        case .closeHelp:
            showHelp = false
        case let .helpPage(delta):
            helpPage = max(0, helpPage + delta)
        case let .focusKnob(i):
            if i != focusedKnob { leaveKnob() }
            focusedKnob = i
        case let .setKnob(i, value):
            if pendingEdit?.knob != i { commitEdit() }
            pendingEdit = nil                   // a click is a settled choice
            focusedKnob = i
            apply(Knob.all[i], value: value)
        case let .showScreen(s):
            screen = s
        case let .exploreMode(mode):
            explorer.mode = mode
        case let .selectRow(.explorer, position):
            var state = explorer.list
            state.selected = position
            state.scrollToSelection(visibleRows: ExploreView.listRows(screenHeight: terminal.size.height))
            explorer.list = state
        case let .scroll(.explorer, rows):
            var state = explorer.list
            state.move(by: rows, count: state.matches(explorer.rows).count)
            state.scrollToSelection(visibleRows: ExploreView.listRows(screenHeight: terminal.size.height))
            explorer.list = state
        case let .selectRow(.runs, position):
            runs.list.selected = position
            runs.list.scrollToSelection(visibleRows: RunsView.listRows(screenHeight: terminal.size.height))
        case let .scroll(.runs, rows):
            runs.list.move(by: rows, count: runs.list.matches(runs.view.rows).count)
            runs.list.scrollToSelection(visibleRows: RunsView.listRows(screenHeight: terminal.size.height))
        }
    }
}

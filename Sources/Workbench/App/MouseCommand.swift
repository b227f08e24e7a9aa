/// What a mouse press or wheel turn asks the workbench to do. Views register these in the
/// frame's `HitMap` while rendering; `WorkbenchApp.handle(_:)` looks the pointer up there, so
/// the mapping from a cell to an action is tested on a rendered buffer without a terminal.
public enum MouseCommand: Equatable, Sendable {
    /// Focus knob `index` (a click on its label, or on a refused picker option).
    case focusKnob(Int)
    /// Focus knob `index` and set it to `value` (the text `TrainingSession.update(key:value:)`
    /// takes): the slider position or picker option clicked.
    case setKnob(Int, value: String)
    /// Select row `position` (among the filtered rows) of a list.
    case selectRow(WorkbenchList, position: Int)
    /// Move a list's selection by `rows` (the wheel).
    case scroll(WorkbenchList, rows: Int)
    /// Show the users or the items on the Explore screen.
    case exploreMode(Explorer.Mode)
    case showScreen(WorkbenchApp.Screen)
    case closeHelp
    /// Turn the help overlay's page by `delta`.
    case helpPage(Int)
}

/// The lists a mouse can select in.
public enum WorkbenchList: Sendable {
    case explorer, runs
}

/// Rows one wheel notch moves a list's selection.
let wheelRows = 3

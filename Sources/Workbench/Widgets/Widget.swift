/// A pure render into an area of a buffer (ratatui's `Widget`). Everything a widget draws comes
/// from its own stored properties, which the caller fills: a widget reads no files, no store and
/// no clock, so a test renders it into a `ScreenBuffer` and compares lines of text.
///
/// Widgets and views that answer the mouse also take an optional `HitMap` and register the
/// regions they drew; that is output too, like the cells.
public protocol Widget {
    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme)
}

/// A widget drawn with a state the app owns and keeps between frames — a list's selection,
/// scroll offset and filter (ratatui's `StatefulWidget`). The widget stays a value built anew
/// each frame; `render` may adjust the state to what it shows (e.g. scroll the selection into
/// view), and the app keeps that adjusted state.
public protocol StatefulWidget {
    associatedtype State
    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, state: inout State)
}

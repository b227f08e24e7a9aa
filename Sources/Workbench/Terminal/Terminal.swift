/// Where frames go and input comes from.
///
/// The workbench renders a whole `ScreenBuffer` each frame and hands it to `draw`; the
/// terminal writes only what changed since the previous frame. Implementations are not
/// thread-safe: create, use and `restore` a terminal from the UI thread only (ncurses itself
/// is not thread-safe; the trainer publishes snapshots that the UI thread reads).
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// What colours the terminal shows (`.none` under `NO_COLOR`).
    var colorDepth: ColorDepth { get }
    /// Set when SIGINT or SIGTERM arrived; the app loop should leave through `restore()`.
    var quitRequested: Bool { get }
    /// Shows `buffer`, writing only cells that changed since the previous frame. A buffer of a
    /// different size than the previous one is written in full.
    func draw(_ buffer: ScreenBuffer)
    /// Forgets what the screen shows, so the next `draw` writes every cell: after a resize (the
    /// terminal may have reflowed or cleared the old frame) or anything else that wrote to it.
    func invalidate()
    /// Waits up to `timeoutMilliseconds` for input; nil on timeout.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Gives the terminal back to the shell (cursor shown, normal screen). Safe to call twice.
    func restore()
}

/// Statistics of the last `draw`, for the debug overlay and the frame benchmark.
public struct DrawStatistics: Sendable, Equatable {
    public var cellsWritten = 0
    public var runsWritten = 0
    public var fullRepaint = false
    public init() {}
}

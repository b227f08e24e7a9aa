/// A terminal without a screen, for tests and headless runs: frames are kept in memory,
/// input comes from a queue the test fills. It follows the same diff rules as the ncurses
/// backend, so tests can check how much a frame would write.
public final class HeadlessTerminal: Terminal {
    public private(set) var size: Size
    public let colorDepth: ColorDepth
    public var quitRequested = false
    /// What the screen shows after the last `draw`.
    public private(set) var screen: ScreenBuffer
    public private(set) var frameCount = 0
    public private(set) var lastDraw = DrawStatistics()
    public private(set) var isRestored = false
    private var pending: [InputEvent] = []
    private var previous: ScreenBuffer?

    public init(size: Size, colorDepth: ColorDepth = .palette256) {
        self.size = size
        self.colorDepth = colorDepth
        screen = ScreenBuffer(size: size)
    }

    /// Queues input for `nextEvent`.
    public func send(_ events: InputEvent...) { pending += events }

    /// Changes the size and queues the resize event, as a real terminal would.
    public func resize(to newSize: Size) {
        size = newSize
        pending.append(.resize(newSize))
    }

    public func draw(_ buffer: ScreenBuffer) {
        let diff = ScreenDiff(from: previous, to: buffer)
        var stats = DrawStatistics()
        stats.fullRepaint = diff.isFullRepaint
        diff.forEachRun { _, _, cells in
            stats.runsWritten += 1
            stats.cellsWritten += cells.count
        }
        lastDraw = stats
        screen = buffer
        previous = buffer
        frameCount += 1
    }

    public func invalidate() { previous = nil }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    public func restore() { isRestored = true }
}

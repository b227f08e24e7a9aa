import CNCurses
import Foundation

/// Why the terminal could not be opened.
public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
}

/// The ncurses backend: the only file that imports `CNCurses`.
///
/// Threading: ncurses is not thread-safe. Create the terminal, call `draw`, `nextEvent` and
/// `restore` from one thread (the UI thread) only. Nothing may print to stdout while it is open.
///
/// Restoring: `restore()` (also run from `deinit` and at process exit) shows the cursor and
/// calls `endwin`. SIGINT, SIGTERM and SIGHUP only set `quitRequested` (and `quitSignal`); the
/// app loop is expected to notice within one `nextEvent` timeout and leave through `restore()`,
/// and the program to exit with 128 + `quitSignal` after its clean-up (130 for SIGINT, 143 for
/// SIGTERM, the status a shell reports for a process those signals killed).
public final class NCursesTerminal: Terminal {
    public private(set) var colorDepth: ColorDepth
    /// False when the locale is not UTF-8; braille and box drawing may then show as blanks.
    public let supportsUnicode: Bool
    public private(set) var lastDraw = DrawStatistics()

    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>? { dn_stdscr() }
    private var previous: ScreenBuffer?
    private var pairs: [Int64: Int32] = [:]
    private var nextPair: Int32 = 1
    private var defaultColorsAllowed = true
    private var text: [wchar_t] = []
    private var restored = false

    /// The open terminal, so the exit hook can restore it.
    nonisolated(unsafe) private static weak var active: NCursesTerminal?
    nonisolated(unsafe) private static var exitHookInstalled = false

    /// Opens the terminal on stdin/stdout.
    /// - Parameters:
    ///   - noColor: draw without colour (the `NO_COLOR` convention); attributes still work.
    ///   - mouse: report mouse clicks and wheel.
    public init(noColor: Bool = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty,
                mouse: Bool = true) throws {
        setlocale(LC_ALL, "")
        supportsUnicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            throw TerminalError(description: "the workbench needs an interactive terminal (stdin and stdout must be a TTY); use `dropoutnet train` for headless runs")
        }
        // Ours first: newterm then leaves SIGINT/SIGTERM alone (its handlers hide the cursor).
        dn_clear_quit_request()
        dn_install_quit_handlers()
        guard let s = newterm(nil, stdout, stdin) else {
            dn_remove_quit_handlers()
            let term = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
            throw TerminalError(description: "cannot open the terminal: TERM=\(term) is unknown to ncurses; try TERM=xterm-256color")
        }
        screen = s
        colorDepth = .none
        cbreak()
        noecho()
        nonl()
        keypad(dn_stdscr(), true)
        intrflush(dn_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        if mouse {
            mouseinterval(0)
            mousemask(dn_all_mouse_events(), nil)
        }
        if !noColor && has_colors() {
            start_color()
            defaultColorsAllowed = use_default_colors() == OK
            colorDepth = dn_has_direct_color() != 0 ? ColorDepth(colors: Int(dn_colors())) : min(ColorDepth(colors: Int(dn_colors())), .palette256)
        }
        NCursesTerminal.active = self
        if !NCursesTerminal.exitHookInstalled {
            NCursesTerminal.exitHookInstalled = true
            atexit { NCursesTerminal.active?.restore() }
        }
    }

    deinit { restore() }

    public var size: Size {
        guard !restored else { return Size(width: 0, height: 0) }
        return Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public var quitRequested: Bool { dn_quit_requested() != 0 }

    /// The signal that asked the workbench to quit (SIGINT, SIGTERM, SIGHUP), nil when none did.
    public var quitSignal: Int32? {
        let s = dn_quit_signal()
        return s == 0 ? nil : s
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        curs_set(1)
        endwin()
        if let s = screen { delscreen(s) }
        screen = nil
        dn_remove_quit_handlers()
    }

    // MARK: Output

    public func draw(_ buffer: ScreenBuffer) {
        guard !restored else { return }
        let diff = ScreenDiff(from: previous, to: buffer)
        var stats = DrawStatistics()
        stats.fullRepaint = diff.isFullRepaint
        if stats.fullRepaint { werase(window) }
        if text.count < buffer.width + 1 { text = [wchar_t](repeating: 0, count: buffer.width + 1) }
        diff.forEachRun { x, y, cells in
            let first = cells[cells.startIndex]
            _ = dn_set_attributes(window, attributes(first.attributes), pair(first.foreground, first.background))
            var n = 0
            text.withUnsafeMutableBufferPointer { out in
                for c in cells where !c.isContinuation {
                    out[n] = wchar_t(bitPattern: c.scalar.value)
                    n += 1
                }
                out[n] = 0
                _ = mvwaddnwstr(window, Int32(y), Int32(x), out.baseAddress, Int32(n))
            }
            stats.runsWritten += 1
            stats.cellsWritten += n
        }
        wnoutrefresh(window)
        doupdate()
        previous = buffer
        lastDraw = stats
    }

    /// Forgets the previous frame so the next `draw` repaints everything (after a resize, or
    /// when something else may have written to the screen).
    public func invalidate() { previous = nil }

    private func attributes(_ a: Attributes) -> attr_t {
        var r = dn_a_normal()
        if a.contains(.bold) { r |= dn_a_bold() }
        if a.contains(.dim) { r |= dn_a_dim() }
        if a.contains(.reverse) { r |= dn_a_reverse() }
        if a.contains(.underline) { r |= dn_a_underline() }
        return r
    }

    /// The colour pair for (fg, bg), allocated on first use and cached. Pair 0 (terminal
    /// defaults) when colour is off or the pairs run out.
    private func pair(_ fg: Color, _ bg: Color) -> Int32 {
        guard colorDepth != .none else { return 0 }
        var f = fg.terminalNumber(for: colorDepth)
        var b = bg.terminalNumber(for: colorDepth)
        if !defaultColorsAllowed {
            if f < 0 { f = 7 }
            if b < 0 { b = 0 }
        }
        if f < 0 && b < 0 { return 0 }
        let key = Int64(f + 1) << 32 | Int64(b + 1)
        if let p = pairs[key] { return p }
        guard nextPair < dn_color_pairs(), init_extended_pair(nextPair, f, b) == OK else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    // MARK: Input

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard !restored else { return nil }
        wtimeout(window, Int32(clamping: timeoutMilliseconds))
        var ch: wint_t = 0
        let result = wget_wch(window, &ch)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return special(Int32(bitPattern: ch)) }
        return character(ch)
    }

    private func character(_ ch: wint_t) -> InputEvent? {
        switch ch {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(ch) + 96))))
        default:
            guard let s = Unicode.Scalar(ch) else { return nil }
            return .key(.character(Character(s)))
        }
    }

    private func special(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        case KEY_RESIZE:
            previous = nil
            return .resize(size)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let s = event.bstate
            let action: MouseAction
            if s & dn_button1_clicked() != 0 { action = .click }
            else if s & dn_button1_pressed() != 0 { action = .press }
            else if s & dn_button1_released() != 0 { action = .release }
            else if s & dn_button4_pressed() != 0 { action = .scrollUp }
            else if s & dn_button5_pressed() != 0 { action = .scrollDown }
            else { return nil }
            return .mouse(action, x: Int(event.x), y: Int(event.y))
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}

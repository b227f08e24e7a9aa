import Foundation
import XCTest

/// Drives a real terminal program inside a private tmux server (its own socket, no user
/// config, escape-time 0), reading the screen with `capture-pane`. Polls for text instead of
/// sleeping, and dumps the screen when a wait times out.
final class Tmux {
    let socket: String
    let session = "wb"
    private(set) var started = false

    static var isAvailable: Bool { which("tmux") != nil }

    init() {
        socket = "dnwb-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    deinit { kill() }

    /// Starts `command` (a shell command line) in a `width`×`height` window.
    func start(_ command: String, width: Int = 120, height: Int = 40) throws {
        // Not waited for: on Linux, Foundation's `waitUntilExit` for the client that forks the
        // server only returns once the server (which inherits the client's descriptors) exits.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tmux.which("tmux") ?? "/usr/bin/tmux")
        p.arguments = ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        started = true
        let deadline = Date().addingTimeInterval(5)
        while display("#{session_name}") != session && Date() < deadline { usleep(20_000) }
        try tmux(["set-option", "-t", session, "remain-on-exit", "on"])
        try tmux(["set-option", "-s", "escape-time", "0"])
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
    func sendLiteral(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }

    func capture() -> String { (try? tmux(["capture-pane", "-p", "-t", session])) ?? "" }
    /// The screen with lines the terminal wrapped joined again (long paths printed after exit).
    func captureJoined() -> String { (try? tmux(["capture-pane", "-p", "-J", "-t", session])) ?? "" }

    func display(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", session, format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    var paneDead: Bool { display("#{pane_dead}") == "1" }

    /// Waits until the screen satisfies `predicate` (polling every 50 ms); fails with the screen on timeout.
    /// A capture can catch the terminal half redrawn (the top of a new screen over the bottom of
    /// the old one), so the screen returned is a second capture, 20 ms on, that still satisfies it.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
                 _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if predicate(screen) {
                usleep(20_000)
                let settled = capture()
                if predicate(settled) { return settled }
                continue
            }
            if paneDead { break }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what); pane dead: \(paneDead) status \(display("#{pane_dead_status}"))\n--- screen ---\n\(screen)",
                file: file, line: line)
        return nil
    }

    @discardableResult
    func waitForText(_ text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> String? {
        waitFor("'\(text)'", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    func kill() {
        if started { _ = try? tmux(["kill-server"]) }
        started = false
    }

    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tmux.which("tmux") ?? "/usr/bin/tmux")
        p.arguments = ["-L", socket] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

import DropoutNet
import Foundation

/// The sweep `tui --sweep` runs: `SweepRunner.run` on a thread of its own, and what the Sweep
/// screen keeps between frames (the selected trial, whether `s` stopped it). The screen reads
/// the runner's `snapshot`; nothing here touches the terminal.
public final class SweepMonitor: @unchecked Sendable {
    public let runner: SweepRunner
    public var definition: SweepDefinition { runner.definition }
    /// The trial the leaderboard's highlight is on (by number, so it stays on the same trial
    /// while the order changes).
    public internal(set) var selectedTrial: Int?
    /// `v`: the parallel coordinates in place of the warm/cold scatter.
    public internal(set) var showsParallelCoordinates = false
    /// `s` was pressed: no new trials start.
    public private(set) var stopRequested = false

    private let lock = NSLock()
    private var failure: String?
    private var ended = false

    public init(runner: SweepRunner) { self.runner = runner }

    /// Starts the sweep on a background thread (its trials train on threads of their own).
    public func start() {
        let thread = Thread { [self] in
            var error: String?
            do { try runner.run() } catch let e { error = "\(e)" }
            lock.lock(); failure = error; ended = true; lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// `s`: no new trials; the running ones train to their end.
    public func stop() {
        stopRequested = true
        runner.stop()
    }

    /// Space: pauses the sweep (running trials wait after their current step, none starts), or
    /// resumes it. Returns whether it is paused now.
    @discardableResult
    public func togglePause() -> Bool {
        let paused = !runner.isPaused
        runner.setPaused(paused)
        return paused
    }

    /// Why the sweep could not run (its store, or the same sweep running elsewhere), if so.
    public var error: String? {
        lock.lock(); defer { lock.unlock() }
        return failure
    }

    /// Whether `run` has returned (every trial ended, or it failed).
    public var hasEnded: Bool {
        lock.lock(); defer { lock.unlock() }
        return ended
    }

    /// Moves the highlight `delta` rows in the leaderboard's order of `snapshot`.
    public func move(by delta: Int, in snapshot: SweepSnapshot) {
        let order = SweepAnalysis.ranked(snapshot.trials).map(\.number)
        guard !order.isEmpty else { return }
        let at = selectedTrial.flatMap { order.firstIndex(of: $0) } ?? 0
        selectedTrial = order[min(order.count - 1, max(0, at + delta))]
    }

    /// The highlighted trial (the leaderboard's first when none was chosen).
    public func selected(in snapshot: SweepSnapshot) -> SweepTrial? {
        let ranked = SweepAnalysis.ranked(snapshot.trials)
        return ranked.first { $0.number == selectedTrial } ?? ranked.first
    }
}

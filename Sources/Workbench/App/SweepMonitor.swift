import DropoutNet
import Foundation

/// The sweep `tui --sweep` shows: `SweepRunner.run` on a thread of its own once the user starts
/// it (`r`, or `--start`), and what the Sweep screen keeps between frames (the selected trial,
/// whether `s` stopped it). The screen reads the runner's `snapshot`; nothing here touches the
/// terminal.
///
/// Its life: ready (the trials earlier runs recorded, loaded from the store), running (paused or
/// not), stopping (`s`: the running trials end), then ended — stopped, finished or failed —
/// from where `r` starts it again while its budget has trials or time left.
public final class SweepMonitor: @unchecked Sendable {
    public let runner: SweepRunner
    public var definition: SweepDefinition { runner.definition }
    /// The trial the leaderboard's highlight is on (by number, so it stays on the same trial
    /// while the order changes).
    public internal(set) var selectedTrial: Int?
    /// `v`: the parallel coordinates in place of the warm/cold scatter.
    public internal(set) var showsParallelCoordinates = false
    /// `s` was pressed while this run of the sweep ran: no new trials start.
    public private(set) var stopRequested = false

    private let lock = NSLock()
    private var failure: String?
    private var running = false
    private var started = false

    /// Loads the trials earlier runs of the sweep recorded, so the screen shows them before it
    /// starts (a store that cannot be read is reported as the sweep's failure).
    public init(runner: SweepRunner) {
        self.runner = runner
        do { try runner.load() } catch { failure = "\(error)" }
    }

    /// Why `start` did nothing.
    public enum Refusal: Error, Equatable {
        /// Its run is in progress (`stopping`: `s` was pressed and trials are ending).
        case running(stopping: Bool)
        /// Every trial of the budget has ended, its time is spent, or the grid is done.
        case budgetSpent
    }

    /// Starts (or starts again) the sweep on a background thread; its trials train on threads
    /// of their own. Trials that ended are kept; an interrupted one is trained again.
    public func start() throws {
        lock.lock(); defer { lock.unlock() }
        if running { throw Refusal.running(stopping: stopRequested) }
        guard runner.hasWorkLeft else { throw Refusal.budgetSpent }
        running = true
        started = true
        failure = nil
        stopRequested = false
        let thread = Thread { [self] in
            var error: String?
            do { try runner.run() } catch let e { error = "\(e)" }
            lock.lock(); failure = error; running = false; lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// `s`: no new trials; the running ones train to their end. Nothing to stop when it does not run.
    @discardableResult
    public func stop() -> Bool {
        guard isRunning, !stopRequested else { return false }
        stopRequested = true
        runner.stop()
        return true
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

    /// Whether the sweep's run is in progress (trials training, paused, or ending after `s`).
    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }

    /// Whether the sweep has been started in this session (before: ready, showing the trials
    /// earlier runs recorded).
    public var hasStarted: Bool {
        lock.lock(); defer { lock.unlock() }
        return started
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

import Foundation

/// Tells a run that is still training from one whose process was killed: the store keeps the
/// writer's pid and host, and a `running` row whose writer no longer exists reads as
/// `interrupted`. Nothing is written back — the row stays as the writer left it, so a store
/// shared between hosts never has one host "correct" another's live run.
enum RunWriter {
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(cString: buffer)
    }()

    /// The status to show for a stored row.
    static func status(stored: RunStatus, pid: Int?, host: String?) -> RunStatus {
        guard stored == .running, let pid, pid > 0, let host, host == hostName else { return stored }
        return isAlive(pid: pid_t(pid)) ? .running : .interrupted
    }

    /// Whether a process with this pid exists (signal 0 checks without sending anything;
    /// EPERM means it exists but belongs to someone else).
    static func isAlive(pid: pid_t) -> Bool {
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM
    }
}

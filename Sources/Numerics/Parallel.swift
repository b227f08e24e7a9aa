import Foundation

/// Work splitting over the machine's cores.
///
/// `DispatchQueue.concurrentPerform` reuses libdispatch's worker pool, so a parallel loop in a
/// training step costs no thread creation. `threadCount` caps how many chunks run at once
/// (`DROPOUTNET_THREADS`, default: all cores); with 1 everything runs inline, which makes
/// results bit-for-bit reproducible.
public enum Parallel {
    nonisolated(unsafe) public static var threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["DROPOUTNET_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Runs `body(chunk)` for chunk in 0..<chunks, concurrently when more than one thread is allowed.
    @inlinable
    public static func forEach(chunks: Int, threads: Int = threadCount, _ body: (Int) -> Void) {
        if chunks <= 0 { return }
        if chunks == 1 || threads <= 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
    }

    /// Splits 0..<n into about `threads` contiguous ranges (each at least `minChunk` long)
    /// and runs `body(range)` on each.
    @inlinable
    public static func forRanges(_ n: Int, minChunk: Int = 1, threads: Int = threadCount, _ body: (Range<Int>) -> Void) {
        if n <= 0 { return }
        let parts = max(1, min(threads, n / max(minChunk, 1)))
        if parts == 1 { body(0..<n); return }
        let step = (n + parts - 1) / parts
        forEach(chunks: parts, threads: threads) { c in
            let lo = c * step
            let hi = min(n, lo + step)
            if lo < hi { body(lo..<hi) }
        }
    }
}

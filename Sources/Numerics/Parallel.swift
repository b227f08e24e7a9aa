import Foundation

/// Work splitting over the machine's cores.
///
/// Chunks run on a persistent `WorkerPool` (no thread creation and no heap allocation per
/// call, unlike `DispatchQueue.concurrentPerform`). `threadCount` caps how many chunks run at
/// once (`DROPOUTNET_THREADS`, default: all cores); with 1 everything runs inline. Callers
/// split work so that each output is computed by one chunk in a fixed order, which keeps
/// results independent of the thread count.
public enum Parallel {
    nonisolated(unsafe) public static var threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["DROPOUTNET_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Elements a memory-bound loop (an elementwise map, a column sum) must give each thread
    /// before it is split: waking a sleeping worker costs some microseconds, about what a
    /// single thread needs for this many elements.
    public static let elementGrain = 1 << 16

    /// The fewest columns per chunk of a column-split loop over `rows` rows (`elementGrain`
    /// elements, and at least 16 columns so chunks do not share cache lines much).
    @inlinable
    public static func columnChunk(rows: Int) -> Int { max(16, elementGrain / max(rows, 1)) }

    /// A chunk of parallel work: (context, chunk index). A C function pointer cannot capture, so
    /// the state travels in `context` (typically a pointer to a struct on the caller's stack).
    public typealias ChunkFunction = @convention(c) (UnsafeRawPointer, Int) -> Void

    /// Runs `function(context, chunk)` for chunk in 0..<chunks, up to `threads` at once.
    /// Allocation-free: the form the hot loops (GEMM, sparse products) use.
    public static func forEach(chunks: Int, threads: Int = threadCount, context: UnsafeRawPointer, _ function: ChunkFunction) {
        if chunks <= 0 { return }
        if chunks == 1 || threads <= 1 || !WorkerPool.shared.run(chunks: chunks, threads: threads, context: context, function) {
            for c in 0..<chunks { function(context, c) }   // serial, or pool busy (nested/concurrent call)
        }
    }

    /// Runs `body(chunk)` for chunk in 0..<chunks, concurrently when more than one thread is allowed.
    /// Handing a closure to another thread needs `withoutActuallyEscaping`, which costs one small
    /// heap allocation per threaded call; per-step hot loops use the context form above.
    public static func forEach(chunks: Int, threads: Int = threadCount, _ body: (Int) -> Void) {
        if chunks <= 0 { return }
        if chunks == 1 || threads <= 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            var closure = escapable
            withUnsafePointer(to: &closure) { pointer in
                forEach(chunks: chunks, threads: threads, context: UnsafeRawPointer(pointer)) { context, c in
                    context.assumingMemoryBound(to: ((Int) -> Void).self).pointee(c)
                }
            }
        }
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

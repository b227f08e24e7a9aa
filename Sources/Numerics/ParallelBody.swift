/// A parallel loop body that crosses threads without a heap allocation.
///
/// Closures given to `Parallel.forEach(chunks:_:)` must be made escaping to reach a worker,
/// which costs one heap block per call; per-step loops of a training step (a few dozen calls a
/// step) would then allocate. A body is instead a small struct of pointers and sizes that
/// conforms to this protocol: `Parallel.forRanges(_:minChunk:threads:body:)` passes a pointer to
/// it, with its type, through the pool's C-function job, so nothing is boxed.
///
/// `run` receives a contiguous subrange of 0..<n; each output element must be written by the
/// range that owns it (no shared accumulators), which keeps results independent of the split.
public protocol ParallelRangeBody {
    func run(_ range: Range<Int>)
}

extension ParallelRangeBody {
    /// Calls `run` on the body `pointer` points to (the erased job's entry point).
    @inline(__always)
    static func run(at pointer: UnsafeRawPointer, _ range: Range<Int>) {
        pointer.assumingMemoryBound(to: Self.self).pointee.run(range)
    }
}

/// One erased `forRanges` job: where the body is, what type it is, how 0..<n is split.
private struct ErasedRangeJob {
    let body: UnsafeRawPointer
    let type: any ParallelRangeBody.Type
    let n: Int
    let parts: Int
    let alignment: Int

    /// Bounds of part `c`: n split into `parts` near-equal pieces whose inner boundaries are
    /// multiples of `alignment`.
    func range(_ c: Int) -> Range<Int> { Parallel.part(c, of: parts, n: n, alignment: alignment) }
}

extension Parallel {
    /// Splits 0..<n into at most `threads` contiguous ranges of at least `minChunk` elements,
    /// inner boundaries on multiples of `alignment`, and runs `body.run(range)` on each —
    /// concurrently when there is more than one. Allocation-free.
    ///
    /// With one range (small n, or `threads == 1`) `body.run(0..<n)` runs inline: the serial
    /// path is the body's own loop, unchanged.
    public static func forRanges<Body: ParallelRangeBody>(_ n: Int, minChunk: Int, alignment: Int = 1,
                                                          threads: Int = threadCount, body: Body) {
        if n <= 0 { return }
        let parts = max(1, min(threads, n / max(minChunk, 1)))
        if parts == 1 { body.run(0..<n); return }
        withUnsafePointer(to: body) { bodyPointer in
            var job = ErasedRangeJob(body: UnsafeRawPointer(bodyPointer), type: Body.self, n: n, parts: parts,
                                     alignment: max(alignment, 1))
            withUnsafePointer(to: &job) { jobPointer in
                forEach(chunks: parts, threads: threads, context: UnsafeRawPointer(jobPointer)) { context, c in
                    let job = context.assumingMemoryBound(to: ErasedRangeJob.self).pointee
                    let r = job.range(c)
                    if !r.isEmpty { job.type.run(at: job.body, r) }
                }
            }
        }
    }

    /// Part `c` of `parts` of 0..<n, inner boundaries rounded down to multiples of `alignment`.
    @inlinable
    public static func part(_ c: Int, of parts: Int, n: Int, alignment: Int = 1) -> Range<Int> {
        func boundary(_ i: Int) -> Int {
            if i >= parts { return n }
            let raw = n * i / parts
            return raw - raw % alignment
        }
        return boundary(c)..<max(boundary(c), boundary(c + 1))
    }
}

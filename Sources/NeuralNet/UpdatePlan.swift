import Numerics

/// The dense (non-embedding) parameters of one optimizer step laid end to end, so a single
/// parallel loop can update all of them in element chunks.
///
/// Each parameter starts at a multiple of 8 in the plan's index space (`start`), and chunks
/// split on multiples of 8, so every element meets the same eight-lane or scalar-tail code
/// whatever the thread count: updates are bit-identical to a serial pass. Storage grows only
/// when a step has more parameters than any before it; steady-state steps allocate nothing.
final class UpdatePlan {
    struct Span {
        /// Weights, gradient, and up to two optimizer slots (nil when unused).
        let w, g: UnsafeMutablePointer<Float>
        let slot0, slot1: UnsafeMutablePointer<Float>?
        /// First index of this parameter in the plan (a multiple of 8), and its element count.
        let start, count: Int
        /// Per-parameter weight decay (0 for biases and BN scales) and decoupled shrink factor.
        let decay, shrink: Float
    }

    private(set) var spans: UnsafeMutablePointer<Span>
    private(set) var count = 0
    private var capacity = 0
    /// Extent of the index space (the last span's end).
    private(set) var extent = 0

    init() { spans = .allocate(capacity: 1) }
    deinit { spans.deallocate() }

    func removeAll() { count = 0; extent = 0 }

    func append(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, slot0: UnsafeMutablePointer<Float>?,
                slot1: UnsafeMutablePointer<Float>?, count n: Int, decay: Float, shrink: Float) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Span>.allocate(capacity: max(8, capacity * 2))
            grown.moveInitialize(from: spans, count: count)
            spans.deallocate()
            spans = grown
            capacity = max(8, capacity * 2)
        }
        let start = (extent + 7) & ~7
        (spans + count).initialize(to: Span(w: w, g: g, slot0: slot0, slot1: slot1, start: start, count: n,
                                            decay: decay, shrink: shrink))
        count += 1
        extent = start + n
    }

    /// Calls `body(span, offset, n)` for each piece of a span inside `range` (plan indices);
    /// `offset` is relative to the span's parameter.
    @inline(__always)
    static func forEachPiece(_ spans: UnsafeMutablePointer<Span>, _ count: Int, in range: Range<Int>,
                             _ body: (Span, Int, Int) -> Void) {
        for i in 0..<count {
            let s = spans[i]
            let lo = max(range.lowerBound, s.start), hi = min(range.upperBound, s.start + s.count)
            if lo < hi { body(s, lo - s.start, hi - lo) }
        }
    }

    /// Elements per thread before an update is split (an update streams 4–7 floats an element).
    static let grain = Parallel.elementGrain / 2
}

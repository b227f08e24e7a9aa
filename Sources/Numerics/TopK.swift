/// Top-K selection per row by partial selection (never a full sort).
///
/// A bounded min-heap of size k, built directly in the caller's output buffers: each score is
/// compared once with the heap's worst entry and most are rejected there, so a row costs
/// O(n + k·log k·log n) expected on shuffled data and O(n log k) at worst, needs no scratch
/// memory of size n (quickselect would copy the row), and streams the row once. Rankings ask
/// k ≈ 20–100 of n ≈ 10⁴–10⁵ items, where the rejection test dominates.
///
/// Order: descending score, ties broken by the lower index. Entries equal to `-Float.infinity`
/// (how callers mask seen or excluded items) and NaN are never selected.
public enum TopK {
    /// Selects the best `k` of `scores[0 ..< count]` into `indices`/`values` (room for k each),
    /// sorted best first. Returns how many were selected: min(k, number of selectable entries).
    @discardableResult
    public static func select(_ scores: UnsafePointer<Float>, count: Int, k: Int,
                              indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>) -> Int {
        if k <= 0 { return 0 }
        var size = 0
        var i = 0
        // Fill phase: the first k selectable entries.
        while i < count && size < k {
            let v = scores[i]
            if v > -Float.infinity {            // false for -inf and NaN
                values[size] = v
                indices[size] = Int32(truncatingIfNeeded: i)
                siftUp(size, values, indices)
                size += 1
            }
            i += 1
        }
        // Steady phase: a later entry has a higher index, so it only beats the worst on a strictly
        // greater score.
        if size == k {
            var worst = values[0]
            while i < count {
                let v = scores[i]
                if v > worst {
                    values[0] = v
                    indices[0] = Int32(truncatingIfNeeded: i)
                    siftDown(0, size, values, indices)
                    worst = values[0]
                }
                i += 1
            }
        }
        // Heap sort in place: repeatedly move the worst to the end.
        var end = size
        while end > 1 {
            end -= 1
            swapAt(0, end, values, indices)
            siftDown(0, end, values, indices)
        }
        return size
    }

    /// Top-k of every row of `scores`: row r's results go to `indices[r*k ..< r*k + k]` and
    /// `values[…]`, best first; `counts[r]` (when given) receives how many were selected; unused
    /// slots get index -1 and value -inf. Rows are spread over `threads` workers.
    public static func selectRows(_ scores: Matrix, k: Int,
                                  indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>,
                                  counts: UnsafeMutablePointer<Int>? = nil, threads: Int = Parallel.threadCount) {
        if k <= 0 { return }
        let minChunk = max(1, 65_536 / max(scores.cols, 1))
        Parallel.forRanges(scores.rows, minChunk: minChunk, threads: threads) { rows in
            for r in rows {
                let idx = indices + r * k, val = values + r * k
                let got = select(scores.row(r), count: scores.cols, k: k, indices: idx, values: val)
                for j in got..<k { idx[j] = -1; val[j] = -.infinity }
                counts?[r] = got
            }
        }
    }

    /// Convenience for tests and one-off queries: (index, score) pairs, best first.
    public static func select(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        let kk = max(0, min(k, scores.count))
        var idx = [Int32](repeating: 0, count: kk)
        var val = [Float](repeating: 0, count: kk)
        let got = scores.withUnsafeBufferPointer { s in
            idx.withUnsafeMutableBufferPointer { ip in
                val.withUnsafeMutableBufferPointer { vp in
                    select(s.baseAddress!, count: s.count, k: kk, indices: ip.baseAddress!, values: vp.baseAddress!)
                }
            }
        }
        return (0..<got).map { (Int(idx[$0]), val[$0]) }
    }

    /// a is worse than b: lower score, or equal score and higher index.
    @inline(__always)
    static func worse(_ va: Float, _ ia: Int32, _ vb: Float, _ ib: Int32) -> Bool {
        va < vb || (va == vb && ia > ib)
    }

    @inline(__always)
    static func swapAt(_ a: Int, _ b: Int, _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        let tv = v[a]; v[a] = v[b]; v[b] = tv
        let ti = ix[a]; ix[a] = ix[b]; ix[b] = ti
    }

    @inline(__always)
    static func siftUp(_ start: Int, _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        var child = start
        while child > 0 {
            let parent = (child - 1) >> 1
            if worse(v[child], ix[child], v[parent], ix[parent]) {
                swapAt(child, parent, v, ix)
                child = parent
            } else { return }
        }
    }

    @inline(__always)
    static func siftDown(_ start: Int, _ size: Int, _ v: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= size { return }
            var child = left
            let right = left + 1
            if right < size && worse(v[right], ix[right], v[left], ix[left]) { child = right }
            if worse(v[child], ix[child], v[parent], ix[parent]) {
                swapAt(child, parent, v, ix)
                parent = child
            } else { return }
        }
    }
}

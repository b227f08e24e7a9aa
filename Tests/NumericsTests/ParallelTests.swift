import XCTest
import Numerics

final class ParallelTests: XCTestCase {
    func testEveryChunkRunsOnceIncludingNestedCalls() {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { hits.deallocate() }
        for round in 0..<50 {
            hits.initialize(repeating: 0, count: 64)
            Parallel.forEach(chunks: 8, threads: 2) { outer in
                // A nested parallel loop while the pool is busy runs inline, never deadlocks.
                Parallel.forEach(chunks: 8, threads: 2) { inner in hits[outer * 8 + inner] += 1 }
            }
            XCTAssertEqual((0..<64).map { hits[$0] }, [Int](repeating: 1, count: 64), "round \(round)")
        }
    }

    func testContextFormAndRanges() {
        var sums = [Int](repeating: 0, count: 5)
        sums.withUnsafeMutableBufferPointer { buffer in
            Parallel.forEach(chunks: 5, threads: 3, context: UnsafeRawPointer(buffer.baseAddress!)) { context, c in
                UnsafeMutablePointer(mutating: context.assumingMemoryBound(to: Int.self))[c] = c * c
            }
        }
        XCTAssertEqual(sums, [0, 1, 4, 9, 16])
        let covered = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
        defer { covered.deallocate() }
        covered.initialize(repeating: 0, count: 1000)
        Parallel.forRanges(1000, minChunk: 10, threads: 4) { range in for i in range { covered[i] += 1 } }
        XCTAssertTrue((0..<1000).allSatisfy { covered[$0] == 1 })
    }
}

/// Counts how often each index is visited and records each range's bounds.
private struct MarkRanges: ParallelRangeBody {
    let hits: UnsafeMutablePointer<Int>
    let starts: UnsafeMutablePointer<Int>
    func run(_ range: Range<Int>) {
        for i in range { hits[i] += 1 }
        starts[range.lowerBound] = 1
    }
}

final class ParallelBodyTests: XCTestCase {
    func testRangeBodiesCoverEveryIndexOnceWithAlignedBoundaries() {
        let n = 10_007
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: n), starts = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { hits.deallocate(); starts.deallocate() }
        for threads in [1, 2, 3, 7] {
            hits.initialize(repeating: 0, count: n)
            starts.initialize(repeating: 0, count: n)
            Parallel.forRanges(n, minChunk: 1000, alignment: 8, threads: threads, body: MarkRanges(hits: hits, starts: starts))
            XCTAssertTrue((0..<n).allSatisfy { hits[$0] == 1 }, "\(threads) threads")
            let bounds = (0..<n).filter { starts[$0] == 1 }
            XCTAssertEqual(bounds.count, threads, "\(threads) threads: one range per thread")
            XCTAssertTrue(bounds.allSatisfy { $0 % 8 == 0 }, "\(bounds)")
        }
        // Below the grain: one inline range.
        hits.initialize(repeating: 0, count: n)
        starts.initialize(repeating: 0, count: n)
        Parallel.forRanges(500, minChunk: 1000, threads: 4, body: MarkRanges(hits: hits, starts: starts))
        XCTAssertEqual((0..<n).filter { starts[$0] == 1 }, [0])
    }
}

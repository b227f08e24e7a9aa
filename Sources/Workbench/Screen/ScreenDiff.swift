/// The cells that differ between two frames of the same size, in row-major order.
///
/// Iterating allocates nothing: the iterator walks both cell arrays by index. When the sizes
/// differ (after a resize) every cell of the new frame is reported, so the caller repaints.
public struct ScreenDiff: Sequence {
    public let previous: ScreenBuffer?
    public let current: ScreenBuffer

    public init(from previous: ScreenBuffer?, to current: ScreenBuffer) {
        self.previous = previous
        self.current = current
    }

    /// True when every cell must be written (no previous frame, or a different size).
    public var isFullRepaint: Bool {
        guard let p = previous else { return true }
        return p.width != current.width || p.height != current.height
    }

    public struct Change: Equatable {
        public let x: Int
        public let y: Int
        public let cell: Cell
    }

    public struct Iterator: IteratorProtocol {
        let old: [Cell]
        let new: [Cell]
        let width: Int
        let full: Bool
        var index = 0

        public mutating func next() -> Change? {
            let n = new.count
            while index < n {
                let i = index
                index += 1
                if full || old[i] != new[i] {
                    return Change(x: i % width, y: i / width, cell: new[i])
                }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        let full = isFullRepaint
        return Iterator(old: full ? [] : previous!.cells, new: current.cells, width: Swift.max(1, current.width), full: full)
    }

    /// Number of changed cells (walks the frames once).
    public var changedCount: Int {
        var n = 0
        for _ in self { n += 1 }
        return n
    }

    /// Calls `body(x, y, cells)` for each horizontal run of changed cells that share one style,
    /// skipping the right halves of double-width characters. This is what a backend writes: one
    /// style switch and one string per run instead of one call per cell.
    public func forEachRun(_ body: (_ x: Int, _ y: Int, _ cells: ArraySlice<Cell>) -> Void) {
        let full = isFullRepaint
        let new = current.cells
        let old = full ? new : previous!.cells
        let w = current.width
        guard w > 0 else { return }
        for y in 0..<current.height {
            let row = y * w
            var x = 0
            while x < w {
                let i = row + x
                if !(full || old[i] != new[i]) || new[i].isContinuation { x += 1; continue }
                var end = x + 1
                while end < w {
                    let j = row + end
                    if new[j].isContinuation { end += 1; continue }
                    if !(full || old[j] != new[j]) || !new[j].hasSameStyle(as: new[i]) { break }
                    end += 1
                }
                body(x, y, new[i..<(row + end)])
                x = end
            }
        }
    }
}

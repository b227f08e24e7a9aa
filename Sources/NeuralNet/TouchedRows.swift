/// Records which rows of a sparsely updated parameter a backward pass touched, each row once, in
/// `parameter.touchedRows` (what `zeroGrad` and the lazy optimizer paths visit).
///
/// A flag per row gives O(1) de-duplication; flags are cleared lazily, when the parameter's list
/// was emptied by `zeroGrad` since the last recording, so no step ever scans the whole table.
struct TouchedRowRecorder {
    private var isTouched: [Bool]
    private var flagged: [Int32] = []

    init(rows: Int, expectedPerStep: Int) {
        isTouched = [Bool](repeating: false, count: rows)
        flagged.reserveCapacity(expectedPerStep)
    }

    /// Call once at the start of each backward, before any `record`.
    mutating func begin(_ parameter: Parameter) {
        if parameter.touchedRows.isEmpty && !flagged.isEmpty {
            for r in flagged { isTouched[Int(r)] = false }
            flagged.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    mutating func record(_ row: Int32, in parameter: Parameter) {
        if !isTouched[Int(row)] {
            isTouched[Int(row)] = true
            flagged.append(row)
            parameter.touchedRows.append(row)
        }
    }
}

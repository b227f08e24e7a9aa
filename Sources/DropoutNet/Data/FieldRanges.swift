/// Splits a line at a single-byte separator into reused start/end offsets (no quotes, no
/// allocation): the hot path for interaction files, where ids never contain the separator.
struct FieldRanges {
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []

    init() {
        starts.reserveCapacity(16)
        ends.reserveCapacity(16)
    }

    var count: Int { starts.count }

    @inline(__always)
    mutating func split(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8) {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0..<line.count where line[i] == separator {
            starts.append(start)
            ends.append(i)
            start = i + 1
        }
        starts.append(start)
        ends.append(line.count)
    }

    /// Splits on runs of spaces/tabs (whitespace-separated files such as CiteULike's `.dat`).
    mutating func splitWhitespace(_ line: UnsafeBufferPointer<UInt8>) {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
            if i == n { break }
            let s = i
            while i < n && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
            starts.append(s)
            ends.append(i)
        }
    }

    @inline(__always)
    func field(_ k: Int, in line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[starts[k]..<ends[k]])
    }
}

/// How one categorical EasyRec column turns the strings the export writes into embedding rows,
/// chosen so that no two written values share a row (a shared row would make EasyRec's
/// embedding lookup differ from the workbench's one-hot / multi-hot input).
public enum EasyRecCategories: Sendable, Equatable {
    /// `vocab_list`: index k of the list; `list[0]` is an out-of-vocabulary placeholder, since
    /// EasyRec sends unknown strings to index 0 (the export writes an empty field for a value
    /// the workbench does not know, which EasyRec drops: a zero vector, like a one-hot with no
    /// entry).
    case vocabulary([String])
    /// `hash_bucket_size`: TensorFlow's `string_to_hash_bucket_fast`, FarmHash Fingerprint64
    /// mod `buckets`, with `buckets` checked collision-free over `values`.
    case hashed(buckets: Int, values: [String])
    /// `num_buckets`: the written value is the 1-based index of the value in `values` (0 is
    /// never written); for vocabularies too large for a collision-free hash of sensible size.
    case identity(values: [String])

    /// The `vocab_list` of `values`: a placeholder that is none of them, then the values sorted.
    public static func vocabulary(of values: Set<String>) -> EasyRecCategories {
        var placeholder = "__oov__"
        while values.contains(placeholder) { placeholder = "_" + placeholder + "_" }
        return .vocabulary([placeholder] + values.sorted())
    }

    /// A hash with the smallest bucket count (at least the number of values) where no two
    /// of `values` collide, searched up to `maxBuckets(values.count)`; past that, `.identity`.
    public static func hashed(of values: Set<String>) -> EasyRecCategories {
        let sorted = values.sorted()
        if let b = smallestCollisionFreeBuckets(sorted.map(FarmHash.fingerprint64), upTo: maxBuckets(sorted.count)) {
            return .hashed(buckets: b, values: sorted)
        }
        return .identity(values: sorted)
    }

    /// The largest bucket count the search tries: sixteen rows per value, at least 4096.
    public static func maxBuckets(_ n: Int) -> Int { max(16 * n, 4096) }

    /// The smallest b in max(n, 1)…limit where the fingerprints mod b are all distinct.
    static func smallestCollisionFreeBuckets(_ fingerprints: [UInt64], upTo limit: Int) -> Int? {
        let n = fingerprints.count
        guard n > 1 else { return 1 }
        guard n <= limit else { return nil }
        var seen = [UInt32](repeating: 0, count: limit)  // generation stamp per bucket
        var generation: UInt32 = 0
        for b in n...limit {
            generation += 1
            let m = UInt64(b)
            var clash = false
            for f in fingerprints {
                let k = Int(f % m)
                if seen[k] == generation { clash = true; break }
                seen[k] = generation
            }
            if !clash { return b }
        }
        return nil
    }

    /// What the CSV holds for `value` (nil: not representable — the export writes it only
    /// when the column knows it).
    public func encode(_ value: String) -> String? {
        switch self {
        case .vocabulary(let list): return Self.index(of: value, in: list[1...]) != nil ? value : nil
        case .hashed(_, let values): return Self.index(of: value, in: values[...]) != nil ? value : nil
        case .identity(let values): return Self.index(of: value, in: values[...]).map { String($0 + 1) }
        }
    }

    /// The value behind a written string, as EasyRec resolves it: the vocabulary entry at its
    /// index, the one known value in its hash bucket, or the entry at its identity index; nil
    /// when EasyRec would map it to no known value or to several (a collision).
    public func decode(_ written: String) -> String? {
        switch self {
        case .vocabulary(let list):
            guard let k = list.firstIndex(of: written), k > 0 else { return nil }
            return list[k]
        case let .hashed(buckets, values):
            let b = FarmHash.bucket(written, buckets: buckets)
            let matches = values.filter { FarmHash.bucket($0, buckets: buckets) == b }
            return matches.count == 1 ? matches[0] : nil
        case .identity(let values):
            guard let k = Int(written), k >= 1, k <= values.count else { return nil }
            return values[k - 1]
        }
    }

    /// The number of embedding rows EasyRec allocates.
    public var rows: Int {
        switch self {
        case .vocabulary(let list): return list.count
        case .hashed(let b, _): return b
        case .identity(let values): return values.count + 1
        }
    }

    /// The number of real values.
    public var valueCount: Int {
        switch self {
        case .vocabulary(let list): return list.count - 1
        case .hashed(_, let values), .identity(let values): return values.count
        }
    }

    /// The position of `value` in a sorted slice, counted from the slice's start.
    private static func index(of value: String, in sorted: ArraySlice<String>) -> Int? {
        var lo = sorted.startIndex, hi = sorted.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.endIndex && sorted[lo] == value ? lo - sorted.startIndex : nil
    }
}

// Temporary until Numerics' TopK lands; same signature.
enum TopK {
    static func select(_ scores: UnsafePointer<Float>, count: Int, k: Int,
                       indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>) -> Int {
        var pairs: [(Float, Int32)] = []
        for i in 0..<count where scores[i] > -.infinity { pairs.append((scores[i], Int32(i))) }
        pairs.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let n = min(k, pairs.count)
        for r in 0..<n { indices[r] = pairs[r].1; values[r] = pairs[r].0 }
        return n
    }
}

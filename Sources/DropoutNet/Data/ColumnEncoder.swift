import Foundation
import Numerics

/// How one content column becomes model inputs, fitted on the training rows (see
/// `FeatureEncoder` for the choice per column kind and `EncoderOptions.Scheme` for its versions).
enum ColumnEncoder: Sendable {
    case oneHot(vocabulary: [String: Int32], offset: Int, multi: Bool)
    case hashed(buckets: Int, offset: Int, multi: Bool)
    case numeric(mean: Float, std: Float, offset: Int)
    case vector(width: Int, offset: Int)
    /// tf-idf over a text column's words or a multi column's values.
    case tfidf(terms: Terms, idf: [Float], offset: Int, bag: Bag)

    /// What a tf-idf column counts: a multi column's `|`-separated values, or a text column's
    /// words as its scheme's tokenizer cuts them.
    enum Bag: Sendable {
        case values
        case text(TextTokenizer)

        func terms(_ raw: String) -> [String] {
            switch self {
            case .values: return ColumnEncoder.values(raw, multi: true)
            case .text(let tokenizer): return tokenizer.terms(raw)
            }
        }
    }

    /// A bag's term → column map: the fitted vocabulary, or a hash into buckets beyond the cap.
    enum Terms: Sendable {
        case vocabulary([String: Int32])
        case hashed(buckets: Int)

        func index(_ term: String) -> Int32? {
            switch self {
            case .vocabulary(let v): return v[term]
            case .hashed(let buckets): return Int32(ColumnEncoder.bucket(term, buckets))
            }
        }
    }

    /// Per-row scratch of a tf-idf encoder (reused across rows: no allocation per row).
    struct Scratch {
        var terms: [Int32] = []
        var weighted: [(Int32, Float)] = []
    }

    /// Appends row `raw`'s sparse entries (global column, value) to `entries`, or writes its
    /// dense values into `dense` row `row`.
    func encode(_ raw: String, row: Int, dense: Matrix, entries: inout [(Int32, Float)], scratch: inout Scratch) {
        switch self {
        case let .oneHot(vocabulary, offset, multi):
            for v in ColumnEncoder.values(raw, multi: multi) { if let k = vocabulary[v] { entries.append((Int32(offset) + k, 1)) } }
        case let .hashed(buckets, offset, multi):
            for v in ColumnEncoder.values(raw, multi: multi) { entries.append((Int32(offset + ColumnEncoder.bucket(v, buckets)), 1)) }
        case let .numeric(mean, std, offset):
            if let v = Float(raw.trimmingCharacters(in: .whitespaces)) { dense[row, offset] = (v - mean) / std }
        case let .vector(width, offset):
            for (k, p) in raw.split(separator: " ").prefix(width).enumerated() { dense[row, offset + k] = Float(p) ?? 0 }
        case let .tfidf(terms, idf, offset, bag):
            scratch.terms.removeAll(keepingCapacity: true)
            scratch.weighted.removeAll(keepingCapacity: true)
            for t in bag.terms(raw) {
                if let k = terms.index(t), idf[Int(k)] > 0 { scratch.terms.append(k) }
            }
            // In column order: the norm's float sum must not depend on the order words came in
            // (nor, as with a Dictionary, on the process's hash seed): runs and `eval` must
            // agree to the bit.
            scratch.terms.sort()
            var norm: Float = 0
            var i = 0
            while i < scratch.terms.count {
                let k = scratch.terms[i]
                var j = i
                while j < scratch.terms.count && scratch.terms[j] == k { j += 1 }
                let x = Float(log(1 + Double(j - i))) * idf[Int(k)]
                norm += x * x
                scratch.weighted.append((Int32(offset) + k, x))
                i = j
            }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for (k, x) in scratch.weighted { entries.append((k, x * scale)) }
        }
    }

    // MARK: Tokens

    /// A categorical field's value, or a multi field's `|`-separated values (trimmed, non-empty).
    static func values(_ raw: String, multi: Bool) -> [String] {
        if !multi { let t = raw.trimmingCharacters(in: .whitespaces); return t.isEmpty ? [] : [t] }
        return raw.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// FNV-1a of the UTF-8 bytes, modulo `buckets` (fixed across processes and platforms).
    static func bucket(_ v: String, _ buckets: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in v.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return Int(h % UInt64(max(buckets, 1)))
    }
}

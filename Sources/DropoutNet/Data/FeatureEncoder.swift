import Foundation
import Numerics

/// Limits of the content encoders.
public struct EncoderOptions: Sendable, Equatable, Codable {
    /// Most frequent words kept per text column (by document frequency among fitted rows).
    public var textVocabularyCap: Int = 20_000
    /// Words seen in fewer fitted rows than this are dropped (noise, typos, ids).
    public var textMinDocumentFrequency: Int = 2
    /// A categorical/multi column with more distinct values than this is hashed instead.
    public var categoricalCap: Int = 5_000
    /// Buckets of a hashed categorical/multi column.
    public var hashBuckets: Int = 4_096

    public init(textVocabularyCap: Int = 20_000, textMinDocumentFrequency: Int = 2, categoricalCap: Int = 5_000, hashBuckets: Int = 4_096) {
        self.textVocabularyCap = textVocabularyCap
        self.textMinDocumentFrequency = textMinDocumentFrequency
        self.categoricalCap = categoricalCap
        self.hashBuckets = hashBuckets
    }
}

/// Turns one side's raw content columns into model inputs (DESIGN §3.1):
/// - `categorical` → one-hot (hashed beyond `categoricalCap` values), sparse
/// - `multi` → multi-hot over `|`-separated values, sparse
/// - `numeric` → z-scored (missing → 0, the mean), dense
/// - `text` → tf-idf, log(1 + tf) · idf, L2-normalised per column, capped vocabulary, sparse
/// - `vector` → the numbers as given (missing → zeros), dense
/// - `display` → not a feature
///
/// Vocabularies, means and idf are fitted on the rows flagged in `fitRows` only (the entities
/// with training interactions), so nothing about held-out entities leaks into the encoding; a
/// value never seen in fitting encodes to nothing (hashed columns still place it in a bucket).
public struct FeatureEncoder: Sendable {
    enum ColumnEncoder: Sendable {
        case oneHot(vocabulary: [String: Int32], offset: Int, multi: Bool)
        case hashed(buckets: Int, offset: Int, multi: Bool)
        case numeric(mean: Float, std: Float, offset: Int)
        case vector(width: Int, offset: Int)
        case tfidf(vocabulary: [String: Int32], idf: [Float], offset: Int)
    }
    var encoders: [(column: Int, encoder: ColumnEncoder)] = []
    public private(set) var denseNames: [String] = []
    public private(set) var sparseNames: [String] = []
    public let options: EncoderOptions

    public var denseWidth: Int { denseNames.count }
    public var sparseWidth: Int { sparseNames.count }

    /// Fits every feature column of `content` on the rows where `fitRows` is true.
    public init(fitting content: SideContent, fitRows: [Bool], options: EncoderOptions = EncoderOptions()) {
        precondition(fitRows.count == content.count, "fitRows must have one flag per entity")
        self.options = options
        for (c, column) in content.columns.enumerated() {
            let rows = (0..<content.count).lazy.filter { fitRows[$0] }
            switch column.kind {
            case .display:
                continue
            case .categorical, .multi:
                let multi = column.kind == .multi
                var counts: [String: Int] = [:]
                for r in rows { for v in Self.values(column.values[r], multi: multi) { counts[v, default: 0] += 1 } }
                if counts.count > options.categoricalCap {
                    encoders.append((c, .hashed(buckets: options.hashBuckets, offset: sparseNames.count, multi: multi)))
                    sparseNames += (0..<options.hashBuckets).map { "\(column.name)#\($0)" }
                } else {
                    let ordered = counts.keys.sorted()
                    var vocabulary: [String: Int32] = [:]
                    for (k, v) in ordered.enumerated() { vocabulary[v] = Int32(k) }
                    encoders.append((c, .oneHot(vocabulary: vocabulary, offset: sparseNames.count, multi: multi)))
                    sparseNames += ordered.map { "\(column.name)=\($0)" }
                }
            case .numeric:
                var sum = 0.0, sumSq = 0.0, n = 0.0
                for r in rows { if let v = Double(column.values[r]) { sum += v; sumSq += v * v; n += 1 } }
                let mean = n > 0 ? sum / n : 0
                let variance = n > 1 ? max(sumSq / n - mean * mean, 0) : 0
                let std = variance > 1e-12 ? variance.squareRoot() : 1
                encoders.append((c, .numeric(mean: Float(mean), std: Float(std), offset: denseNames.count)))
                denseNames.append("\(column.name) (z)")
            case .vector:
                let width = column.values.first(where: { !$0.isEmpty })?.split(separator: " ").count ?? 0
                encoders.append((c, .vector(width: width, offset: denseNames.count)))
                denseNames += (0..<width).map { "\(column.name)[\($0)]" }
            case .text:
                var df: [String: Int] = [:]
                var fitted = 0
                for r in rows {
                    fitted += 1
                    for w in Set(Self.words(column.values[r])) { df[w, default: 0] += 1 }
                }
                let kept = df.filter { $0.value >= options.textMinDocumentFrequency }
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(options.textVocabularyCap)
                let ordered = kept.map(\.key).sorted()
                var vocabulary: [String: Int32] = [:]
                var idf: [Float] = []
                for (k, w) in ordered.enumerated() {
                    vocabulary[w] = Int32(k)
                    idf.append(Float(log(Double(1 + fitted) / Double(1 + df[w]!)) + 1))
                }
                encoders.append((c, .tfidf(vocabulary: vocabulary, idf: idf, offset: sparseNames.count)))
                sparseNames += ordered.map { "\(column.name):\($0)" }
            }
        }
    }

    /// Encodes every row of `content` (same columns as fitted).
    public func encode(_ content: SideContent) -> EncodedFeatures {
        let rows = content.count
        let dense = Matrix(rows: rows, cols: denseWidth)
        var pointers = [0]
        pointers.reserveCapacity(rows + 1)
        var indices: [Int32] = []
        var values: [Float] = []
        var rowEntries: [(Int32, Float)] = []
        for r in 0..<rows {
            rowEntries.removeAll(keepingCapacity: true)
            for (c, encoder) in encoders {
                let raw = content.columns[c].values[r]
                switch encoder {
                case let .oneHot(vocabulary, offset, multi):
                    for v in Self.values(raw, multi: multi) { if let k = vocabulary[v] { rowEntries.append((Int32(offset) + k, 1)) } }
                case let .hashed(buckets, offset, multi):
                    for v in Self.values(raw, multi: multi) { rowEntries.append((Int32(offset + Self.bucket(v, buckets)), 1)) }
                case let .numeric(mean, std, offset):
                    if let v = Float(raw.trimmingCharacters(in: .whitespaces)) { dense[r, offset] = (v - mean) / std }
                case let .vector(width, offset):
                    for (k, p) in raw.split(separator: " ").prefix(width).enumerated() { dense[r, offset + k] = Float(p) ?? 0 }
                case let .tfidf(vocabulary, idf, offset):
                    var tf: [Int32: Int] = [:]
                    for w in Self.words(raw) { if let k = vocabulary[w] { tf[k, default: 0] += 1 } }
                    var norm: Float = 0
                    // In column order: a Dictionary's order changes with each process's hash seed,
                    // and the norm's float sum must not (runs and `eval` must agree to the bit).
                    let weighted = tf.sorted { $0.key < $1.key }.map { (k, n) -> (Int32, Float) in
                        let x = Float(log(1 + Double(n))) * idf[Int(k)]
                        norm += x * x
                        return (Int32(offset) + k, x)
                    }
                    let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                    for (k, x) in weighted { rowEntries.append((k, x * scale)) }
                }
            }
            rowEntries.sort { $0.0 < $1.0 }
            var last: Int32 = -1
            for (k, x) in rowEntries {
                if k == last { values[values.count - 1] += x } else { indices.append(k); values.append(x); last = k }
            }
            pointers.append(indices.count)
        }
        let sparse = SparseMatrix(rows: rows, cols: sparseWidth, rowPointers: pointers, columnIndices: indices, values: values)
        return EncodedFeatures(dense: dense, sparse: sparse, denseNames: denseNames, sparseNames: sparseNames)
    }

    static func values(_ raw: String, multi: Bool) -> [String] {
        if !multi { let t = raw.trimmingCharacters(in: .whitespaces); return t.isEmpty ? [] : [t] }
        return raw.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Lower-cased alphanumeric runs of at least two characters.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else {
                if current.count >= 2 { out.append(current) }
                current.removeAll(keepingCapacity: true)
            }
        }
        if current.count >= 2 { out.append(current) }
        return out
    }

    static func bucket(_ v: String, _ buckets: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in v.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return Int(h % UInt64(max(buckets, 1)))
    }
}

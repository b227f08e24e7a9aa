import Foundation
import Numerics

/// Turns one side's raw content columns into model inputs (DESIGN §3.1):
/// - `categorical` → one-hot, sparse (hashed beyond `categoricalCap` values)
/// - `multi` → multi-hot over `|`-separated values, sparse; with more than `multiHotCap` values
///   (tags) tf-idf over the values instead, like text (hashed beyond `categoricalCap`)
/// - `numeric` → z-scored (missing → 0, the mean), dense
/// - `text` → tf-idf, log(1 + tf) · idf, L2-normalised per column, sparse
/// - `vector` → the numbers as given (missing → zeros), dense
/// - `display` → not a feature
/// and, with `EncoderOptions.svd` = K, the whole sparse block (when wider than K) projected
/// onto its top K singular directions and z-scored (`ContentProjection`), dense.
///
/// Vocabularies, idf, means and the projection are fitted on the rows flagged in `fitRows` only
/// (the entities with training interactions), so nothing about held-out entities leaks into the
/// encoding; a value never seen in fitting encodes to nothing (a hashed column's bucket only
/// when some fitted value shares it). `EncoderOptions.scheme` selects the weighting and caps;
/// `.hashedTags` reproduces, bit for bit, what checkpoints from before it were trained on.
public struct FeatureEncoder: Sendable {
    var encoders: [(column: Int, encoder: ColumnEncoder)] = []
    /// Names of the columns the content encodes to, before any projection.
    private var columnDenseNames: [String] = []
    private var columnSparseNames: [String] = []
    /// The `svd` projection of the sparse block (nil: it stays sparse).
    public private(set) var projection: ContentProjection?
    public let options: EncoderOptions

    /// Names of the encoded dense and sparse columns (what `encode` returns).
    public var denseNames: [String] {
        guard let projection else { return columnDenseNames }
        return columnDenseNames + (0..<projection.rank).map { "content.svd[\($0)]" }
    }
    public var sparseNames: [String] { projection == nil ? columnSparseNames : [] }
    public var denseWidth: Int { columnDenseNames.count + (projection?.rank ?? 0) }
    public var sparseWidth: Int { projection == nil ? columnSparseNames.count : 0 }

    /// Fits every feature column of `content` on the rows where `fitRows` is true.
    public init(fitting content: SideContent, fitRows: [Bool], options: EncoderOptions = EncoderOptions()) {
        precondition(fitRows.count == content.count, "fitRows must have one flag per entity")
        self.options = options
        let fitted = (0..<content.count).filter { fitRows[$0] }
        for (c, column) in content.columns.enumerated() {
            let values = fitted.lazy.map { column.values[$0] }
            switch column.kind {
            case .display:
                continue
            case .categorical:
                fitCategorical(c, column.name, values, multi: false)
            case .multi:
                if options.scheme == .hashedTags {
                    fitCategorical(c, column.name, values, multi: true)
                } else {
                    fitMulti(c, column.name, values)
                }
            case .numeric:
                var sum = 0.0, sumSq = 0.0, n = 0.0
                for raw in values { if let v = Double(raw) { sum += v; sumSq += v * v; n += 1 } }
                let mean = n > 0 ? sum / n : 0
                let variance = n > 1 ? max(sumSq / n - mean * mean, 0) : 0
                let std = variance > 1e-12 ? variance.squareRoot() : 1
                encoders.append((c, .numeric(mean: Float(mean), std: Float(std), offset: columnDenseNames.count)))
                columnDenseNames.append("\(column.name) (z)")
            case .vector:
                let width = column.values.first(where: { !$0.isEmpty })?.split(separator: " ").count ?? 0
                encoders.append((c, .vector(width: width, offset: columnDenseNames.count)))
                columnDenseNames += (0..<width).map { "\(column.name)[\($0)]" }
            case .text:
                fitText(c, column.name, values)
            }
        }
        if options.svd > 0 && columnSparseNames.count > options.svd && !fitted.isEmpty {
            let (_, sparse) = encodeColumns(content, rows: fitted)
            projection = ContentProjection(fitting: sparse, rank: options.svd, seed: options.svdSeed)
        }
    }

    /// Encodes every row of `content` (same columns as fitted).
    public func encode(_ content: SideContent) -> EncodedFeatures {
        let (dense, sparse) = encodeColumns(content, rows: Array(0..<content.count))
        guard let projection else {
            return EncodedFeatures(dense: dense, sparse: sparse, denseNames: denseNames, sparseNames: sparseNames)
        }
        let d = dense.cols
        let out = Matrix(rows: content.count, cols: denseWidth)
        for r in 0..<content.count { out.row(r).update(from: dense.row(r), count: d) }
        projection.project(sparse, into: out, column: d)
        return EncodedFeatures(dense: out, sparse: .empty(rows: content.count), denseNames: denseNames, sparseNames: [])
    }

    /// The column encoders' output for `rows` (in that order), before any projection.
    func encodeColumns(_ content: SideContent, rows: [Int]) -> (dense: Matrix, sparse: SparseMatrix) {
        let dense = Matrix(rows: rows.count, cols: columnDenseNames.count)
        var pointers = [0]
        pointers.reserveCapacity(rows.count + 1)
        var indices: [Int32] = []
        var values: [Float] = []
        var rowEntries: [(Int32, Float)] = []
        var scratch = ColumnEncoder.Scratch()
        for (i, r) in rows.enumerated() {
            rowEntries.removeAll(keepingCapacity: true)
            for (c, encoder) in encoders {
                encoder.encode(content.columns[c].values[r], row: i, dense: dense, entries: &rowEntries, scratch: &scratch)
            }
            rowEntries.sort { $0.0 < $1.0 }
            var last: Int32 = -1
            for (k, x) in rowEntries {
                if k == last { values[values.count - 1] += x } else { indices.append(k); values.append(x); last = k }
            }
            pointers.append(indices.count)
        }
        let sparse = SparseMatrix(rows: rows.count, cols: columnSparseNames.count, rowPointers: pointers, columnIndices: indices, values: values)
        return (dense, sparse)
    }

    // MARK: Fitting

    /// One-hot (multi-hot) over the fitted values, or hashed beyond `categoricalCap`.
    private mutating func fitCategorical<S: Sequence>(_ c: Int, _ name: String, _ rows: S, multi: Bool) where S.Element == String {
        var seen = Set<String>()
        for raw in rows { for v in ColumnEncoder.values(raw, multi: multi) { seen.insert(v) } }
        if seen.count > options.categoricalCap {
            encoders.append((c, .hashed(buckets: options.hashBuckets, offset: columnSparseNames.count, multi: multi)))
            columnSparseNames += (0..<options.hashBuckets).map { "\(name)#\($0)" }
        } else {
            appendOneHot(c, name, seen.sorted(), multi: multi)
        }
    }

    private mutating func appendOneHot(_ c: Int, _ name: String, _ ordered: [String], multi: Bool) {
        var vocabulary: [String: Int32] = [:]
        for (k, v) in ordered.enumerated() { vocabulary[v] = Int32(k) }
        encoders.append((c, .oneHot(vocabulary: vocabulary, offset: columnSparseNames.count, multi: multi)))
        columnSparseNames += ordered.map { "\(name)=\($0)" }
    }

    /// `.fullVocabulary` multi columns: multi-hot when few values, else tf-idf over all of them
    /// (min-df 1), hashed tf-idf beyond `categoricalCap`.
    private mutating func fitMulti<S: Sequence>(_ c: Int, _ name: String, _ rows: S) where S.Element == String {
        let (df, n) = Self.documentFrequencies(rows) { ColumnEncoder.values($0, multi: true) }
        if df.count <= options.multiHotCap {
            appendOneHot(c, name, df.keys.sorted(), multi: true)
        } else if df.count <= options.categoricalCap {
            appendTfidf(c, name, df: df, fitted: n, minimumDF: 1, cap: Int.max, bag: .values)
        } else {
            let buckets = options.hashBuckets
            var bucketDF = [Int](repeating: 0, count: buckets)
            // A row's values sharing a bucket count once, as one term would.
            for raw in rows { for b in Set(ColumnEncoder.values(raw, multi: true).map { ColumnEncoder.bucket($0, buckets) }) { bucketDF[b] += 1 } }
            let idf = bucketDF.map { $0 > 0 ? Float(max(Self.idf(documents: n, df: $0), 0)) : 0 }
            encoders.append((c, .tfidf(terms: .hashed(buckets: buckets), idf: idf, offset: columnSparseNames.count, bag: .values)))
            columnSparseNames += (0..<buckets).map { "\(name)#\($0)" }
        }
    }

    private mutating func fitText<S: Sequence>(_ c: Int, _ name: String, _ rows: S) where S.Element == String {
        let tokenizer = options.textTokenizer
        let (df, n) = Self.documentFrequencies(rows, tokenizer.terms)
        if options.scheme == .hashedTags {
            let kept = df.filter { $0.value >= options.textMinDocumentFrequency }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(options.textVocabularyCap)
            let ordered = kept.map(\.key).sorted()
            var vocabulary: [String: Int32] = [:]
            var idf: [Float] = []
            for (k, w) in ordered.enumerated() {
                vocabulary[w] = Int32(k)
                idf.append(Float(log(Double(1 + n) / Double(1 + df[w]!)) + 1))
            }
            encoders.append((c, .tfidf(terms: .vocabulary(vocabulary), idf: idf, offset: columnSparseNames.count, bag: .text(tokenizer))))
            columnSparseNames += ordered.map { "\(name):\($0)" }
        } else {
            appendTfidf(c, name, df: df, fitted: n, minimumDF: options.textMinDocumentFrequency, cap: options.textVocabularyCap, bag: .text(tokenizer))
        }
    }

    /// tf-idf over the terms with df ≥ `minimumDF` and idf > 0, the `cap` most frequent of them
    /// when there are more; columns in term order.
    private mutating func appendTfidf(_ c: Int, _ name: String, df: [String: Int], fitted n: Int, minimumDF: Int, cap: Int, bag: ColumnEncoder.Bag) {
        var kept = df.filter { $0.value >= minimumDF && Self.idf(documents: n, df: $0.value) > 0 }.map { ($0.key, $0.value) }
        if kept.count > cap {
            kept = Array(kept.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(cap))
        }
        let ordered = kept.map(\.0).sorted()
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(ordered.count)
        for (k, t) in ordered.enumerated() { vocabulary[t] = Int32(k) }
        let idf = ordered.map { Float(Self.idf(documents: n, df: df[$0]!)) }
        encoders.append((c, .tfidf(terms: .vocabulary(vocabulary), idf: idf, offset: columnSparseNames.count, bag: bag)))
        columnSparseNames += ordered.map { "\(name):\($0)" }
    }

    /// The DropoutNet paper's idf, log(N / (1 + df)): ≤ 0 for a term in all or all but one of
    /// the N fitted rows (such a term tells nothing apart and is dropped).
    static func idf(documents n: Int, df: Int) -> Double { log(Double(n) / Double(1 + df)) }

    /// Rows containing each term, and the number of rows.
    static func documentFrequencies<S: Sequence>(_ rows: S, _ terms: (String) -> [String]) -> (df: [String: Int], rows: Int) where S.Element == String {
        var df: [String: Int] = [:]
        var n = 0
        for raw in rows {
            n += 1
            for t in Set(terms(raw)) { df[t, default: 0] += 1 }
        }
        return (df, n)
    }
}

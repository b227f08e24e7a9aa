import Numerics

/// What each entity's EasyRec columns hold: every content column and preference input written
/// as the workbench feeds it — only the values its encoders know (fitted on entities with
/// training interactions), numeric columns z-scored as its encoder does, the standardised and
/// clipped WMF vectors or behaviour statistics the towers read, zeros / empty for cold
/// entities — in the form EasyRec parses (one string per entity and column).
public struct EasyRecValues: Sendable {
    public struct Column: Sendable {
        /// The dataset column (content) or preference feature this is.
        public var source: String
        public var kind: SideContent.ColumnKind
        /// One written string per entity (the side's dense index).
        public var values: [String]
        /// The categorical encoding (categorical, multi and text columns, id preference).
        public var categories: EasyRecCategories?
        /// Whether each value is written `term:weight` with the workbench's tf-idf weight
        /// (`kvSeparator`), for a column the workbench encodes by tf-idf.
        public var weighted = false
    }

    /// Between a term and its weight in a weighted column (EasyRec's `kv_separator`).
    public static let kvSeparator = ":"

    public var userContent: [Column]
    public var itemContent: [Column]
    public var userPreference: [Column]
    public var itemPreference: [Column]

    /// - Parameter wmf: the standardised WMF factors the model was built with (`Trainer.wmfFactors`),
    ///   needed when a side's preference is `wmf`.
    public init(data: TrainingData, settings: Settings, wmf: (users: Matrix, items: Matrix)?) throws {
        userContent = try Self.content(data.dataset.userContent, encoder: data.userEncoder, known: data.isKnownUser, side: "user")
        itemContent = try Self.content(data.dataset.itemContent, encoder: data.itemEncoder, known: data.isKnownItem, side: "item")
        userPreference = try Self.preference(settings.userPreference, ids: data.dataset.userIDs, known: data.isKnownUser,
                                             stats: data.userStats, wmf: wmf?.users, side: "user")
        itemPreference = try Self.preference(settings.itemPreference, ids: data.dataset.itemIDs, known: data.isKnownItem,
                                             stats: data.itemStats, wmf: wmf?.items, side: "item")
    }

    // MARK: Content

    static func content(_ side: SideContent, encoder: FeatureEncoder, known: [Bool], side name: String) throws -> [Column] {
        var out: [Column] = []
        for (c, column) in side.columns.enumerated() where column.kind != .display {
            let enc = encoder.encoders.first { $0.column == c }?.encoder
            switch column.kind {
            case .categorical, .multi, .text:
                let text = column.kind == .text
                let terms: (String) -> [String] = text ? encoder.options.textTokenizer.terms : { ColumnEncoder.values($0, multi: column.kind == .multi) }
                let vocabulary = Self.vocabulary(of: enc, fitted: known.indices.lazy.filter { known[$0] }.map { column.values[$0] }, terms: terms)
                let categories: EasyRecCategories = column.kind == .categorical ? .vocabulary(of: vocabulary) : .hashed(of: vocabulary)
                let separator = text ? " " : "|"
                let tfidf = Self.tfidfWeights(enc)
                let weighted = tfidf != nil && !vocabulary.contains { $0.contains(Self.kvSeparator) }
                var values: [String] = []
                values.reserveCapacity(column.values.count)
                for raw in column.values {
                    var seen = Set<String>(), kept: [String] = []
                    let weights = weighted ? tfidf?(raw) : nil
                    for t in terms(raw) where vocabulary.contains(t) && seen.insert(t).inserted {
                        guard let written = categories.encode(t) else { continue }
                        if let weights { kept.append(written + Self.kvSeparator + Self.number(weights[t] ?? 0)) } else { kept.append(written) }
                    }
                    values.append(kept.joined(separator: separator))
                }
                for v in vocabulary where v.contains(",") || v.contains("\"") || (!text && v.contains(separator)) {
                    throw ExportError("\(name) column '\(column.name)' has the value '\(v)', which holds a comma, a quote or the separator; EasyRec's CSV input cannot carry it")
                }
                out.append(Column(source: column.name, kind: column.kind, values: values, categories: categories, weighted: weighted))
            case .numeric:
                var mean: Float = 0, std: Float = 1
                if case let .numeric(m, s, _)? = enc { mean = m; std = s }
                let values = column.values.map { raw -> String in
                    guard let v = Float(raw.trimmingCharacters(in: .whitespaces)) else { return "0" }
                    return Self.number((v - mean) / std)
                }
                out.append(Column(source: column.name, kind: .numeric, values: values))
            case .vector:
                var width = 0
                if case let .vector(w, _)? = enc { width = w }
                let zeros = Array(repeating: "0", count: width).joined(separator: " ")
                let values = column.values.map { raw -> String in
                    let parts = raw.split(separator: " ").map { Float($0).map(Self.number) ?? "0" }
                    return parts.count == width ? parts.joined(separator: " ") : zeros
                }
                out.append(Column(source: column.name, kind: .vector, values: values))
            case .display:
                continue
            }
        }
        return out
    }

    /// For a tf-idf encoder, a row's weight per term as the workbench encodes it (tf = log(1 +
    /// count), idf, the row l2-normalised): EasyRec's weighted TagFeature (`kv_separator`, combiner
    /// sum) then computes Σ weight·embedding, the workbench's first layer over tf-idf. Averaging
    /// the words instead cost cold-item recall@20 on sample-data (0.221–0.240 in three EasyRec
    /// runs, 0.249–0.258 in three with the weights). Nil for other encoders.
    static func tfidfWeights(_ encoder: ColumnEncoder?) -> ((String) -> [String: Float])? {
        guard let encoder, case let .tfidf(terms, _, offset, bag) = encoder else { return nil }
        let none = Matrix(rows: 0, cols: 0)
        return { raw in
            var entries: [(Int32, Float)] = [], scratch = ColumnEncoder.Scratch()
            encoder.encode(raw, row: 0, dense: none, entries: &entries, scratch: &scratch)
            let byColumn = Dictionary(entries, uniquingKeysWith: +)
            var out: [String: Float] = [:]
            for t in bag.terms(raw) {
                if let k = terms.index(t), let w = byColumn[Int32(offset) + k] { out[t] = w }
            }
            return out
        }
    }

    /// The terms the workbench's encoder gives a weight: its one-hot or tf-idf vocabulary
    /// (terms with idf > 0); for a hashed encoder, every term of the fitted rows.
    static func vocabulary<S: Sequence>(of encoder: ColumnEncoder?, fitted rows: S, terms: (String) -> [String]) -> Set<String> where S.Element == String {
        switch encoder {
        case let .oneHot(vocabulary, _, _)?:
            return Set(vocabulary.keys)
        case let .tfidf(.vocabulary(vocabulary), idf, _, _)?:
            return Set(vocabulary.filter { idf[Int($0.value)] > 0 }.keys)
        default:
            var all = Set<String>()
            for raw in rows { for t in terms(raw) { all.insert(t) } }
            return all
        }
    }

    // MARK: Preference

    static func preference(_ kind: Settings.PreferenceKind, ids: [String], known: [Bool], stats: Matrix,
                           wmf: Matrix?, side: String) throws -> [Column] {
        switch kind {
        case .id:
            let knownIDs = Set(ids.indices.filter { known[$0] }.map { ids[$0] })
            for id in knownIDs where id.contains(",") || id.contains("\"") {
                throw ExportError("\(side) id '\(id)' holds a comma or a quote; EasyRec's CSV input cannot carry it")
            }
            return [Column(source: "\(side)_id", kind: .categorical, values: ids.indices.map { known[$0] ? ids[$0] : "" },
                           categories: .vocabulary(of: knownIDs))]
        case .stats:
            return PreferenceInputs.statsNames.enumerated().map { c, name in
                Column(source: name, kind: .numeric, values: (0..<stats.rows).map { Self.number(stats[$0, c]) })
            }
        case .wmf:
            guard let wmf else { throw ExportError("the \(side) preference is wmf but no WMF factors were given") }
            let values = (0..<wmf.rows).map { r in (0..<wmf.cols).map { Self.number(wmf[r, $0]) }.joined(separator: " ") }
            return [Column(source: "wmf", kind: .vector, values: values)]
        }
    }

    /// A float as the shortest text that reads back to the same Float ("0", "-1.25", "3e-05").
    static func number(_ v: Float) -> String {
        if v == 0 { return "0" }
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        return "\(v)"
    }
}

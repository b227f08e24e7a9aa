import Foundation

/// The dataset columns an EasyRec export declares: one entry per content column of each side,
/// with what a feature config needs (kind, distinct values, vector width).
public struct EasyRecSchema: Sendable, Equatable, Codable {
    public struct Column: Sendable, Equatable, Codable {
        public var name: String
        public var kind: SideContent.ColumnKind
        /// Distinct values (categorical), tags (multi) or words (text) seen; nil when unknown.
        public var distinct: Int?
        /// Width of a `vector` column; nil when unknown.
        public var dimension: Int?

        public init(name: String, kind: SideContent.ColumnKind, distinct: Int? = nil, dimension: Int? = nil) {
            self.name = name; self.kind = kind; self.distinct = distinct; self.dimension = dimension
        }
    }

    public var datasetName: String?
    public var userColumns: [Column]
    public var itemColumns: [Column]
    public var users: Int?
    public var items: Int?
    /// Training interactions (for `num_steps`); nil when unknown.
    public var trainInteractions: Int?
    /// Whether the interactions carry sample weights (a `weight` column with a value other than
    /// 1); nil when unknown (a checkpoint written before this was recorded).
    public var sampleWeights: Bool?

    public init(datasetName: String? = nil, userColumns: [Column] = [], itemColumns: [Column] = [],
                users: Int? = nil, items: Int? = nil, trainInteractions: Int? = nil, sampleWeights: Bool? = nil) {
        self.datasetName = datasetName; self.userColumns = userColumns; self.itemColumns = itemColumns
        self.users = users; self.items = items; self.trainInteractions = trainInteractions
        self.sampleWeights = sampleWeights
    }

    /// The schema of a loaded dataset; `trainInteractions` from its split when known.
    public init(dataset: Dataset, trainInteractions: Int? = nil) {
        func columns(_ side: SideContent) -> [Column] {
            side.columns.map { c in
                switch c.kind {
                case .categorical:
                    return Column(name: c.name, kind: c.kind, distinct: Set(c.values.filter { !$0.isEmpty }).count)
                case .multi:
                    return Column(name: c.name, kind: c.kind,
                                  distinct: Set(c.values.flatMap { $0.split(separator: "|") }).count)
                case .text:
                    return Column(name: c.name, kind: c.kind,
                                  distinct: Set(c.values.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }).count)
                case .vector:
                    return Column(name: c.name, kind: c.kind,
                                  dimension: c.values.first(where: { !$0.isEmpty })?.split(separator: " ").count)
                case .numeric, .display:
                    return Column(name: c.name, kind: c.kind)
                }
            }
        }
        self.init(datasetName: dataset.name, userColumns: columns(dataset.userContent), itemColumns: columns(dataset.itemContent),
                  users: dataset.userCount, items: dataset.itemCount, trainInteractions: trainInteractions,
                  sampleWeights: dataset.weights.contains { $0 != 1 })
    }
}

extension EasyRecSchema {
    /// The schema as JSON, for a checkpoint's metadata ("easyrec_schema"), so that
    /// `export easyrec --checkpoint` can declare the dataset's real columns.
    public var json: JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self))) ?? .null
    }

    public init(json: JSONValue) throws {
        self = try JSONDecoder().decode(EasyRecSchema.self, from: JSONEncoder().encode(json))
    }
}

/// A user or an item as the explorer shows it: its raw content, the encoded features the model
/// actually sees, and how much training history it has.
public struct EntityDescription: Sendable, Equatable {
    /// One `name: value` line.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    public var id: String
    /// The item's title (a `display` column), nil for users and untitled items.
    public var title: String?
    /// No training interactions: the model knows it by its content alone.
    public var isCold: Bool
    /// Training positives (a user's liked items, or the users who liked an item).
    public var trainingPositives: Int
    /// Non-empty raw content columns, in file order (a vector column as "[n numbers]").
    public var content: [Field]
    /// The non-zero encoded inputs in column order, with their values: "genre=Comedy" 1,
    /// "title:toy" 0.58 (tf-idf), "year (z)" 0.31. A value the training vocabulary never saw is
    /// absent here — which is why a cold entity can look featureless to the model.
    public var encoded: [Field]
}

extension ExplorerQueries {
    /// `user`'s description (content from `users.csv`, encoded by the training-fitted encoder).
    public static func describeUser(_ user: Int, data: TrainingData) -> EntityDescription {
        EntityDescription(id: data.dataset.userIDs[user], title: nil, isCold: !data.isKnownUser[user],
                          trainingPositives: user < data.trainPositives.rows ? data.trainPositives.count(user) : 0,
                          content: fields(data.dataset.userContent, row: user),
                          encoded: encodedFields(data.userFeatures, row: user))
    }

    /// `item`'s description, with its title where the dataset has titles.
    public static func describeItem(_ item: Int, data: TrainingData) -> EntityDescription {
        let title = data.dataset.itemContent.title(item)
        return EntityDescription(id: data.dataset.itemIDs[item], title: title?.isEmpty == false ? title : nil,
                                 isCold: !data.isKnownItem[item], trainingPositives: data.itemPopularity[item],
                                 content: fields(data.dataset.itemContent, row: item),
                                 encoded: encodedFields(data.itemFeatures, row: item))
    }

    static func fields(_ content: SideContent, row: Int) -> [EntityDescription.Field] {
        content.columns.compactMap { column in
            let value = column.values[row]
            guard !value.isEmpty else { return nil }
            if column.kind == .vector { return .init(column.name, "[\(value.split(separator: " ").count) numbers]") }
            return .init(column.name, value)
        }
    }

    static func encodedFields(_ features: EncodedFeatures, row: Int) -> [EntityDescription.Field] {
        var out: [EntityDescription.Field] = []
        for c in 0..<features.dense.cols {
            let v = features.dense[row, c]
            if v != 0 { out.append(.init(features.denseNames[c], number(v))) }
        }
        let s = features.sparse
        for k in s.rowPointers[row]..<s.rowPointers[row + 1] where s.values[k] != 0 {
            out.append(.init(features.sparseNames[Int(s.columnIndices[k])], number(s.values[k])))
        }
        return out
    }

    /// Up to three decimals, without trailing zeros ("1", "0.58", "-1.25").
    static func number(_ v: Float) -> String {
        var text = String((Double(v) * 1000).rounded() / 1000)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

import Foundation

/// Which data a run trained on, recorded with the run and in every checkpoint.
///
/// Counts make a table readable; the fingerprint (a hash of the interactions, ids and content
/// column names) tells two datasets with the same counts apart, so `eval --checkpoint` can refuse
/// to score a model on data it was not trained for.
public struct DatasetIdentity: Codable, Equatable, Sendable {
    public var name: String
    /// Where it was loaded from, as given by the user (for display; not used to compare).
    public var path: String
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var positives: Int
    public var fingerprint: String

    public init(name: String, path: String, users: Int, items: Int, interactions: Int, positives: Int, fingerprint: String) {
        self.name = name; self.path = path; self.users = users; self.items = items
        self.interactions = interactions; self.positives = positives; self.fingerprint = fingerprint
    }

    /// Computes the identity of a loaded dataset (one pass over its arrays).
    public init(dataset: Dataset, path: String) {
        var f = Fingerprint()
        f.add(dataset.users)
        f.add(dataset.items)
        f.add(dataset.labels)
        f.add(dataset.userCount)
        f.add(dataset.itemCount)
        for id in dataset.userIDs { f.add(id) }
        for id in dataset.itemIDs { f.add(id) }
        for column in dataset.userContent.columns + dataset.itemContent.columns {
            f.add(column.name)
            f.add(column.kind.rawValue)
        }
        self.init(name: dataset.name, path: path, users: dataset.userCount, items: dataset.itemCount,
                  interactions: dataset.interactionCount, positives: dataset.positiveCount, fingerprint: f.hex)
    }
}

/// Which interactions trained and which were held out: the split's origin (seed and fractions,
/// or the directory of predefined files) and a hash of its index lists.
public struct SplitIdentity: Codable, Equatable, Sendable {
    public var origin: String
    public var hash: String

    public init(origin: String, hash: String) { self.origin = origin; self.hash = hash }

    public init(split: Split) {
        var f = Fingerprint()
        for part in [split.train, split.validation, split.warmTest, split.coldUserTest, split.coldItemTest,
                     split.coldUsers, split.coldItems, split.coldItemCandidates] {
            f.add(part)
        }
        if let candidates = split.testCandidates { f.add(candidates) }
        self.init(origin: split.origin, hash: f.hex)
    }
}

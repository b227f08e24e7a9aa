import Numerics

/// A loaded dataset with dense integer ids: the interactions plus each side's content.
///
/// Columnar arrays, not an array of structs: 25 M interactions must load and cache fast and
/// stay within a small multiple of their raw size. Ids in files are strings; inside they are
/// 0-based indices into `userIDs` / `itemIDs`.
public final class Dataset: @unchecked Sendable {
    public var name: String
    public var userIDs: [String]
    public var itemIDs: [String]
    /// Interaction i: `users[i]` saw `items[i]`; `labels[i]` 1 = clicked/liked, 0 = shown only.
    public var users: [Int32]
    public var items: [Int32]
    public var labels: [UInt8]
    /// Optional per-interaction weight (1 when absent) and timestamp (0 when absent).
    public var weights: [Float]
    public var timestamps: [Int64]
    public var userContent: SideContent
    public var itemContent: SideContent

    public var userCount: Int { userIDs.count }
    public var itemCount: Int { itemIDs.count }
    public var interactionCount: Int { users.count }
    public var positiveCount: Int { labels.reduce(0) { $0 + Int($1) } }

    public init(name: String, userIDs: [String], itemIDs: [String], users: [Int32], items: [Int32],
                labels: [UInt8], weights: [Float]? = nil, timestamps: [Int64]? = nil,
                userContent: SideContent? = nil, itemContent: SideContent? = nil) {
        precondition(users.count == items.count && items.count == labels.count)
        self.name = name
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.users = users
        self.items = items
        self.labels = labels
        self.weights = weights ?? Array(repeating: 1, count: users.count)
        self.timestamps = timestamps ?? Array(repeating: 0, count: users.count)
        self.userContent = userContent ?? SideContent.none(count: userIDs.count)
        self.itemContent = itemContent ?? SideContent.none(count: itemIDs.count)
    }
}

/// One side's (users' or items') raw content columns before encoding, plus display text.
public struct SideContent: Sendable {
    public enum ColumnKind: String, Sendable, Codable, CaseIterable {
        case categorical, multi, numeric, text, vector, display
    }
    public struct Column: Sendable {
        public var name: String
        public var kind: ColumnKind
        /// One raw string per entity (empty = missing). `multi` values are `|`-separated,
        /// `vector` values space-separated floats, `text` free text.
        public var values: [String]
        public init(name: String, kind: ColumnKind, values: [String]) {
            self.name = name; self.kind = kind; self.values = values
        }
    }
    public var columns: [Column]
    public var count: Int

    public init(columns: [Column], count: Int) {
        self.columns = columns
        self.count = count
    }

    public static func none(count: Int) -> SideContent { SideContent(columns: [], count: count) }

    /// The display title of entity `i` (first `display` column), or nil.
    public func title(_ i: Int) -> String? {
        columns.first(where: { $0.kind == .display })?.values[i]
    }
}

/// Encoded content of one side: a dense block and a sparse (CSR) block, one row per entity.
/// Produced by `FeatureEncoder` fitted on the training split only.
public struct EncodedFeatures: Sendable {
    public var dense: Matrix
    public var sparse: SparseMatrix
    /// Human-readable names of the dense then sparse columns (the explorer shows them).
    public var denseNames: [String]
    public var sparseNames: [String]

    public init(dense: Matrix, sparse: SparseMatrix, denseNames: [String], sparseNames: [String]) {
        self.dense = dense; self.sparse = sparse; self.denseNames = denseNames; self.sparseNames = sparseNames
    }

    public var rows: Int { dense.rows }
    public var width: Int { dense.cols + sparse.cols }
    /// Bytes of the two blocks' values and indices (what the encoded content keeps in memory).
    public var byteSize: Int {
        dense.count * MemoryLayout<Float>.stride
            + sparse.nonZeroCount * (MemoryLayout<Int32>.stride + MemoryLayout<Float>.stride)
            + sparse.rowPointers.count * MemoryLayout<Int>.stride
    }
}

/// Which interactions train, validate and test, and who is cold (DESIGN §3.4, §5).
///
/// Test and validation sets are lists of (user, item) positive pairs grouped per user by the
/// evaluator; each evaluation split knows its candidate items.
public struct Split: Sendable, Equatable {
    /// Indices into the dataset's interaction arrays used for training (positives and shown-only).
    public var train: [Int32]
    /// Indices of held-out interactions (positives are evaluated) per evaluation split.
    public var validation: [Int32]
    public var warmTest: [Int32]
    public var coldUserTest: [Int32]
    public var coldItemTest: [Int32]
    /// Entities held out entirely (no training interaction).
    public var coldUsers: [Int32]
    public var coldItems: [Int32]
    /// Candidate items of the cold-item split (predefined `test_item_ids.csv`, or the cold items).
    public var coldItemCandidates: [Int32]
    /// When set, every test split competes among exactly these items, in this order: the
    /// `test_item_ids.csv` of a split directory (the DropoutNet reference protocol, where the warm
    /// directory lists every item). Nil: warm and cold-user test among the training items.
    public var testCandidates: [Int32]?
    /// How the split was made, for the run store: "random seed=… fractions…" or "files DIR".
    public var origin: String

    public init(train: [Int32], validation: [Int32], warmTest: [Int32], coldUserTest: [Int32], coldItemTest: [Int32],
                coldUsers: [Int32], coldItems: [Int32], coldItemCandidates: [Int32], origin: String,
                testCandidates: [Int32]? = nil) {
        self.train = train; self.validation = validation; self.warmTest = warmTest
        self.coldUserTest = coldUserTest; self.coldItemTest = coldItemTest
        self.coldUsers = coldUsers; self.coldItems = coldItems
        self.coldItemCandidates = coldItemCandidates; self.origin = origin
        self.testCandidates = testCandidates
    }
}

/// `data inspect --json`: a dataset's counts, its features per side and its split's sizes.
public struct DatasetReport: Codable, Equatable, Sendable {
    public struct Column: Codable, Equatable, Sendable { public var name, kind: String }

    /// One side's content columns and the width of its encoded features.
    public struct Side: Codable, Equatable, Sendable {
        public var columns: [Column]
        public var dense, sparse: Int
        public var sparseNonzeros: Int
        enum CodingKeys: String, CodingKey { case columns, dense, sparse, sparseNonzeros = "sparse_nonzeros" }

        init(_ content: SideContent, _ f: EncodedFeatures) {
            columns = content.columns.map { Column(name: $0.name, kind: $0.kind.rawValue) }
            dense = f.dense.cols
            sparse = f.sparse.cols
            sparseNonzeros = f.sparse.nonZeroCount
        }
    }

    public struct Features: Codable, Equatable, Sendable {
        public var users, items: Side
        public var preferenceStats: [String]
        enum CodingKeys: String, CodingKey { case users, items, preferenceStats = "preference_stats" }
    }

    /// Interactions per part of the split, entity counts, and "<split>_users": the users each
    /// evaluation split scores.
    public struct SplitSizes: Codable, Equatable, Sendable {
        public var origin: String
        public var counts: [String: Int]

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: DynamicCodingKey.self)
            try c.encode(origin, forKey: DynamicCodingKey("origin"))
            for (key, n) in counts { try c.encode(n, forKey: DynamicCodingKey(key)) }
        }

        public init(origin: String, counts: [String: Int]) {
            self.origin = origin
            self.counts = counts
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: DynamicCodingKey.self)
            origin = try c.decode(String.self, forKey: DynamicCodingKey("origin"))
            counts = [:]
            for key in c.allKeys where key.stringValue != "origin" { counts[key.stringValue] = try c.decode(Int.self, forKey: key) }
        }
    }

    public var name: String
    public var directory: String
    public var users, items, interactions, positives: Int
    public var features: Features
    public var split: SplitSizes

    public init(_ data: TrainingData, directory: String) {
        let d = data.dataset, s = data.split
        name = d.name
        self.directory = directory
        users = d.userCount
        items = d.itemCount
        interactions = d.interactionCount
        positives = d.positiveCount
        features = Features(users: Side(d.userContent, data.userFeatures), items: Side(d.itemContent, data.itemFeatures),
                            preferenceStats: PreferenceInputs.statsNames)
        var counts = [
            "train": s.train.count, "validation": s.validation.count, "warm_test": s.warmTest.count,
            "cold_user_test": s.coldUserTest.count, "cold_item_test": s.coldItemTest.count,
            "cold_users": s.coldUsers.count, "cold_items": s.coldItems.count,
            "cold_item_candidates": s.coldItemCandidates.count, "warm_items": data.warmItems.count,
        ]
        for e in EvaluationSplit.allCases { counts["\(e.rawValue)_users"] = data.evaluatedUserCount(e) }
        split = SplitSizes(origin: s.origin, counts: counts)
    }
}

/// `data generate --json`: what was written and how long it took.
public struct GeneratedDatasetReport: Codable, Equatable, Sendable {
    public var users, items, interactions, positives: Int
    /// To the millisecond.
    public var seconds: Double

    public init(users: Int, items: Int, interactions: Int, positives: Int, seconds: Double) {
        self.users = users; self.items = items; self.interactions = interactions; self.positives = positives
        self.seconds = (seconds * 1000).rounded() / 1000
    }
}

/// `data export-split`'s `meta.json` (also printed with `--json`): what the exported files
/// hold, for tools that read them (`scripts/compare_lightfm.py`). The embedding keys are
/// present only when a checkpoint's embeddings were written.
public struct SplitExportMeta: Codable, Equatable, Sendable {
    public var dataset: String
    public var splitOrigin: String
    public var users, items: Int
    public var trainInteractions: Int
    public var userFeatureDim, itemFeatureDim: Int
    /// The splits whose candidates exclude the user's training positives.
    public var maskedSplits: [String]
    /// True when the warm test also excludes the user's validation pairs (the reference
    /// protocol with a validation carved from train.csv); absent otherwise.
    public var warmMasksValidation: Bool?
    public var files: [String]
    public var embeddingDim: Int?
    /// The cold-user prior's weight and columns when the embeddings carry them, else nil.
    public var coldUserPrior: Float?
    public var coldUserPriorColumns: Int?
    /// The cold-item prior's weight and columns (after the cold-user prior's), else nil.
    public var coldItemPrior: Float?
    public var coldItemPriorColumns: Int?
    /// The warm prior's weight and columns (last), else nil.
    public var warmPrior: Float?
    public var warmPriorColumns: Int?
    /// The warm prior's teacher when not the run's own factors: its λ multiple, and whether it
    /// was refitted on the validation's warm pairs.
    public var warmTeacherRidge: Float?
    public var warmTeacherRefitted: Bool?
    /// The warm content prior's weight, columns (after the warm prior's) and source
    /// (`ridge_map` or `towers`), else nil.
    public var warmContentPrior: Float?
    public var warmContentPriorColumns: Int?
    public var warmContentSource: String?
    public var checkpoint: String?

    enum CodingKeys: String, CodingKey {
        case dataset, splitOrigin = "split_origin", users, items, trainInteractions = "train_interactions"
        case userFeatureDim = "user_feature_dim", itemFeatureDim = "item_feature_dim", maskedSplits = "masked_splits"
        case warmMasksValidation = "warm_masks_validation", files, embeddingDim = "embedding_dim", coldUserPrior = "cold_user_prior"
        case coldUserPriorColumns = "cold_user_prior_columns", coldItemPrior = "cold_item_prior"
        case coldItemPriorColumns = "cold_item_prior_columns", warmPrior = "warm_prior", warmPriorColumns = "warm_prior_columns"
        case warmTeacherRidge = "warm_teacher_ridge", warmTeacherRefitted = "warm_teacher_refitted_on_validation"
        case warmContentPrior = "warm_content_prior", warmContentPriorColumns = "warm_content_prior_columns"
        case warmContentSource = "warm_content_source", checkpoint
    }

    public init(data: TrainingData, files: [String], embeddingDim: Int?,
                priors: ScoringPriors? = nil, checkpoint: String?) {
        let d = data.dataset
        dataset = d.name
        splitOrigin = data.split.origin
        users = d.userCount
        items = d.itemCount
        trainInteractions = data.trainUsers.count
        userFeatureDim = data.userFeatures.width
        itemFeatureDim = data.itemFeatures.width
        maskedSplits = [EvaluationSplit.warm.rawValue, EvaluationSplit.validationWarm.rawValue]
        warmMasksValidation = data.warmTestMasksValidation ? true : nil
        self.files = files
        self.embeddingDim = embeddingDim
        if let priors {
            if priors.coldUser.width > 0 { coldUserPrior = priors.coldUser.weight; coldUserPriorColumns = priors.coldUser.width }
            if priors.coldItem.width > 0 { coldItemPrior = priors.coldItem.weight; coldItemPriorColumns = priors.coldItem.width }
            if priors.warm.width > 0 {
                warmPrior = priors.warm.weight; warmPriorColumns = priors.warm.width
                if priors.warm.hasOwnTeacher { warmTeacherRidge = priors.warm.teacherRidge }
                if priors.warm.refittedOnValidation { warmTeacherRefitted = true }
            }
            if priors.warmContent.width > 0 {
                warmContentPrior = priors.warmContent.weight; warmContentPriorColumns = priors.warmContent.width
                warmContentSource = priors.warmContent.source == .ridgeMap ? "ridge_map" : "towers"
            }
        }
        self.checkpoint = checkpoint
    }
}

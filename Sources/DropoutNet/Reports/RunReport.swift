import Foundation

/// DESIGN §10's result object: what `train --json` and `eval --json` print, built from a
/// `TrainingResult` — one shape, whichever command or client produced the result.
///
/// Every key is always present: a run with no id, a split with no users, a missing few-shot
/// curve or an unmeasured rate is `null`, never 0 or a missing key.
public struct RunReport: Codable, Equatable, Sendable {
    public struct DatasetCounts: Codable, Equatable, Sendable {
        public var users, items, interactions, positives: Int
    }

    public struct SplitCounts: Codable, Equatable, Sendable {
        public var warmTestUsers, coldUsers, coldItems: Int
        enum CodingKeys: String, CodingKey {
            case warmTestUsers = "warm_test_users", coldUsers = "cold_users", coldItems = "cold_items"
        }
    }

    /// The weights tested: their step and validation score (mean recall@20 over the splits),
    /// and how many validation users (summed over the splits) that score is over — the seeded
    /// `eval_users` sample on a large world, so the number is not read as a full evaluation.
    public struct Best: Codable, Equatable, Sendable {
        public var step: Int
        public var validationRecall: Double?
        public var validationUsers: Int
        enum CodingKeys: String, CodingKey {
            case step, validationRecall = "validation_recall@20", validationUsers = "validation_users"
        }

        public init(step: Int, validationRecall: Double?, validationUsers: Int) {
            self.step = step; self.validationRecall = validationRecall; self.validationUsers = validationUsers
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(step, forKey: .step)
            try c.encodeNumber(validationRecall, forKey: .validationRecall)
            try c.encode(validationUsers, forKey: .validationUsers)
        }
    }

    public struct Throughput: Codable, Equatable, Sendable {
        /// Mean training samples per second (rounded); null when nothing was trained (`eval`).
        public var samplesPerSecond: Double?
        /// Wall seconds (to the millisecond).
        public var seconds: Double
        public var steps: Int
        enum CodingKeys: String, CodingKey { case samplesPerSecond = "samples_per_s", seconds, steps }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeNumber(samplesPerSecond, forKey: .samplesPerSecond)
            try c.encodeNumber(seconds, forKey: .seconds)
            try c.encode(steps, forKey: .steps)
        }
    }

    public var run: String?
    public var checkpoint: String?
    public var dataset: DatasetCounts
    public var split: SplitCounts
    public var settings: JSONValue
    /// "warm", "cold_user", "cold_item" → metrics (null: no users).
    public var metrics: [String: MetricValues?]
    /// Baseline name → the same three splits.
    public var baselines: [String: [String: MetricValues?]]
    /// Revealed interactions ("0", "1", "2", "5", "10") → metrics of the cold-user test users.
    public var fewShot: [String: MetricValues?]?
    public var best: Best?
    public var throughput: Throughput

    enum CodingKeys: String, CodingKey {
        case run, checkpoint, dataset, split, settings, metrics, baselines, fewShot = "few_shot", best, throughput
    }

    /// The report of `result` for a run (or checkpoint) `run` on `data` with `settings`.
    /// A result without a test evaluation reports every split as null.
    public init(_ result: TrainingResult, run: String?, data: TrainingData, settings: Settings) {
        let d = data.dataset
        self.run = run
        checkpoint = result.checkpoint
        dataset = DatasetCounts(users: d.userCount, items: d.itemCount, interactions: d.interactionCount, positives: d.positiveCount)
        split = SplitCounts(warmTestUsers: data.evaluatedUserCount(.warm), coldUsers: data.split.coldUsers.count,
                            coldItems: data.split.coldItems.count)
        self.settings = settings.json
        metrics = MetricValues.testSplits(of: result.test?.report ?? EvaluationReport())
        baselines = result.baselines.mapValues(MetricValues.testSplits)
        fewShot = result.fewShot.map { f in
            Dictionary(f.counts.map { (String($0), MetricValues.of(f[$0])) }, uniquingKeysWith: { _, last in last })
        }
        best = result.best.map { Best(step: $0.step, validationRecall: $0.score, validationUsers: $0.scoreUsers) }
        throughput = Throughput(samplesPerSecond: result.samplesPerSecond?.rounded(), seconds: (result.seconds * 1000).rounded() / 1000,
                                steps: result.steps)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeOrNull(run, forKey: .run)
        try c.encodeOrNull(checkpoint, forKey: .checkpoint)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(split, forKey: .split)
        try c.encode(settings, forKey: .settings)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(baselines, forKey: .baselines)
        try c.encodeOrNull(fewShot, forKey: .fewShot)
        try c.encodeOrNull(best, forKey: .best)
        try c.encode(throughput, forKey: .throughput)
    }
}

import Foundation
import Numerics

/// The evaluation splits a `TrainingData` can describe (names match the `--json` keys).
public enum EvaluationSplit: String, Sendable, CaseIterable, Codable {
    case warm, coldUser = "cold_user", coldItem = "cold_item"
    case validationWarm = "validation_warm", validationColdUser = "validation_cold_user", validationColdItem = "validation_cold_item"

    public static let test: [EvaluationSplit] = [.warm, .coldUser, .coldItem]
    public static let validation: [EvaluationSplit] = [.validationWarm, .validationColdUser, .validationColdItem]
}

/// Everything the trainer, the evaluator and the explorer need from the data, built by one call
/// (`prepare`) from a dataset and its split. Immutable once built; share it between threads.
///
/// What is "known" (has training interactions) is decided by the split alone: encoders,
/// statistics and popularity are fitted on training data only, so held-out entities are truly
/// cold — their preference inputs are zeros and their content encodes with training vocabularies.
public final class TrainingData: @unchecked Sendable {
    public let dataset: Dataset
    public let split: Split
    public let encoderOptions: EncoderOptions

    // MARK: Content (one row per entity, all entities)
    public let userFeatures: EncodedFeatures
    public let itemFeatures: EncodedFeatures
    public let userEncoder: FeatureEncoder
    public let itemEncoder: FeatureEncoder
    /// Wall and process CPU seconds spent fitting both sides' encoders and encoding every
    /// entity (`data inspect`).
    public let contentEncodingSeconds: Double
    public let contentEncodingCPUSeconds: Double

    // MARK: Preference inputs (DESIGN §3.3)
    /// `stats` preference matrices (`PreferenceInputs.statsNames` columns); zero rows for cold.
    public let userStats: Matrix
    public let itemStats: Matrix
    /// How those rows were standardised (stats rows for revealed interactions use the same).
    public let userStatsScale: PreferenceInputs.StatsScale
    public let itemStatsScale: PreferenceInputs.StatsScale
    /// True for entities with at least one training interaction (the `id` embedding exists
    /// only for these; WMF vectors are standardised over these).
    public let isKnownUser: [Bool]
    public let isKnownItem: [Bool]

    // MARK: Training interactions, ready for batching
    /// All training interactions (positives and shown-not-clicked), interaction-parallel.
    public let trainUsers: [Int32]
    public let trainItems: [Int32]
    public let trainLabels: [UInt8]
    public let trainWeights: [Float]
    /// The training positives only (the rows of an in-batch softmax batch).
    public let positiveUsers: [Int32]
    public let positiveItems: [Int32]
    /// Each user's training positive items (masked in warm evaluation, and the
    /// false-negative mask of in-batch negatives).
    public let trainPositives: AdjacencyLists

    // MARK: Popularity (training positives)
    /// Training positive count per item (the popularity baseline).
    public let itemPopularity: [Int]
    /// log of the probability that an item is a batch positive, count / total positives
    /// (items never positive get half a count so the log stays finite); for logQ correction.
    public let itemLogProbability: [Float]

    // MARK: Evaluation
    /// Items with training interactions: warm and cold-user candidates.
    public let warmItems: [Int32]
    /// Held-out positive items per user (CSR over all users) for each evaluation split.
    public let heldOut: [EvaluationSplit: AdjacencyLists]
    /// Candidate items per evaluation split (DESIGN §5).
    public let candidates: [EvaluationSplit: [Int32]]

    public var userCount: Int { dataset.userCount }
    public var itemCount: Int { dataset.itemCount }

    /// Builds the bundle. Throws if the split does not fit the dataset.
    public static func prepare(dataset: Dataset, split: Split, encoderOptions: EncoderOptions = EncoderOptions()) throws -> TrainingData {
        try split.validate(against: dataset)
        return TrainingData(dataset: dataset, split: split, encoderOptions: encoderOptions)
    }

    private init(dataset d: Dataset, split s: Split, encoderOptions: EncoderOptions) {
        dataset = d
        split = s
        self.encoderOptions = encoderOptions
        let train = s.train
        var tu = [Int32](), ti = [Int32](), tl = [UInt8](), tw = [Float]()
        tu.reserveCapacity(train.count); ti.reserveCapacity(train.count); tl.reserveCapacity(train.count); tw.reserveCapacity(train.count)
        var knownU = [Bool](repeating: false, count: d.userCount), knownI = [Bool](repeating: false, count: d.itemCount)
        var popularity = [Int](repeating: 0, count: d.itemCount)
        var pu = [Int32](), pi = [Int32]()
        for k in train {
            let k = Int(k), u = d.users[k], i = d.items[k], l = d.labels[k]
            tu.append(u); ti.append(i); tl.append(l); tw.append(d.weights[k])
            knownU[Int(u)] = true
            knownI[Int(i)] = true
            if l == 1 { pu.append(u); pi.append(i); popularity[Int(i)] += 1 }
        }
        trainUsers = tu; trainItems = ti; trainLabels = tl; trainWeights = tw
        positiveUsers = pu; positiveItems = pi
        isKnownUser = knownU; isKnownItem = knownI
        itemPopularity = popularity
        let total = Double(max(pu.count, 1))
        itemLogProbability = popularity.map { Float(log(Double(max(Double($0), 0.5)) / total)) }
        trainPositives = AdjacencyLists(rows: d.userCount, pairs: pu, pi)

        let encodingStart = Date(), encodingCPUStart = ProcessClock.cpuSeconds()
        userEncoder = FeatureEncoder(fitting: d.userContent, fitRows: knownU, options: encoderOptions)
        itemEncoder = FeatureEncoder(fitting: d.itemContent, fitRows: knownI, options: encoderOptions)
        userFeatures = userEncoder.encode(d.userContent)
        itemFeatures = itemEncoder.encode(d.itemContent)
        contentEncodingSeconds = Date().timeIntervalSince(encodingStart)
        contentEncodingCPUSeconds = ProcessClock.cpuSeconds() - encodingCPUStart
        (userStats, userStatsScale) = PreferenceInputs.statsWithScale(entityCount: d.userCount, entity: d.users, labels: d.labels, train: train)
        (itemStats, itemStatsScale) = PreferenceInputs.statsWithScale(entityCount: d.itemCount, entity: d.items, labels: d.labels, train: train)

        let warm = (0..<d.itemCount).filter { knownI[$0] }.map(Int32.init)
        warmItems = warm
        func lists(_ indices: [Int32], where keep: (Int32, Int32) -> Bool) -> AdjacencyLists {
            var us = [Int32](), its = [Int32]()
            for k in indices where d.labels[Int(k)] == 1 {
                let u = d.users[Int(k)], i = d.items[Int(k)]
                if keep(u, i) { us.append(u); its.append(i) }
            }
            return AdjacencyLists(rows: d.userCount, pairs: us, its)
        }
        let always: (Int32, Int32) -> Bool = { _, _ in true }
        var held: [EvaluationSplit: AdjacencyLists] = [:]
        held[.warm] = lists(s.warmTest, where: always)
        held[.coldUser] = lists(s.coldUserTest, where: always)
        held[.coldItem] = lists(s.coldItemTest, where: always)
        held[.validationWarm] = lists(s.validation) { knownU[Int($0)] && knownI[Int($1)] }
        held[.validationColdUser] = lists(s.validation) { !knownU[Int($0)] && knownI[Int($1)] }
        held[.validationColdItem] = lists(s.validation) { knownU[Int($0)] && !knownI[Int($1)] }
        heldOut = held

        let testCandidates = Set(s.coldItemCandidates)
        var validationColdItems = s.coldItems.filter { !testCandidates.contains($0) }
        if validationColdItems.isEmpty { validationColdItems = Array(Set(held[.validationColdItem]!.ids)).sorted() }
        // Predefined candidates (the reference protocol) replace the training items for every test split.
        candidates = [.warm: s.testCandidates ?? warm, .coldUser: s.testCandidates ?? warm,
                      .coldItem: s.testCandidates ?? s.coldItemCandidates,
                      .validationWarm: warm, .validationColdUser: warm, .validationColdItem: validationColdItems]
    }

    /// Whether the warm test masks the validation pairs too, not only the training positives:
    /// the reference protocol (a split directory with `test_item_ids.csv`) masks every pair of
    /// train.csv, and a validation carved from it (`ValidationCarve`) is part of that file.
    public var warmTestMasksValidation: Bool {
        split.testCandidates != nil && !(heldOut[.validationWarm]?.ids.isEmpty ?? true)
    }

    /// The evaluator's view of one split: users with held-out positives, their items, the
    /// training positives to mask (warm splits only) and the candidates.
    public func evaluationTarget(_ split: EvaluationSplit) -> EvaluationTarget {
        let lists = heldOut[split]!
        let masked = split == .warm || split == .validationWarm
        var users: [Int32] = [], items: [Int32] = []
        for u in lists.nonEmptyRows {
            for i in lists[Int(u)] { users.append(u); items.append(i) }
        }
        let positives = trainPositives
        if split == .warm, warmTestMasksValidation, let carved = heldOut[.validationWarm] {
            return EvaluationTarget(name: split.rawValue, users: users, items: items,
                                    exclude: { Array(positives[Int($0)]) + Array(carved[Int($0)]) },
                                    candidates: candidates[split]!)
        }
        return EvaluationTarget(name: split.rawValue, users: users, items: items,
                                exclude: masked ? { Array(positives[Int($0)]) } : nil,
                                candidates: candidates[split]!)
    }

    /// Targets for several splits (by default the three test splits).
    public func evaluationTargets(_ splits: [EvaluationSplit] = EvaluationSplit.test) -> [EvaluationTarget] {
        splits.map(evaluationTarget)
    }

    /// Number of users with at least one held-out positive in `split` (nil-worthy when 0).
    public func evaluatedUserCount(_ split: EvaluationSplit) -> Int { heldOut[split]!.nonEmptyRows.count }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

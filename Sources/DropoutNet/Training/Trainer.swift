import Foundation
import NeuralNet
import Numerics

/// Trains a `TwoTowerModel` on a `TrainingData` (DESIGN §4.2, §5): shuffled full batches,
/// the live loss mix, validation every `eval_every` steps, the best weights by validation kept
/// for the final test.
///
/// Both model families run through the same step. `settings.model` picks the batches: for the
/// EasyRec model the training interactions with their 0/1 labels (`BatchSampler`), for the
/// classic one each user's WMF top-k and random items with raw WMF scores as labels
/// (`ClassicBatchSampler`, DESIGN §4.3), which the `mse` loss regresses the towers' dot
/// products onto; the model itself skips the L2 normalisation for classic.
///
/// Single-threaded driver (the session runs it on its own thread; the CLI on the main thread).
/// `advance()` is one step plus, when due, one validation evaluation; the hot path allocates
/// nothing. With `Parallel.threadCount == 1` a run is bit-for-bit reproducible for a seed.
public final class Trainer {
    public let data: TrainingData
    public let live: LiveSettings
    /// The settings the model was built with (structure, batch size, epochs).
    public let initialSettings: Settings
    public let model: TwoTowerModel
    public let sampler: TrainingBatches
    /// The raw WMF factors when they were fitted or given (the classic model's targets, the
    /// `wmf` baseline, the fit the few-shot curve folds `wmf` users into); the model's `wmf`
    /// inputs are their standardised form.
    public let rawWMFFactors: WMFFactors?
    /// How `wmf.reg_search` chose the teacher's λ (nil: not searched, or factors were given).
    public private(set) var wmfRegSearch: WMFRegularizationSearch.Outcome?
    /// The ridge maps the classic towers' cold paths started from (`classic.content_start`).
    public private(set) var coldPathStarts: [(side: String, map: ContentRidge)] = []
    public let loss: TrainingLoss
    public let optimizer: Optimizer
    public var batchSize: Int { sampler.batchSize }
    public var stepsPerEpoch: Int { sampler.stepsPerEpoch }
    public let epochs: Int
    public var totalSteps: Int { epochs * stepsPerEpoch }
    /// Steps done so far.
    public private(set) var step = 0
    /// 0-based epoch of the next step.
    public var epoch: Int { min(step / max(stepsPerEpoch, 1), max(epochs - 1, 0)) }
    public var isFinished: Bool { step >= totalSteps }

    /// Validation evaluations so far, and the best (by mean validation recall@20).
    public private(set) var evaluations: [EvaluationRecord] = []
    public private(set) var best: EvaluationRecord?
    /// Weights of the best evaluation, and the last weights known to be finite (rollback).
    public let bestWeights = WeightStash()
    public let lastGood = WeightStash()
    /// The moving average of the weights that evaluations and rankings read while the run trains
    /// (`weight_average`; nil when 0). Forgotten once the best weights are restored: from then on
    /// the model's weights are the ones to rank with.
    public let weightAverage: WeightAverage?
    /// Steps between captures of `lastGood` (each capture first checks every weight is finite).
    public var lastGoodEvery = 100
    /// The settings of the step in progress or just done.
    public private(set) var settings: Settings
    /// Seconds spent in training steps (not evaluation).
    public private(set) var trainingSeconds: Double = 0
    /// Called on the trainer's thread for log-worthy happenings (refused settings, evaluations).
    public var onEvent: ((TrainingEvent.Level, String) -> Void)?
    /// The metric used for model selection.
    public static let selectionK = 20
    /// The standardised WMF factors the model was built with (given or fitted), if any.
    public private(set) var wmfFactors: (users: Matrix, items: Matrix)?
    /// The prior added to cold users' scores (its weight chosen at each validation evaluation;
    /// the best evaluation's goes with the best weights). See `ColdUserPrior`.
    public var coldUserPrior = ColdUserPrior()
    /// The content-conditioned popularity behind the prior, fitted once from the training
    /// data (nil with `scoring.cold_user_prior = off`).
    public internal(set) var coldUserMap: ContentPopularity?
    /// The cold items' prior, as `coldUserPrior` (see `ColdItemPrior`).
    public var coldItemPrior = ColdItemPrior()
    /// The item-content map behind it (nil with `scoring.cold_item_prior = off`).
    public internal(set) var coldItemMap: ContentAffinity?
    /// The WMF teacher's score for warm pairs, chosen at the end of a run (see `WarmPrior`).
    public var warmPrior = WarmPrior()
    /// Item content's score for warm pairs, chosen after the warm prior (see `WarmContentPrior`).
    public var warmContentPrior = WarmContentPrior()
    /// All four, as rankings apply them.
    public var priors: ScoringPriors {
        ScoringPriors(coldUser: coldUserPrior, coldItem: coldItemPrior, warm: warmPrior, warmContent: warmContentPrior)
    }

    private let gradUsers: Matrix
    private let gradItems: Matrix
    private let anchorUsers: AnchorUserRows
    /// Whether a step may run the user tower on its softmax anchors alone (`AnchorUserRows`);
    /// tests turn it off to compare with the every-row pass.
    var userTowerOnAnchorsOnly = true
    private var dropoutRNG: SplitMix64
    private var negativesRNG: SplitMix64
    private var lastValidParameters: LossParameters
    /// Every validation user, and the seeded `eval_users` sample of them that live
    /// evaluations use and model selection compares (`EvaluationScope`).
    private let validationEvaluator: Evaluator
    private let validationSampleEvaluator: Evaluator
    private let testEvaluator: Evaluator
    /// The test splits, each cut to a seeded sample of at most `referenceUsers` users: what the
    /// baselines are measured on.
    private let referenceEvaluator: Evaluator
    /// Users per test split behind the reference figures — the baselines and the few-shot
    /// curve — where the model's own test figures take every user. Why: at MovieLens-25M size
    /// the warm test split holds 130 k users, and scoring them against 50 k items once per
    /// baseline made the baselines and the few-shot curve 40 s of a 5-minute run; 10,000 users
    /// put a recall's standard error under 0.005, and every data set of the quality table has
    /// fewer, so their figures are unchanged.
    public static let referenceUsers = 10_000
    private let started = DispatchTime.now().uptimeNanoseconds

    /// Builds the model and everything a step needs. `live` defaults to a private copy of `settings`.
    /// - Parameters:
    ///   - wmf: standardised WMF factors for `wmf` preference inputs (fitted when needed and absent).
    ///   - rawWMF: the raw factors they come from (the classic model's targets; fitted when the
    ///     classic model needs them and they are absent).
    public init(data: TrainingData, settings: Settings, live: LiveSettings? = nil,
                wmf: (users: Matrix, items: Matrix)? = nil, rawWMF: WMFFactors? = nil) throws {
        try settings.validate()
        self.data = data
        self.initialSettings = settings
        self.settings = settings
        self.live = live ?? LiveSettings(settings)
        let root = SplitMix64(seed: settings.seed)
        let classic = settings.model == .classic
        var raw = rawWMF
        var factors = wmf
        let wmfInputs = settings.userPreference == .wmf || settings.itemPreference == .wmf
        if raw == nil && (classic || (wmfInputs && factors == nil)) {
            let fitted = try Trainer.fitRawWMFChoosingReg(data: data, settings: settings)
            raw = fitted.factors
            wmfRegSearch = fitted.search
        }
        if factors == nil && wmfInputs, let raw { factors = Trainer.standardized(raw, data: data) }
        rawWMFFactors = raw
        if classic, let raw {
            let users = (0..<data.userCount).filter { data.trainPositives.count($0) > 0 }.map(Int32.init)
            let items = (0..<data.itemCount).filter { data.itemPopularity[$0] > 0 }.map(Int32.init)
            sampler = try ClassicBatchSampler(userFactors: raw.users, itemFactors: raw.items, users: users, items: items,
                                              topK: settings.classicTopK, batchSize: settings.batchSize, rng: root.split(1))
        } else {
            sampler = try BatchSampler(users: data.trainUsers, items: data.trainItems, labels: data.trainLabels,
                                       weights: data.trainWeights, batchSize: settings.batchSize,
                                       batching: settings.batching, rng: root.split(1))
        }
        model = try TwoTowerModel(data: data, settings: settings, wmf: factors, maxBatch: settings.batchSize)
        if let raw {
            model.setResidual(raw: raw, users: PreferenceInputs.wmfScale(raw.users, known: data.isKnownUser),
                              items: PreferenceInputs.wmfScale(raw.items, known: data.isKnownItem))
            if classic && settings.classicContentStart == .ridge {
                coldPathStarts = model.startColdPaths(raw: raw, data: data, seed: settings.seed)
            }
        }
        wmfFactors = factors
        if settings.coldUserPrior == .auto { coldUserMap = ContentPopularity.fit(data: data, k: Trainer.selectionK, seed: settings.seed) }
        if settings.coldItemPrior == .auto || Trainer.searchesWarmContent(settings, data) {
            coldItemMap = ContentAffinity.fit(data: data, k: Trainer.selectionK, seed: settings.seed)
        }
        dropoutRNG = root.split(2)
        negativesRNG = root.split(3)
        epochs = settings.epochs
        loss = TrainingLoss(maxBatchSize: settings.batchSize, maxNegatives: max(settings.negativesM, 1),
                            samplingPrior: ItemSamplingPrior(batchRowsOf: data),
                            positives: TrainingDataPositives(data.trainPositives))
        optimizer = Trainer.makeOptimizer(settings)
        weightAverage = settings.weightAverage > 0 ? WeightAverage(decay: Float(settings.weightAverage)) : nil
        gradUsers = Matrix(rows: settings.batchSize, cols: model.embeddingDim)
        gradItems = Matrix(rows: settings.batchSize, cols: model.embeddingDim)
        anchorUsers = AnchorUserRows(maxBatch: settings.batchSize, embeddingDim: model.embeddingDim)
        lastValidParameters = LossParameters(settings: settings)
        let ks = Array(Set(settings.k + [Trainer.selectionK])).sorted()
        let validation = data.evaluationTargets(EvaluationSplit.validation)
        validationEvaluator = Evaluator(targets: validation, ks: ks, itemCount: data.itemCount)
        validationSampleEvaluator = Evaluator(targets: validation.map { $0.sample(maxUsers: settings.evalUsers, seed: settings.seed) },
                                              ks: ks, itemCount: data.itemCount)
        let test = data.evaluationTargets(EvaluationSplit.test)
        testEvaluator = Evaluator(targets: test, ks: ks, itemCount: data.itemCount)
        referenceEvaluator = Evaluator(targets: test.map { $0.sample(maxUsers: Trainer.referenceUsers, seed: settings.seed) },
                                       ks: ks, itemCount: data.itemCount)
        lastGood.capture(model.parameters, optimizer: optimizer, step: 0)
    }

    /// The optimizer of `settings`: with `sparse_lr` > 0 under SGD, Adam at that rate for the
    /// sparse parameters (`PartitionedOptimizer`).
    static func makeOptimizer(_ s: Settings) -> Optimizer {
        switch s.optimizer {
        case .adam: return Adam(learningRate: Float(s.lr))
        case .adamw: return Adam(learningRate: Float(s.lr), weightDecay: Float(s.l2), decoupled: true)
        case .sgd:
            let sgd = SGD(learningRate: Float(s.lr), momentum: Float(s.momentum))
            return s.sparseLR > 0 ? PartitionedOptimizer(dense: sgd, sparse: Adam(learningRate: Float(s.sparseLR))) : sgd
        }
    }

    /// Standardised WMF factors of the training positives (the `wmf` preference input).
    public static func fitWMF(data: TrainingData, settings: Settings) throws -> (users: Matrix, items: Matrix) {
        standardized(try fitRawWMF(data: data, settings: settings), data: data)
    }

    /// Raw WMF factors of the training positives with the `wmf.*` settings.
    public static func fitRawWMF(data: TrainingData, settings: Settings) throws -> WMFFactors {
        try fitRawWMFChoosingReg(data: data, settings: settings).factors
    }

    /// `fitRawWMF`, with the outcome of the λ search when `wmf.reg_search = holdout` ran one.
    public static func fitRawWMFChoosingReg(data: TrainingData, settings: Settings) throws
        -> (factors: WMFFactors, search: WMFRegularizationSearch.Outcome?) {
        let r = try WMF.preferenceMatrix(dataset: data.dataset, split: data.split)
        var options = WMFOptions(rank: settings.wmfRank, regularization: Float(settings.wmfReg), alpha: Float(settings.wmfAlpha),
                                 iterations: settings.wmfIterations, seed: settings.seed)
        var search: WMFRegularizationSearch.Outcome?
        if settings.wmfRegSearch == .holdout {
            search = try WMFRegularizationSearch.choose(r, options: options, k: selectionK, seed: settings.seed)
            if let search { options.regularization = search.chosen }
        }
        return (try WMF.fit(r, options: options), search)
    }

    /// The `wmf` preference inputs of raw factors (DESIGN §3.3: z-scored, clipped, cold rows zero).
    public static func standardized(_ f: WMFFactors, data: TrainingData) -> (users: Matrix, items: Matrix) {
        (PreferenceInputs.standardizedWMF(f.users, known: data.isKnownUser),
         PreferenceInputs.standardizedWMF(f.items, known: data.isKnownItem))
    }

    // MARK: Steps

    /// One training step with the live settings of this moment.
    /// - Throws: `NumericFault` when the loss or a weight is not finite (weights are left as they
    ///   are; `rollback()` restores the last good copy).
    @discardableResult
    public func trainStep() throws -> LossBreakdown {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let s = live.beginStep(step)
        settings = s
        var params = LossParameters(settings: s)
        let schedule = LearningRateSchedule(settings: s, totalSteps: totalSteps)
        optimizer.learningRate = schedule.rate(base: s.lr, step: step)
        if let mixed = optimizer as? PartitionedOptimizer { mixed.sparse.learningRate = schedule.rate(base: s.sparseLR, step: step) }
        sampler.next()
        // The fallback parameters below must be able to read what this forward pass computed.
        let anchorsOnly = userTowerOnAnchorsOnly && readsAnchorUsersOnly(params) && readsAnchorUsersOnly(lastValidParameters)
            && anchorUsers.collect(labels: sampler.labels, userIDs: sampler.userIDs)
        let (u, v) = anchorsOnly ? forwardAnchorUsers(s) :
            model.forward(userIDs: sampler.userIDs, itemIDs: sampler.itemIDs,
                          userDropout: Float(s.userDropout), itemDropout: Float(s.itemDropout),
                          scaling: s.dropoutScaling, training: true, rng: &dropoutRNG)
        model.zeroGrad()
        let useL2 = s.optimizer != .adamw
        var breakdown: LossBreakdown
        do {
            breakdown = try computeLoss(u, v, params, l2: useL2)
        } catch let e as SettingsError {
            // LiveSettings validates changes, so this is a last line of defence: keep training
            // with the last parameters that worked and say why.
            onEvent?(.warning, "refused \(e.description); continuing with the previous settings")
            params = lastValidParameters
            breakdown = try computeLoss(u, v, params, l2: useL2)
        }
        lastValidParameters = params
        guard breakdown.total.isFinite else {
            let culprit = firstNonFinite(model.parameters)
            throw NumericFault(step: step, tensor: culprit?.name ?? "loss", value: culprit?.value ?? Float(breakdown.total))
        }
        if anchorsOnly {
            model.user.backward(anchorUsers.gatherAnchors(gradUsers))
            model.item.backward(gradItems)
        } else {
            model.backward(gradUsers: gradUsers, gradItems: gradItems)
        }
        if s.gradClip > 0 { clipGradientNorm(model.trainableParameters, maxNorm: Float(s.gradClip)) }
        optimizer.step(model.trainableParameters)
        weightAverage?.update(model.trainableParameters)
        step += 1
        if step % lastGoodEvery == 0 {
            if let bad = firstNonFinite(model.parameters) {
                throw NumericFault(step: step - 1, tensor: bad.name, value: bad.value)
            }
            lastGood.capture(model.parameters, optimizer: optimizer, step: step)
        }
        trainingSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        return breakdown
    }

    /// Whether the losses of `params` read a row's user embedding only where the row is a
    /// softmax anchor (`AnchorUserRows`).
    private func readsAnchorUsersOnly(_ params: LossParameters) -> Bool {
        params.needs(.inBatchNegatives) && !params.needs(.ownScores)
    }

    /// The towers' forward pass with the user tower on the step's anchors alone; the loss reads
    /// their outputs spread back to the batch's rows.
    private func forwardAnchorUsers(_ s: Settings) -> (users: Matrix, items: Matrix) {
        let anchors = model.user.forward(ids: anchorUsers.anchorIDs, dropoutRate: Float(s.userDropout), scaling: s.dropoutScaling,
                                         training: true, keepPreference: nil, rng: &dropoutRNG)
        let items = model.item.forward(ids: sampler.itemIDs, dropoutRate: Float(s.itemDropout), scaling: s.dropoutScaling,
                                       training: true, keepPreference: nil, rng: &dropoutRNG)
        return (anchorUsers.spreadToBatch(anchors), items)
    }

    private func computeLoss(_ u: Matrix, _ v: Matrix, _ params: LossParameters, l2: Bool) throws -> LossBreakdown {
        try loss.compute(users: u, items: v, labels: sampler.labels, userIDs: sampler.userIDs, itemIDs: sampler.itemIDs,
                         sampleWeights: sampler.sampleWeights, params: params, rng: &negativesRNG, gradUsers: gradUsers, gradItems: gradItems,
                         kernels: l2 && params.l2 > 0 ? model.kernels : [])
    }

    /// Whether a validation evaluation is due after the step just done.
    public var evaluationDue: Bool {
        let every = settings.evalEvery
        return every > 0 && step > 0 && step % every == 0
    }

    /// Puts back the last weights (and optimizer state) known to be finite.
    /// - Returns: the step those weights are from.
    @discardableResult
    public func rollback() -> Int {
        lastGood.restore(model.parameters, optimizer: optimizer)
        weightAverage?.reset()
        return lastGood.step ?? 0
    }

    // MARK: Evaluation

    /// Seconds since the trainer was built.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9 }

    /// Evaluates the validation splits with the current weights (their moving average under
    /// `weight_average`), records the result and keeps those weights when they are the best so
    /// far. The cold-start priors are chosen and the score
    /// computed on the seeded sample whatever the scope, so every evaluation competes for best
    /// on the same users; `.full` reports the figures over every user besides.
    @discardableResult
    public func evaluateValidation(scope: EvaluationScope = .full) -> EvaluationRecord {
        withAveragedWeights { evaluateValidationNow(scope: scope) }
    }

    /// `body` with the moving average of the weights in the model when there is one
    /// (`WeightAverage`), the raw weights put back after: every evaluation and ranking made
    /// while the run trains reads the average, so the explorer shows what validation scores.
    func withAveragedWeights<T>(_ body: () throws -> T) rethrows -> T {
        guard let weightAverage else { return try body() }
        return try weightAverage.withAverage(in: model.trainableParameters, body)
    }

    private func evaluateValidationNow(scope: EvaluationScope) -> EvaluationRecord {
        let users = model.embedAllUsers(), items = model.embedAllItems()
        let sampler = validationSampleEvaluator
        coldUserPrior = ColdUserPrior()
        coldItemPrior = ColdItemPrior()
        func target(_ split: EvaluationSplit) -> EvaluationTarget? { sampler.targets.first { $0.name == split.rawValue } }
        if settings.coldUserPrior == .auto, let target = target(.validationColdUser),
           let chosen = ColdUserPrior.select(users: users, items: items, data: data, map: coldUserMap, target: target,
                                             evaluator: sampler, k: Trainer.selectionK) {
            coldUserPrior = chosen.prior
        }
        if let map = coldItemMap, let target = target(.validationColdItem),
           let chosen = ColdItemPrior.select(users: users, items: items, data: data, map: map, target: target,
                                             evaluator: sampler, k: Trainer.selectionK) {
            coldItemPrior = chosen.prior
        }
        let sample = evaluate(sampler, users: users, items: items)
        let isSample = zip(sampler.targets, validationEvaluator.targets).contains { $0.userCount < $1.userCount }
        let report = scope == .full && isSample ? evaluate(validationEvaluator, users: users, items: items) : sample
        let scoreUsers = sample.order.reduce(0) { $0 + (sample[$1]?.users ?? 0) }
        let record = EvaluationRecord(step: step, epoch: epoch, elapsed: elapsed, report: report,
                                      score: Trainer.selectionScore(sample), coldUserPrior: coldUserPrior, coldItemPrior: coldItemPrior,
                                      scope: isSample ? scope : .full, scoreUsers: scoreUsers)
        evaluations.append(record)
        if let score = record.score, score > (best?.score ?? -1) {
            best = record
            bestWeights.capture(model.parameters, step: step)
        }
        return record
    }

    /// Every user's and item's embedding as rankings use them: the towers' outputs with the
    /// cold-user prior's column (the evaluator, the explorer, `recommend` and exports read these).
    public func rankingEmbeddings() -> (users: Matrix, items: Matrix) {
        withAveragedWeights { rankingEmbeddings(users: model.embedAllUsers(), items: model.embedAllItems()) }
    }

    /// Every target of `evaluator` with the towers' outputs `users` and `items` and the one prior
    /// that can reach the split's pairs: each prior's columns are zero on the other splits'
    /// pairs (warm users carry no cold-user prior, users without clicks no item-content profile,
    /// cold users and cold items no WMF factors), so the scores are those of
    /// `rankingEmbeddings()` without scoring every split through every prior's columns.
    func evaluate(_ evaluator: Evaluator, users: Matrix, items: Matrix) -> EvaluationReport {
        var report = EvaluationReport()
        for target in evaluator.targets {
            let priors: ScoringPriors
            switch EvaluationSplit(rawValue: target.name) {
            case .warm?: priors = ScoringPriors(warm: warmPrior, warmContent: warmContentPrior)
            // A teacher refitted on the validation's warm pairs has seen them.
            case .validationWarm?: priors = ScoringPriors(warm: warmPrior.refittedOnValidation ? WarmPrior() : warmPrior,
                                                          warmContent: warmContentPrior)
            case .coldUser?, .validationColdUser?: priors = ScoringPriors(coldUser: coldUserPrior)
            case .coldItem?, .validationColdItem?: priors = ScoringPriors(coldItem: coldItemPrior)
            case nil: priors = self.priors
            }
            let (u, v) = priors.rankingEmbeddings(users: users, items: items, data: data)
            report.order.append(target.name)
            report.splits[target.name] = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)
        }
        return report
    }

    /// `users` and `items` (every user's and item's tower output) with every prior's columns.
    func rankingEmbeddings(users: Matrix, items: Matrix) -> (users: Matrix, items: Matrix) {
        priors.rankingEmbeddings(users: users, items: items, data: data)
    }

    /// Mean recall@20 over the splits that have users; nil when none has.
    public static func selectionScore(_ report: EvaluationReport) -> Double? {
        let values = report.order.compactMap { report[$0]?.recall(at: selectionK) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Loads the weights to test into the model: the best validation evaluation's, or — when no
    /// evaluation scored any (no validation users) — the moving average the run would have
    /// evaluated. From then on the model's weights are the ones every ranking reads, the test,
    /// the baselines, the few-shot curve and the checkpoint alike.
    public func restoreBest() {
        if !bestWeights.isEmpty {
            bestWeights.restore(model.parameters)
        } else {
            weightAverage?.assign(to: model.trainableParameters)
        }
        weightAverage?.reset()
        if let best { coldUserPrior = best.coldUserPrior; coldItemPrior = best.coldItemPrior }
    }

    /// The end of a run: a last validation evaluation (unless one was just made), the best
    /// weights loaded, then the test splits and the baselines with them.
    public func finish() -> (test: EvaluationRecord, baselines: [String: EvaluationReport]) {
        if evaluations.last?.step != step { evaluateValidation() }
        restoreBest()
        chooseWarmPrior()
        return (evaluateTest(), evaluateBaselines())
    }

    /// Chooses the warm priors on the validation warm users with the current weights: the
    /// teacher's weight (`scoring.warm_prior = auto` and WMF factors present), then the item
    /// content's with the teacher in the score (`scoring.warm_content = auto`).
    public func chooseWarmPrior() {
        warmPrior = WarmPrior()
        warmContentPrior = WarmContentPrior()
        guard let target = validationSampleEvaluator.targets.first(where: { $0.name == EvaluationSplit.validationWarm.rawValue })
        else { return }
        // The towers alone, as `evaluate` scores validation_warm: its users and candidates all
        // have training interactions, so the cold-start priors' columns would only add zeros
        // (and, at 160 k users with wide user content, half a gigabyte of them).
        let users = model.embedAllUsers(), items = model.embedAllItems()
        let refits = data.warmTestMasksValidation
        if settings.warmPrior == .auto, let factors = rawWMFFactors {
            var candidates: [WarmPrior.Candidate] = []
            for (ridge, teacher) in warmTeachers(factors) {
                candidates += WarmPrior.candidates(users: users, items: items, data: data, factors: teacher, teacherRidge: ridge,
                                                   target: target, evaluator: validationSampleEvaluator, k: Trainer.selectionK)
            }
            if let chosen = WarmPrior.choose(candidates) { warmPrior = chosen.prior }
        }
        chooseWarmContent(users: users, items: items, target: target)
        if warmPrior.weight != 0, refits, let refit = wmfTeacher(ridge: warmPrior.teacherRidge, withValidation: true) {
            warmPrior.factors = refit
            warmPrior.refittedOnValidation = true
        }
    }

    /// Chooses the warm content prior's source and weight on the validation warm users, scored
    /// by the towers' `users`·`items` with the chosen teacher (before any refit on the
    /// validation's pairs, which would have seen them). A tie keeps the ridge map.
    private func chooseWarmContent(users: Matrix, items: Matrix, target: EvaluationTarget) {
        guard Trainer.searchesWarmContent(settings, data) else { return }
        let (u, v) = ScoringPriors(warm: warmPrior).rankingEmbeddings(users: users, items: items, data: data)
        var candidates: [(source: WarmContentPrior.Source, map: ContentAffinity)] = []
        if let coldItemMap { candidates.append((.ridgeMap, coldItemMap)) }
        candidates.append((.towers, WarmContentPrior.towersContentPath(model)))
        if let chosen = WarmContentPrior.select(candidates, users: u, items: v, data: data, target: target,
                                                evaluator: validationSampleEvaluator, k: Trainer.selectionK) {
            warmContentPrior = chosen.prior
        }
    }

    /// Whether the end of the run searches the warm content prior: `scoring.warm_content = auto`
    /// on data up to `WarmContentPrior.searchLimit` training interactions. Above it the ridge
    /// map is not fitted for it either.
    private static func searchesWarmContent(_ settings: Settings, _ data: TrainingData) -> Bool {
        settings.warmContent == .auto && data.trainUsers.count <= WarmContentPrior.searchLimit
    }

    /// The warm prior's candidate teachers: the run's own factors, and on data up to
    /// `WarmPrior.refitLimit` training interactions the same WMF with stiffer λ (`WarmPrior`
    /// says why).
    func warmTeachers(_ own: WMFFactors) -> [(ridge: Float, factors: WMFFactors)] {
        guard let r = teacherPreferences(withValidation: false) else { return [(1, own)] }
        return [(1, own)] + WarmPrior.stifferRidges.compactMap { m in wmfTeacher(r, ridge: m).map { (m, $0) } }
    }

    /// The run's WMF refitted with λ × `ridge` on the training pairs and, `withValidation`, the
    /// validation's warm pairs too; nil above `WarmPrior.refitLimit` training interactions.
    ///
    /// Why refit with validation: where the warm test masks the validation pairs (a validation
    /// carved from a split directory's train.csv, `TrainingData.warmTestMasksValidation`), those
    /// pairs are part of what the test counts as the user's known history. Once the teacher
    /// and its weight are chosen on them, the teacher that scores the test learns from them as
    /// the reference's WMF does: CiteULike's warm split lost 0.5925 → 0.579 to the carve.
    func wmfTeacher(ridge: Float, withValidation: Bool = false) -> WMFFactors? {
        teacherPreferences(withValidation: withValidation).flatMap { wmfTeacher($0, ridge: ridge) }
    }

    /// The positives a teacher is fitted on (see `wmfTeacher(ridge:withValidation:)`).
    private func teacherPreferences(withValidation: Bool) -> SparseMatrix? {
        guard data.trainUsers.count <= WarmPrior.refitLimit else { return nil }
        var split = data.split
        if withValidation {
            let d = data.dataset
            split.train += split.validation.filter { data.isKnownUser[Int(d.users[Int($0)])] && data.isKnownItem[Int(d.items[Int($0)])] }
        }
        return try? WMF.preferenceMatrix(dataset: data.dataset, split: split)
    }

    private func wmfTeacher(_ r: SparseMatrix, ridge: Float) -> WMFFactors? {
        let lambda = wmfRegSearch?.chosen ?? Float(settings.wmfReg)
        let options = WMFOptions(rank: settings.wmfRank, regularization: lambda * ridge, alpha: Float(settings.wmfAlpha),
                                 iterations: settings.wmfIterations, seed: settings.seed)
        return try? WMF.fit(r, options: options)
    }

    /// The test splits (warm, cold-user, cold-item) with the model's current weights.
    public func evaluateTest() -> EvaluationRecord {
        let report = withAveragedWeights { evaluate(testEvaluator, users: model.embedAllUsers(), items: model.embedAllItems()) }
        return EvaluationRecord(step: step, epoch: epoch, elapsed: elapsed, report: report, score: Trainer.selectionScore(report),
                                coldUserPrior: coldUserPrior, coldItemPrior: coldItemPrior)
    }

    /// Baselines on the test splits (DESIGN §4.8) that need no training of their own:
    /// popularity, `zeroed_preference` (these weights with every preference dropped on both
    /// sides — not the content-only model, which `TrainingRun` trains and adds as
    /// `content_only`) and — when WMF factors were fitted — WMF alone (`wmf`, warm split only).
    /// Each over at most `referenceUsers` users of a split (each figure's `users` says how many).
    public func evaluateBaselines() -> [String: EvaluationReport] {
        let pop = PopularityBaseline.embeddings(userCount: data.userCount, itemPositiveCounts: data.itemPopularity)
        var out = [
            "popularity": referenceEvaluator.evaluate(userEmbeddings: pop.users, itemEmbeddings: pop.items),
            "zeroed_preference": referenceEvaluator.evaluate(userEmbeddings: model.embedAllUsers(contentOnly: true),
                                                             itemEmbeddings: model.embedAllItems(contentOnly: true)),
        ]
        if let rawWMFFactors { out["wmf"] = Trainer.wmfBaseline(rawWMFFactors, evaluator: referenceEvaluator) }
        return out
    }

    /// WMF alone: raw U·Vᵀ on the warm split. A cold user or item has a zero factor row, so
    /// every cold score is 0 and its ranking is arbitrary — the cold splits have no meaningful
    /// result and are reported as null (DESIGN §10), not as a number.
    public static func wmfBaseline(_ f: WMFFactors, evaluator: Evaluator) -> EvaluationReport {
        let warm = EvaluationSplit.warm.rawValue
        var report = evaluator.evaluate(userEmbeddings: f.users, itemEmbeddings: f.items, only: [warm])
        for name in evaluator.targets.map(\.name) where name != warm {
            if !report.order.contains(name) { report.order.append(name) }
            report.splits.updateValue(nil, forKey: name)
        }
        return report
    }
}

/// The false-negative mask's lookup over the data layer's per-user training positives.
struct TrainingDataPositives: PositiveLookup {
    let lists: AdjacencyLists
    init(_ lists: AdjacencyLists) { self.lists = lists }
    func isPositive(user: Int32, item: Int32) -> Bool {
        let u = Int(user)
        guard u >= 0 && u < lists.rows else { return false }
        return lists.contains(u, item)
    }
}

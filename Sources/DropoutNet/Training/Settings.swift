import Foundation

/// Every setting of a run, with the defaults of DESIGN §4.2.
///
/// One flat value type: the CLI's `--set key=value`, the config TOML, the TUI's knobs, the run
/// store and the EasyRec export all speak these keys (DESIGN §10), so a run is described by
/// exactly one `Settings`. Each key is one row of `Settings.table` below, and everything else
/// is derived from the table. A new setting is a property here and a row there.
public struct Settings: Equatable, Codable, Sendable {
    public enum ModelKind: String, Codable, Sendable, CaseIterable { case easyrec, classic }
    public enum ShiftMode: String, Codable, Sendable, CaseIterable { case stride, random }
    /// The loss registry (`LossKind.definition`).
    public typealias LossKind = DropoutNet.LossKind
    public enum Optimizer: String, Codable, Sendable, CaseIterable { case adam, adamw, sgd }
    public enum Activation: String, Codable, Sendable, CaseIterable { case relu, tanh }
    public enum PreferenceKind: String, Codable, Sendable, CaseIterable { case wmf, id, stats }
    /// How training rows are put into batches (`BatchSampler`).
    public enum Batching: String, Codable, Sendable, CaseIterable { case shuffled, grouped }
    public enum BaselineTraining: String, Codable, Sendable, CaseIterable { case auto, trained, off }

    public var model: ModelKind = .easyrec
    public var userDropout: Double = 0.3
    public var itemDropout: Double = 0.5
    /// Scale kept preference rows by 1/(1−rate) (EasyRec ≥ 0.8.5); false = unscaled.
    public var dropoutScaling: Bool = true
    public var negativesN: Int = 1
    /// 16 rather than EasyRec's 4: on ml-latest-small more in-batch negatives per anchor lift
    /// validation and test recall@20 (warm and cold-item) at little cost (the logits are cheap).
    public var negativesM: Int = 16
    public var negativesShifts: ShiftMode = .stride
    public var negativesMaskFalse: Bool = false
    public var negativesLogQ: Bool = true
    public var loss: [LossKind] = [.svsoftmax]
    public var lossWeights: [Double] = [1]
    public var gamma: Double = 10
    public var margin: Double = 0.1
    public var t: Double = 1.2
    public var l2: Double = 0
    public var lr: Double = 1e-3
    public var optimizer: Optimizer = .adam
    public var momentum: Double = 0.9
    public var lrDecay: Double = 1.0
    public var lrDecayEvery: Int = 0
    /// `lr_decay_at`: decay every this fraction of the run instead of a step count (0: off).
    public var lrDecayAt: Double = 0
    /// `sparse_lr`: under SGD, Adam at this rate for the sparse parameters (0: SGD for all).
    public var sparseLR: Double = 0
    public var gradClip: Double = 0
    /// `weight_average`: decay of the moving average of the weights that evaluation ranks with
    /// (`WeightAverage`; 0: the raw weights).
    public var weightAverage: Double = 0.99
    public var batchSize: Int = 512
    public var batching: Batching = .shuffled
    public var embeddingDim: Int = 128
    public var userTower: [Int] = [256, 128]
    public var itemTower: [Int] = [256, 128]
    public var contentDNN: [Int] = [256]
    public var preferenceDNN: [Int] = [128]
    public var activation: Activation = .relu
    public var batchNorm: Bool = true
    /// WMF vectors by default: on ml-latest-small they give the best warm recall (behaviour
    /// `stats` alone barely beat popularity there) and keep the DropoutNet effect; the fit at
    /// start takes well under a second on sample-data.
    public var userPreference: PreferenceKind = .wmf
    public var itemPreference: PreferenceKind = .wmf
    /// Dimension of a learned `id` preference embedding, and the WMF rank for `wmf`.
    public var preferenceDim: Int = 64
    public var evalEvery: Int = 200
    /// Users per validation split in the live evaluations (a fixed, seeded sample; 0: every
    /// user). The evaluation at the end and the one asked for with `e` use every user.
    public var evalUsers: Int = 4000
    /// Most of the active time (training steps + evaluations) that scheduled validations may
    /// take: a due evaluation is skipped when it would push them past this share, so on a large
    /// catalogue the curve thins out instead of evaluation dwarfing training. 0: every due one.
    public var evalBudget: Double = 0.1
    public var k: [Int] = [10, 20, 50, 100]
    public var epochs: Int = 10
    public var seed: UInt64 = 42
    /// Train the content-only baseline once the run is tested (DESIGN §4.8): a second training
    /// as long as the run's, after it — in the workbench too, where quit and restart end it and
    /// its number joins the inspector when it is ready. `off` for quick runs.
    public var contentOnlyBaseline: BaselineTraining = .auto
    // Classic DropoutNet (DESIGN §4.3).
    public var classicTopK: Int = 20
    public var classicTransform: Bool = false
    /// `classic.residual` (`PreferenceResidual`): how the classic towers use the preference shortcut.
    public enum ClassicResidual: String, Codable, Sendable, CaseIterable { case off, additive, gated }
    public var classicResidual: ClassicResidual = .off
    /// `classic.content_start` (`ContentRidge`): where a linear cold path's weights start.
    public enum ContentStart: String, Codable, Sendable, CaseIterable { case random, ridge }
    public var classicContentStart: ContentStart = .random
    /// 64 for the EasyRec preference input (better than 200 on ml-latest-small, and faster);
    /// the classic model keeps the reference 200 (`classicDefaults`).
    public var wmfRank: Int = 64
    public var wmfReg: Double = 1
    /// `wmf.reg_search` (`WMFRegularizationSearch`): fixed λ, or chosen on held-out positives.
    public enum WMFRegSearch: String, Codable, Sendable, CaseIterable { case off, holdout }
    public var wmfRegSearch: WMFRegSearch = .off
    public var wmfAlpha: Double = 10
    public var wmfIterations: Int = 10
    /// `content.svd`: each side's sparse content projected to this many z-scored SVD
    /// directions (`EncoderOptions.svd`); 0 keeps it sparse.
    public var contentSVD: Int = 0
    /// How cold users' rankings use item popularity (`ColdUserPrior`): `auto` adds the items a
    /// user's content predicts (`ContentPopularity`), weighted as the validation cold users
    /// prefer; `off` ranks by the towers alone.
    public enum ColdUserPriorMode: String, Codable, Sendable, CaseIterable { case auto, off }
    public var coldUserPrior: ColdUserPriorMode = .auto
    /// How cold items' rankings use what their content says about who clicks them
    /// (`ColdItemPrior`): `auto` adds a ridge map's prediction, weighted as the validation cold
    /// items prefer; `off` ranks by the towers alone.
    public var coldItemPrior: ColdUserPriorMode = .auto
    /// Whether warm pairs' scores add the WMF teacher's (`WarmPrior`), weighted as the
    /// validation warm users prefer at the end of a run. The classic model's warm embeddings
    /// already are its input's, but the prior can still bring a stiffer teacher, or one refitted
    /// on a carved validation's pairs (`Trainer.wmfTeacher`).
    public var warmPrior: ColdUserPriorMode = .auto
    /// Whether warm pairs' scores add what item content predicts the user clicks
    /// (`WarmContentPrior`), weighted as the validation warm users prefer at the end of a run.
    public var warmContent: ColdUserPriorMode = .auto

    public init() {}

    /// The defaults a run of `model` starts from, before any config key or `--set`.
    public static func defaults(for model: ModelKind) -> Settings {
        model == .classic ? classicDefaults : Settings()
    }

    /// Defaults of the classic model (DESIGN §4.3, departures in docs/design-notes.md): tanh MLP
    /// with a linear 200 output, p = 0.5, SGD with momentum, WMF rank 200 (the reference's), and:
    /// - `classic.residual = gated`: a tower outputs its raw WMF factor where the preference is
    ///   present and the MLP's estimate where it is dropped or cold — warm recall is the
    ///   teacher's (CiteULike warm 0.5925 = WMF, was 0.465), the MLP serves the cold path only;
    /// - `lr_decay_at` 0.67: ×0.1 for the last third of the run whatever its length (a step count
    ///   tuned for ml-latest-small cut CiteULike's rate a tenth into the run);
    /// - towers of one linear layer of 200 (the reference's cold-start tower width): with the
    ///   gated shortcut the MLP only estimates dropped and cold entities from content, and there
    ///   a linear map does as well as a tanh layer of 400 (CiteULike cold 0.573 vs 0.563, ml-latest-
    ///   small cold items recall@20 0.335 vs 0.347) at 2.6× the speed (31k vs 12k samples/s);
    /// - `classic.content_start = ridge`: that linear map starts at the least-squares map from
    ///   content to the training entities' WMF factors — the minimiser of a dropped row's loss —
    ///   instead of noise, and SGD (no `sparse_lr`) refines it: CiteULike cold items 0.5688 →
    ///   0.5987. Adam on the sparse layer (`sparse_lr` 1e-3, which a random start needs: SGD
    ///   barely moves a 40k-row sparse layer, cold 0.05–0.12) walks a fitted map off its
    ///   optimum (0.514; 0.587 at 1e-4);
    /// - `wmf.reg_search = holdout`: the teacher's λ chosen on held-out positives — warm recall
    ///   is the teacher's, and rank 200 at λ 1 overfits small data (ml-latest-small warm
    ///   recall@20 0.125 at λ 1, 0.268 at 50);
    /// - top_k 200 of ~8.7k warm items on ml-latest-small (the reference takes 2,500 of 17k on
    ///   CiteULike): a deeper top teaches the order of the unseen items;
    /// - lr 0.02: the reference's 0.005 suits its much larger epochs.
    public static var classicDefaults: Settings {
        var s = Settings()
        s.model = .classic
        s.userDropout = 0.5
        s.itemDropout = 0.5
        s.loss = [.mse]
        s.lossWeights = [1]
        s.optimizer = .sgd
        s.lr = 0.02
        s.momentum = 0.9
        s.lrDecay = 0.1
        s.lrDecayAt = 0.67
        s.classicResidual = .gated
        s.classicContentStart = .ridge
        s.activation = .tanh
        s.userTower = [200]
        s.itemTower = [200]
        s.contentDNN = []
        s.preferenceDNN = []
        s.userPreference = .wmf
        s.itemPreference = .wmf
        s.wmfRank = 200
        s.wmfRegSearch = .holdout
        s.embeddingDim = 200
        s.batchSize = 1000
        s.epochs = 8
        s.classicTopK = 200
        s.dropoutScaling = false   // the reference zeroes dropped rows and leaves kept ones as they are
        return s
    }
}


extension Settings {
    /// Every setting, in display order: one row per key (see `SettingEntry`). The key list,
    /// `--set`, the config file, the JSON form, live changes, the workbench's knobs, the EasyRec
    /// export's notes and `dropoutnet settings` are all read from here.
    public static let table: [SettingEntry] = [
        SettingEntry("model", \.model, .choice,
                     easyRec: .note { $0.model == .classic ? "classic DropoutNet (MSE regression onto WMF scores) has no EasyRec equivalent; exported as EasyRec's DropoutNet with the same towers, preference inputs and dropout rates, trained on its losses instead" : nil },
                     help: "easyrec: EasyRec's DropoutNet (cosine towers, in-batch losses); classic: Volkovs et al. (MSE onto WMF scores); each starts from its own defaults"),
        SettingEntry("user_dropout", \.userDropout, .number(0...1), short: "udrop",
                     live: .knob(.slider("user drop", 0...1, step: 0.05, coarse: 0.25, format: "%.2f")),
                     easyRec: .fields("model_config.dropoutnet.user_dropout_rate"),
                     help: "probability that a training row's user preference vector is zeroed"),
        SettingEntry("item_dropout", \.itemDropout, .number(0...1), short: "idrop",
                     live: .knob(.slider("item drop", 0...1, step: 0.05, coarse: 0.25, format: "%.2f")),
                     easyRec: .fields("model_config.dropoutnet.item_dropout_rate"),
                     help: "probability that a training row's item preference vector is zeroed"),
        SettingEntry("dropout_scaling", \.dropoutScaling, .flag,
                     easyRec: .note { $0.dropoutScaling ? nil : "EasyRec ≥ 0.8.5 always scales kept preference rows by 1/(1−rate); unscaled dropout (EasyRec before 0.8.5) cannot be selected" },
                     help: "scale kept preference rows by 1/(1−rate) (EasyRec ≥ 0.8.5); false leaves them as they are"),
        SettingEntry("negatives.n", \.negativesN, .integer(1...(1 << 20)), short: "N",
                     live: .knob(.picker("N") { s in Array(Set(Array(1...16) + [32, 64, 128, 256].filter { $0 < s.batchSize })).sorted().map(String.init) }),
                     easyRec: .omitted("stride shifts only, which EasyRec lacks (see negatives.shifts)"),
                     help: "rows rolled per in-batch shift: the k-th negative of row i is row i − k·N (stride shifts)"),
        SettingEntry("negatives.m", \.negativesM, .integer(0...(1 << 16)), short: "M",
                     live: .knob(.picker("M") { s in Array(Set(Array(0...16) + [32, 64, 128, 255, 256, 511].filter { $0 < s.batchSize })).sorted().map(String.init) }),
                     easyRec: .fields("model_config.dropoutnet.softmax_loss.num_negative_samples"),
                     help: "in-batch negatives per anchor (rolls per step) for the softmax losses"),
        SettingEntry("negatives.shifts", \.negativesShifts, .choice, short: "shifts",
                     live: .knob(.picker("shifts") { _ in ShiftMode.allCases.map(\.rawValue) }),
                     easyRec: .note { s in s.negativesShifts == .stride && EasyRecLosses.usesSoftmaxBlock(s) ? "EasyRec draws its M shifts at random from 1…B−1 each batch (with replacement); the workbench's stride shifts s_k = k·N (N = \(s.negativesN)) have no EasyRec setting — only M is exported" : nil },
                     help: "stride: shifts k·N; random: M distinct shifts from 1…B−1 per step (EasyRec's)"),
        SettingEntry("negatives.mask_false", \.negativesMaskFalse, .flag, live: .noKnob,
                     easyRec: .note { s in s.negativesMaskFalse && EasyRecLosses.usesSoftmaxBlock(s) ? "EasyRec does not mask false negatives (a rolled-in item equal to the anchor's item or another positive of the user stays a negative)" : nil },
                     help: "a rolled negative that is the anchor's item or a known positive of its user gets logit −∞"),
        SettingEntry("negatives.logq", \.negativesLogQ, .flag, live: .noKnob,
                     easyRec: .note { s in s.negativesLogQ && EasyRecLosses.usesSoftmaxBlock(s) ? "EasyRec has no logQ correction of in-batch negatives, so its γ·cosine learns log p(item | user) − log q(item): rank by γ·cosine + log q(item) to score as the workbench does (export with --out DIR writes log q to \(EasyRecExport.itemLogQFile); scripts/easyrec_embeddings.py folds it into the vectors). Ranked by cosine alone, popular items are pushed down" : nil },
                     help: "subtract log p(item) from every softmax logit (in-batch negatives are sampled by popularity)"),
        SettingEntry("loss", \.loss, .list(of: .choice, empty: "expected at least one loss", expected: "list of " + LossKind.allCases.map(\.rawValue).joined(separator: " | ")),
                     live: .knob(.picker("loss") { _ in LossKind.allCases.map(\.rawValue) }),
                     easyRec: .fields(["model_config.losses.loss_type"], notes: { (try? EasyRecLosses.map($0))?.notes ?? [] }),
                     help: "the losses to mix, weighted by loss_weights (each is listed under `losses` below)",
                     then: { s in if s.lossWeights.count != s.loss.count { s.lossWeights = Array(repeating: 1, count: s.loss.count) } }),
        SettingEntry("loss_weights", \.lossWeights,
                     .list(of: .number(0 ... .infinity).refusing { "expected non-negative numbers, got '\($0)'" }, empty: nil, expected: "list of numbers ≥ 0"),
                     live: .noKnob, easyRec: .fields("model_config.losses.weight"),
                     help: "weight of each loss in `loss`, in order (a new `loss` list resets them to 1)"),
        SettingEntry("gamma", \.gamma, .number(1e-6...1e6),
                     live: .knob(.slider("γ", 1...50, step: 0.5, coarse: 5, format: "%.1f")),
                     easyRec: .fields("model_config.dropoutnet.softmax_loss.gamma"),
                     help: "scale (inverse temperature) of the softmax logits and of the sigmoid's logit"),
        SettingEntry("margin", \.margin, .number(-2...2),
                     live: .knob(.slider("margin", -0.5...0.5, step: 0.01, coarse: 0.1, format: "%.2f")),
                     easyRec: .fields("model_config.dropoutnet.softmax_loss.margin"),
                     help: "SV-softmax margin subtracted from the positive's cosine"),
        SettingEntry("t", \.t, .number(1...100),
                     live: .knob(.slider("t", 1...3, step: 0.05, coarse: 0.25, format: "%.2f")),
                     easyRec: .fields("model_config.dropoutnet.softmax_loss.coefficient_of_support_vector"),
                     help: "SV-softmax weight of mis-ranked negatives (t = 1: none)"),
        SettingEntry("l2", \.l2, .number(0...1e3), live: .noKnob,
                     easyRec: .fields("model_config.dropoutnet.l2_regularization"),
                     help: "λ of the penalty λ·Σ‖W‖² on the dense kernels (not with adamw, which decays weights itself)"),
        SettingEntry("lr", \.lr, .number(1e-9...10, compact: false),
                     live: .knob(.slider("lr", -5 ... -1, step: 0.1, coarse: 0.5, log: true, format: "%.1e")),
                     easyRec: .fields("train_config.optimizer_config.*.learning_rate"),
                     help: "learning rate"),
        SettingEntry("optimizer", \.optimizer, .choice,
                     easyRec: .fields("train_config.optimizer_config", note: { s in s.optimizer == .adamw ? "adamw is exported as EasyRec's adamw_optimizer with its default weight_decay (1e-6); l2 = \(ProtoTextWriter.number(s.l2)) is exported as dropoutnet.l2_regularization" : nil }),
                     help: "adam, adamw (decoupled weight decay) or sgd with momentum"),
        SettingEntry("momentum", \.momentum, .number(0...0.9999),
                     easyRec: .fields("train_config.optimizer_config.momentum_optimizer.momentum_optimizer_value"),
                     help: "momentum of sgd"),
        SettingEntry("lr_decay", \.lrDecay, .number(1e-6...1),
                     easyRec: .fields("train_config.optimizer_config.*.learning_rate.exponential_decay_learning_rate.decay_factor"),
                     help: "factor the learning rate is multiplied by every lr_decay_every steps"),
        SettingEntry("lr_decay_every", \.lrDecayEvery, .integer(0 ... Int.max),
                     easyRec: .fields("train_config.optimizer_config.*.learning_rate.exponential_decay_learning_rate.decay_steps"),
                     help: "steps between learning-rate decays (0: no decay)"),
        SettingEntry("lr_decay_at", \.lrDecayAt, .number(0...1),
                     easyRec: .fields("train_config.optimizer_config.*.learning_rate.exponential_decay_learning_rate.decay_steps"),
                     help: "decay the learning rate every this fraction of the run's steps (0.67: once, for the last third); lr_decay_every wins when set"),
        SettingEntry("sparse_lr", \.sparseLR, .number(0...10, compact: false),
                     easyRec: .note { s in
                         guard s.sparseLR > 0 else { return nil }
                         return s.optimizer == .sgd
                             ? "sparse_lr (Adam for the sparse content layer under SGD) has no EasyRec equivalent: one optimizer trains every variable"
                             : "sparse_lr applies under optimizer = sgd only; \(s.optimizer.rawValue) trains every variable here too"
                     },
                     help: "with optimizer = sgd, train the sparse parameters (tf-idf / multi-hot content layer, ID embeddings) with Adam at this rate (0: sgd for all)"),
        SettingEntry("grad_clip", \.gradClip, .number(0 ... .infinity),
                     easyRec: .fields("train_config.gradient_clipping_by_norm"),
                     help: "clip the gradient's global norm to this (0: no clipping)"),
        SettingEntry("weight_average", \.weightAverage, .number(0...0.9999),
                     easyRec: .note { $0.weightAverage > 0 ? "weight_average (validation, the checkpoint and the test rank with a moving average of the weights) has no EasyRec setting: EasyRec evaluates and exports the weights of its last step" : nil },
                     help: "decay per step of the moving average of the weights that validation, the checkpoint and the test use (0.99: about the last 100 steps; 0: the raw weights)"),
        SettingEntry("batch_size", \.batchSize, .integer(2...(1 << 20)),
                     easyRec: .fields("data_config.batch_size"),
                     help: "rows per training step (and the pool the in-batch negatives come from)"),
        SettingEntry("batching", \.batching, .choice,
                     easyRec: .note { $0.batching == .grouped ? "EasyRec batches the training CSV in file order through a small shuffle buffer; for grouped batches write the CSV grouped by user (a few users' rows at a time, in random order) and set data_config.shuffle: false" : nil },
                     help: "shuffled: rows in random order; grouped: whole per-user groups (≤ \(BatchSampler.defaultGroupCap) rows), so hard_pairwise sees a user's positives with its shown-not-clicked rows (EasyRec model)"),
        SettingEntry("embedding_dim", \.embeddingDim, .integer(1...(1 << 16)),
                     easyRec: .note { s in s.userTower.last != s.embeddingDim ? "EasyRec's embedding dimension is the last tower size (\(s.userTower.last ?? 0)); embedding_dim = \(s.embeddingDim) is not exported separately" : nil },
                     help: "width of the towers' output; the last tower layer sets it"),
        SettingEntry("user_tower", \.userTower, .widths(empty: "expected a list of positive integers"),
                     easyRec: .fields("model_config.dropoutnet.user_tower.hidden_units"),
                     help: "widths of the user tower's layers; the last is linear"),
        SettingEntry("item_tower", \.itemTower, .widths(empty: "expected a list of positive integers"),
                     easyRec: .fields("model_config.dropoutnet.item_tower.hidden_units"),
                     help: "widths of the item tower's layers; the last is linear"),
        SettingEntry("content_dnn", \.contentDNN, .widths(empty: nil),
                     easyRec: .fields("model_config.dropoutnet.user_content.hidden_units", "model_config.dropoutnet.item_content.hidden_units"),
                     help: "widths of the content sub-network on each side ([] : identity)"),
        SettingEntry("preference_dnn", \.preferenceDNN, .widths(empty: nil),
                     easyRec: .fields("model_config.dropoutnet.user_preference.hidden_units", "model_config.dropoutnet.item_preference.hidden_units"),
                     help: "widths of the preference sub-network on each side ([] : identity)"),
        SettingEntry("activation", \.activation, .choice,
                     easyRec: .fields("model_config.dropoutnet.user_tower.activation"),
                     help: "activation of every hidden layer"),
        SettingEntry("batch_norm", \.batchNorm, .flag,
                     easyRec: .fields("model_config.dropoutnet.user_tower.use_bn"),
                     help: "batch normalisation in every hidden layer"),
        SettingEntry("preference", \.preferences, .bothSides, stored: false,
                     easyRec: .omitted("a shorthand: see user_preference and item_preference"),
                     help: "KIND or USER_KIND,ITEM_KIND: sets user_preference and item_preference"),
        SettingEntry("user_preference", \.userPreference, .choice,
                     easyRec: .fields("model_config.feature_groups", note: { $0.userPreference == .id ? Settings.idPreferenceNote("user") : nil }),
                     help: "the user's preference input: wmf vector, learned id embedding or behaviour stats"),
        SettingEntry("item_preference", \.itemPreference, .choice,
                     easyRec: .fields("model_config.feature_groups", note: { $0.itemPreference == .id ? Settings.idPreferenceNote("item") : nil }),
                     help: "the item's preference input: wmf vector, learned id embedding or behaviour stats"),
        SettingEntry("preference_dim", \.preferenceDim, .integer(1...4096),
                     easyRec: .fields("feature_configs.embedding_dim"),
                     help: "width of a learned id preference embedding"),
        SettingEntry("eval_every", \.evalEvery, .integer(0 ... Int.max),
                     easyRec: .fields("train_config.save_checkpoints_steps"),
                     help: "steps between validation evaluations (0: only at the end)"),
        SettingEntry("eval_budget", \.evalBudget, .number(0...1),
                     easyRec: .omitted("share of time of the workbench's own live validation"),
                     help: "most of the time scheduled validations may take; a due one is skipped beyond it (0: never skipped)"),
        SettingEntry("eval_users", \.evalUsers, .integer(0 ... Int.max),
                     easyRec: .omitted("size of the workbench's own live validation sample"),
                     help: "users per validation split in live evaluations, a fixed seeded sample (0: all; the end and e use all)"),
        SettingEntry("k", \.k, .widths(empty: "expected a list of positive integers"),
                     easyRec: .omitted("cut-offs of the workbench's own evaluation of the exported embeddings"),
                     help: "cut-offs K of recall@K and the other ranking metrics"),
        SettingEntry("epochs", \.epochs, .integer(1...1_000_000),
                     easyRec: .fields("data_config.num_epochs", "train_config.num_steps"),
                     help: "passes over the training interactions"),
        SettingEntry("seed", \.seed, .integer(0 ... Int.max),
                     easyRec: .omitted("EasyRec draws its own initialisation and shuffling"),
                     help: "seed of initialisation, shuffling, dropout and negatives"),
        SettingEntry("baselines.content_only", \.contentOnlyBaseline, .choice,
                     easyRec: .omitted("a baseline of the workbench's own evaluation"),
                     help: "trained: after the run, train the same towers with user_dropout = item_dropout = 1 (as long again) and report them as the content_only baseline; auto: trained up to 2 M training interactions, skipped (with a note in the log) above; off: skip it (zeroed_preference, the run's towers with every preference zeroed, is always reported)"),
        SettingEntry("classic.top_k", \.classicTopK, .integer(1 ... Int.max),
                     easyRec: .omitted("classic batches have no EasyRec equivalent (see model)"),
                     help: "classic: each user's top-k items by WMF score go into its batches, with as many random ones"),
        SettingEntry("classic.residual", \.classicResidual, .choice,
                     easyRec: .omitted("classic only (see model)"),
                     help: "classic: additive — each tower outputs its raw WMF factor plus the MLP's correction; gated — the raw factor where the preference is present, the MLP's estimate where it is dropped or cold; off — the reference's plain MLP. Applies where the towers end as wide as wmf.rank"),
        SettingEntry("classic.content_start", \.classicContentStart, .choice,
                     easyRec: .omitted("classic only (see model)"),
                     help: "classic: ridge — a linear cold path (gated shortcut, no content_dnn, one tower layer) starts at the ridge regression of the training entities' WMF factors on their content, the ridge chosen on a held-out tenth, then refined by SGD; random — the reference's small random weights (a random sparse layer needs sparse_lr ≈ 1e-3 to learn under SGD)"),
        SettingEntry("classic.transform", \.classicTransform, .flag,
                     easyRec: .omitted("classic only (see model)"),
                     help: "classic: show a dropped preference as the mean WMF vector of the entity's training neighbours (needs preference = wmf)"),
        SettingEntry("wmf.rank", \.wmfRank, .integer(1...4096),
                     easyRec: .fields("feature_configs.raw_input_dim"),
                     help: "rank of the WMF factors behind the wmf preference input"),
        SettingEntry("wmf.reg", \.wmfReg, .number(0 ... .infinity),
                     easyRec: .omitted("WMF is fitted before EasyRec sees the vectors"),
                     help: "WMF regularisation λ"),
        SettingEntry("wmf.reg_search", \.wmfRegSearch, .choice,
                     easyRec: .omitted("WMF is fitted before EasyRec sees the vectors"),
                     help: "holdout: fit WMF with wmf.reg × 1, 4, 16, 64 (and ×4 further while the largest is best) on the training positives less a tenth of each user's, keep the λ with the best recall@20 of the held-out ones, refit on all (one extra fit per candidate); off: wmf.reg as given"),
        SettingEntry("wmf.alpha", \.wmfAlpha, .number(0 ... .infinity),
                     easyRec: .omitted("WMF is fitted before EasyRec sees the vectors"),
                     help: "WMF confidence c = 1 + α·r"),
        SettingEntry("wmf.iterations", \.wmfIterations, .integer(1...1000),
                     easyRec: .omitted("WMF is fitted before EasyRec sees the vectors"),
                     help: "WMF alternating least-squares sweeps"),
        SettingEntry("content.svd", \.contentSVD, .integer(0...4096),
                     easyRec: .note { $0.contentSVD > 0 ? "content.svd = \($0.contentSVD) projects the sparse content onto SVD directions before the towers; EasyRec reads the raw features" : nil },
                     help: "project each side's sparse content onto this many z-scored SVD directions fitted on training entities (0: keep it sparse)"),
        SettingEntry("scoring.cold_user_prior", \.coldUserPrior, .choice,
                     easyRec: .note { $0.coldUserPrior == .auto ? "the workbench adds w·(the clicks a ridge map predicts from the user's content) to cold users' scores (w chosen on validation cold users); EasyRec has no such prior (scripts/easyrec_embeddings.py adds only log q(item)) — add it when serving" : nil },
                     help: "auto: add the item popularity a ridge map predicts from a user's content (a per-user popularity list without content) to the scores of users without history, weighted as validation cold users prefer; off: towers alone"),
        SettingEntry("scoring.cold_item_prior", \.coldItemPrior, .choice,
                     easyRec: .note { $0.coldItemPrior == .auto ? "the workbench adds w·(the clicks a ridge map from item content predicts for the user) to cold items' scores (w chosen on validation cold items); an EasyRec model ranks by the towers' cosine alone — add the prior when serving" : nil },
                     help: "auto: add the user's ridge profile over item content (fitted on the training items' clicks) to the scores of items without history, weighted as validation cold items prefer; off: towers alone"),
        SettingEntry("scoring.warm_prior", \.warmPrior, .choice,
                     easyRec: .note { $0.warmPrior == .auto ? "the workbench adds w·(the WMF factors' dot product) to the scores of users and items with history (w chosen on validation warm users at the end of a run); an EasyRec model ranks by the towers' cosine alone" : nil },
                     help: "auto: at the end of a run, add the WMF teacher's score (the run's WMF or a stiffer-λ refit) to pairs of a user and an item that both have training interactions, weighted as validation warm users prefer (0 allowed; needs wmf preference); where the warm test masks a validation carved from train.csv, the chosen teacher is then refitted with those pairs; off: towers alone"),
        SettingEntry("scoring.warm_content", \.warmContent, .choice,
                     easyRec: .note { $0.warmContent == .auto ? "the workbench adds w·(a content score: a ridge map from item content to the user's clicks, or the towers' outputs without preference) to the scores of users and items with history (source and w chosen on validation warm users at the end of a run); an EasyRec model ranks by the towers' cosine alone" : nil },
                     help: "auto: at the end of a run, add a content score to pairs of a user and an item that both have training interactions, after the warm prior — the user's ridge profile over item content (the cold-item prior's map) or the towers' own outputs with the preference dropped, whichever ranks validation warm users better, weighted as they prefer (0 allowed; searched up to 2 M training interactions); off: no content term on warm pairs"),
    ]

    /// Both sides' preference kinds, for the `preference` shorthand (reads as [user, item]).
    public var preferences: [PreferenceKind] {
        get { [userPreference, itemPreference] }
        set { userPreference = newValue[0]; itemPreference = newValue.count > 1 ? newValue[1] : newValue[0] }
    }

    static func idPreferenceNote(_ side: String) -> String {
        "an unseen \(side) id hashes into a trained bucket in EasyRec, where the workbench gives a cold \(side) the zero preference vector that dropout trained for; give cold \(side)s an id that never occurs in training"
    }
}

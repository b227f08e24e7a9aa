import Foundation

/// Writes a complete EasyRec `pipeline.config` (protobuf text, message `protos.EasyRecConfig`)
/// for EasyRec's DropoutNet from a run's settings and its dataset's columns (DESIGN §9).
///
/// Every setting either maps onto an EasyRec field or produces a `Note` (each row of
/// `Settings.table` says which, in its `easyRec` mapping): notes are written as
/// comments at the top of the file (and next to the field they affect) and returned so the CLI
/// prints them on stderr — a tuned setting is never dropped silently. The fields EasyRec declares
/// `required` (`loss_weight_strategy`, `l2_regularization`, both dropout rates, all six DNN
/// blocks, the four `softmax_loss` numbers) are always written, so the file also passes strict
/// validators. Field names were checked against EasyRec's .proto files with
/// `scripts/check_easyrec_config.py`.
public struct EasyRecExport {
    public var settings: Settings
    public var schema: EasyRecSchema
    public var trainInputPath = "data/train.csv"
    public var evalInputPath = "data/eval.csv"
    public var modelDir = "experiments/dropoutnet"
    /// The EasyRec release the file is written for (`--easyrec-version`).
    public var dialect: EasyRecDialect = .pypi
    /// What the CSV columns hold per entity, when the export has the data (`--out DIR`): the
    /// categorical columns then get collision-free vocabularies or bucket counts.
    public var values: EasyRecValues?

    /// A setting without an exact EasyRec equivalent, and what the export did about it.
    public struct Note: Equatable, Sendable, CustomStringConvertible {
        public var setting: String
        public var message: String
        public var description: String { "\(setting): \(message)" }
    }

    public struct Output: Sendable {
        public var text: String
        public var notes: [Note]
    }

    public init(settings: Settings, schema: EasyRecSchema) {
        self.settings = settings
        self.schema = schema
    }

    public func render() throws -> Output {
        var notes: [Note] = []
        func note(_ setting: String, _ message: String) { notes.append(Note(setting: setting, message: message)) }
        let s = settings

        // What the workbench does that EasyRec cannot: each setting's notes (`Settings.table`),
        // after the checks that refuse an export outright.
        let losses = try EasyRecLosses.map(s).losses
        let usesSoftmax = losses.contains { $0.type == EasyRecLosses.softmaxType }
        if s.userTower.last != s.itemTower.last {
            throw ExportError("user_tower and item_tower must end in the same size (the embedding dimension); got \(s.userTower.last ?? 0) and \(s.itemTower.last ?? 0)")
        }
        for entry in Settings.table where !(entry.key == "dropout_scaling" && !dialect.rescalesPreferenceDropout) {
            for message in entry.easyRec.notes(s) { note(entry.key, message) }
        }
        // The table's dropout_scaling note speaks for EasyRec ≥ 0.8.5; 0.7 is the other way round.
        if !dialect.rescalesPreferenceDropout && s.dropoutScaling && (s.userDropout > 0 || s.itemDropout > 0) {
            note("dropout_scaling", "EasyRec \(dialect.rawValue) zeroes dropped preference rows and does not scale the kept ones by 1/(1 − rate) as the workbench does; dropout_scaling = false trains as it does (or export for 0.8)")
        }
        let weighted = schema.sampleWeights == true
        if weighted {
            note(EasyRecExport.weightField, "EasyRec divides a weighted loss by the count of non-zero weights, the workbench by the weights' sum: the same for weights of 0 and 1, otherwise EasyRec's losses scale with each batch's mean weight")
            if losses.contains(where: { $0.type == "PAIR_WISE_LOSS" }) {
                note("loss", "EasyRec's DropoutNet passes no sample weights to PAIR_WISE_LOSS; the workbench weighs each pair by the product of its rows' weights")
            }
        }

        let fields = inputFields()
        let user = (content: fields.compactMap { $0.feature.flatMap { $0.group == "user_content" ? $0 : nil } },
                    preference: fields.compactMap { $0.feature.flatMap { $0.group == "user_preference" ? $0 : nil } })
        let item = (content: fields.compactMap { $0.feature.flatMap { $0.group == "item_content" ? $0 : nil } },
                    preference: fields.compactMap { $0.feature.flatMap { $0.group == "item_preference" ? $0 : nil } })

        var w = ProtoTextWriter()
        w.comment("EasyRec pipeline.config for DropoutNet, written by dropoutnet \(DropoutNetVersion.string) (`dropoutnet export easyrec`).")
        if let name = schema.datasetName { w.comment("Dataset: \(name).") }
        w.comment("Written for EasyRec \(dialect.rawValue) (--easyrec-version); how it behaves:")
        for line in dialect.differences { w.comment("  - \(line)") }
        w.comment("Check it against EasyRec's protos with scripts/check_easyrec_config.py; train with EasyRec's")
        w.comment("train_eval on the paths below (see the README, \"Training at scale with EasyRec\").")
        if !notes.isEmpty {
            w.comment("")
            w.comment("Settings that EasyRec cannot reproduce exactly:")
            for n in notes { w.comment("  - \(n.setting): \(n.message)") }
        }
        w.blank()
        w.comment("One CSV row per interaction, columns in the order of data_config.input_fields, no header line:")
        w.comment(weighted ? "the label, both ids, the sample weight, then the user's and the item's feature columns joined onto the interaction."
                           : "the label, both ids, then the user's and the item's feature columns joined onto the interaction.")
        if values != nil {
            w.comment("train.csv holds the training interactions (hard negatives kept), eval.csv the validation ones, each")
            w.comment("shuffled with the run's seed (EasyRec shuffles only within a small buffer); users.csv and items.csv")
            w.comment("hold one row per user / item (label 0, the other side's columns from the first item / user), which")
            w.comment("scripts/easyrec_embeddings.py runs through the trained towers for `dropoutnet eval --embeddings`.")
            if EasyRecExport.needsServingLogQ(s) {
                w.comment("\(EasyRecExport.itemLogQFile) holds log q(item), the share of training rows holding the item: the")
                w.comment("script ranks by γ·cosine + log q(item), the logQ correction EasyRec's training lacks, applied at serving.")
            }
        }
        w.string("train_input_path", trainInputPath)
        w.string("eval_input_path", evalInputPath)
        w.string("model_dir", modelDir)
        w.blank()
        writeTrainConfig(&w)
        w.blank()
        w.block("eval_config") { w in
            w.comment("EasyRec's DropoutNet computes only auc/accuracy/precision/recall in-graph; recall@K on")
            w.comment("warm / cold-user / cold-item splits (k = \(s.value(of: "k"))) is an offline evaluation of the exported embeddings.")
            w.block("metrics_set") { w in w.block("auc") { _ in } }
        }
        w.blank()
        w.block("data_config") { w in
            w.int("batch_size", s.batchSize)
            for f in fields {
                w.block("input_fields") { w in w.string("input_name", f.name); w.field("input_type", f.inputType) }
            }
            w.string("label_fields", "label")
            if weighted {
                w.string("sample_weight", EasyRecExport.weightField,
                         comment: "the interactions' weight column; EasyRec weighs the softmax loss by the anchor's weight and the sigmoid loss by the row's")
            }
            w.int("num_epochs", s.epochs)
            w.field("input_type", "CSVInput")
        }
        w.blank()
        for f in user.content + user.preference + item.content + item.preference {
            if let c = f.comment { w.comment(c) }
            w.block("feature_configs") { w in
                w.string("input_names", f.name)
                w.field("feature_type", f.featureType)
                if let d = f.embeddingDim { w.int("embedding_dim", d) }
                switch f.categories {
                case .vocabulary(let list)?:
                    for v in list { w.string("vocab_list", v) }
                case let .hashed(buckets, values)?:
                    w.int("hash_bucket_size", buckets, comment: "the smallest count where EasyRec's hash puts none of the \(values.count) values in one bucket")
                case .identity(let values)?:
                    w.int("num_buckets", values.count + 1, comment: "values are written as their 1-based index in the sorted vocabulary of \(values.count) (no collision-free hash up to \(EasyRecCategories.maxBuckets(values.count)) buckets)")
                case nil:
                    if let h = f.hashBucketSize { w.int("hash_bucket_size", h) }
                }
                if let sep = f.separator { w.string("separator", sep) }
                if let kv = f.kvSeparator { w.string("kv_separator", kv) }
                if let r = f.rawInputDim { w.int("raw_input_dim", r) }
                if let c = f.combiner { w.string("combiner", c) }
            }
        }
        w.blank()
        w.block("model_config") { w in
            w.string("model_class", "DropoutNet")
            for (group, features) in [("user_content", user.content), ("user_preference", user.preference),
                                      ("item_content", item.content), ("item_preference", item.preference)] where !features.isEmpty {
                w.block("feature_groups") { w in
                    w.string("group_name", group)
                    for f in features { w.string("feature_names", f.name) }
                    w.field("wide_deep", "DEEP")
                }
            }
            for l in losses {
                if let c = l.comment { w.comment(c) }
                w.block("losses") { w in
                    w.field("loss_type", l.type)
                    w.float("weight", l.weight)
                }
            }
            w.block("dropoutnet") { w in
                dnn(&w, "user_content", s.contentDNN)
                dnn(&w, "user_preference", s.preferenceDNN)
                dnn(&w, "item_content", s.contentDNN)
                dnn(&w, "item_preference", s.preferenceDNN)
                dnn(&w, "user_tower", s.userTower)
                dnn(&w, "item_tower", s.itemTower)
                w.float("l2_regularization", EasyRecExport.l2Regularization(s),
                        comment: s.optimizer == .adamw ? nil : "2 × l2: EasyRec's penalty is λ·Σ‖W‖²/2 (TF l2_loss), the workbench's λ·Σ‖W‖²")
                w.float("user_dropout_rate", s.userDropout)
                w.float("item_dropout_rate", s.itemDropout)
                if usesSoftmax {
                    let plain = !EasyRecLosses.supportVector(s)
                    w.block("softmax_loss") { w in
                        w.int("num_negative_samples", s.negativesM, comment: "M; EasyRec asserts M < the actual batch size, also for a last partial batch")
                        w.float("margin", plain ? 0 : s.margin)
                        w.float("gamma", s.gamma)
                        w.float("coefficient_of_support_vector", plain ? 1 : s.t)
                    }
                }
            }
            w.field("loss_weight_strategy", "Fixed")
        }
        w.blank()
        w.block("export_config") { _ in }
        return Output(text: w.text, notes: notes)
    }

    // MARK: - Pieces

    /// The input field of the interactions' sample weight (`data_config.sample_weight`).
    static let weightField = "weight"

    private func writeTrainConfig(_ w: inout ProtoTextWriter) {
        let s = settings
        let totalSteps = schema.trainInteractions.map { s.epochs * (($0 + s.batchSize - 1) / s.batchSize) }
        // The workbench's decay schedule in EasyRec's steps (`lr_decay_at` is a fraction of the run).
        var decaySteps: Int?
        if s.lrDecay < 1 {
            if s.lrDecayEvery > 0 {
                decaySteps = s.lrDecayEvery
            } else if s.lrDecayAt > 0, let totalSteps, totalSteps > 0 {
                decaySteps = max(1, Int((s.lrDecayAt * Double(totalSteps)).rounded()))
            }
        }
        w.block("train_config") { w in
            w.block("optimizer_config") { w in
                let name: String
                switch s.optimizer {
                case .adam: name = "adam_optimizer"
                case .adamw: name = "adamw_optimizer"
                case .sgd: name = "momentum_optimizer"
                }
                w.block(name) { w in
                    w.block("learning_rate") { w in
                        if let decaySteps {
                            w.block("exponential_decay_learning_rate") { w in
                                w.float("initial_learning_rate", s.lr)
                                w.int("decay_steps", decaySteps)
                                w.float("decay_factor", s.lrDecay)
                                w.bool("staircase", true)
                            }
                        } else {
                            w.block("constant_learning_rate") { w in w.float("learning_rate", s.lr) }
                        }
                    }
                    if s.optimizer == .sgd { w.float("momentum_optimizer_value", s.momentum) }
                }
            }
            if s.gradClip > 0 { w.float("gradient_clipping_by_norm", s.gradClip) }
            if let train = schema.trainInteractions, train > 0 {
                let steps = s.epochs * ((train + s.batchSize - 1) / s.batchSize)
                w.int("num_steps", steps, comment: "\(s.epochs) epochs × ⌈\(train) training interactions / batch \(s.batchSize)⌉")
            }
            if let (every, why) = EasyRecExport.checkpointSteps(s, trainInteractions: schema.trainInteractions) {
                w.int("save_checkpoints_steps", every, comment: why)
            }
        }
    }

    private func dnn(_ w: inout ProtoTextWriter, _ name: String, _ units: [Int]) {
        let s = settings
        w.block(name) { w in
            if units.isEmpty {
                w.int("hidden_units", 0, comment: "empty sub-network: [0] makes EasyRec's DNN an identity")
            } else {
                for u in units { w.int("hidden_units", u) }
            }
            w.string("activation", s.activation == .relu ? "tf.nn.relu" : "tf.nn.tanh")
            w.bool("use_bn", s.batchNorm)
        }
    }

    /// Embedding width for a vocabulary of n values: the common 6·n^¼ rule, clamped to 4…64.
    static func embeddingDim(_ n: Int?) -> Int {
        guard let n, n > 0 else { return 16 }
        return min(64, max(4, Int((6 * pow(Double(n), 0.25)).rounded())))
    }

    /// Hash buckets when the export has no data to check them (a config without `--out DIR`):
    /// about twice the distinct values seen, so collisions are rare but possible.
    static func buckets(_ n: Int?) -> Int {
        guard let n, n > 0 else { return 100_000 }
        return max(16, 2 * n)
    }

    /// EasyRec's `l2_regularization` for the workbench's `l2`: EasyRec penalises
    /// λ_E·Σ‖W‖²/2 (TF `l2_loss`), the workbench λ·Σ‖W‖², so λ_E = 2λ gives the same gradient.
    /// With adamw the workbench's l2 is decoupled weight decay, which the settings table notes.
    static func l2Regularization(_ s: Settings) -> Double { s.optimizer == .adamw ? s.l2 : 2 * s.l2 }

    /// `save_checkpoints_steps` (EasyRec evaluates after each checkpoint): the workbench's
    /// eval_every, but never more than the run's steps, so evaluation happens during training
    /// and not only at its end; a quarter of the steps when eval_every is 0 or too large.
    static func checkpointSteps(_ s: Settings, trainInteractions: Int?) -> (Int, String)? {
        guard let train = trainInteractions, train > 0 else {
            return s.evalEvery > 0 ? (s.evalEvery, "the workbench evaluated every \(s.evalEvery) steps") : nil
        }
        let steps = s.epochs * ((train + s.batchSize - 1) / s.batchSize)
        if s.evalEvery > 0 && s.evalEvery < steps {
            return (s.evalEvery, "the workbench evaluated every \(s.evalEvery) steps")
        }
        let quarter = max(1, steps / 4)
        return (quarter, "a quarter of num_steps \(steps), so EasyRec evaluates during training (eval_every \(s.evalEvery) is not below it)")
    }
}

/// Settings that cannot be exported at all.
public struct ExportError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "cannot export to EasyRec: \(message)" }
}

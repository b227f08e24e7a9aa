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
        for entry in Settings.table {
            for message in entry.easyRec.notes(s) { note(entry.key, message) }
        }
        let weighted = schema.sampleWeights == true
        if weighted {
            note(EasyRecExport.weightField, "EasyRec divides a weighted loss by the count of non-zero weights, the workbench by the weights' sum: the same for weights of 0 and 1, otherwise EasyRec's losses scale with each batch's mean weight")
            if losses.contains(where: { $0.type == "PAIR_WISE_LOSS" }) {
                note("loss", "EasyRec's DropoutNet passes no sample weights to PAIR_WISE_LOSS; the workbench weighs each pair by the product of its rows' weights")
            }
        }

        let user = sideFeatures(side: "user", columns: schema.userColumns, preference: s.userPreference, entities: schema.users)
        let item = sideFeatures(side: "item", columns: schema.itemColumns, preference: s.itemPreference, entities: schema.items)

        var w = ProtoTextWriter()
        w.comment("EasyRec pipeline.config for DropoutNet, written by dropoutnet \(DropoutNetVersion.string) (`dropoutnet export easyrec`).")
        if let name = schema.datasetName { w.comment("Dataset: \(name).") }
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
            w.block("input_fields") { w in w.string("input_name", "label"); w.field("input_type", "INT32") }
            w.block("input_fields") { w in w.string("input_name", "user_id"); w.field("input_type", "STRING") }
            w.block("input_fields") { w in w.string("input_name", "item_id"); w.field("input_type", "STRING") }
            if weighted {
                w.block("input_fields") { w in w.string("input_name", EasyRecExport.weightField); w.field("input_type", "FLOAT") }
            }
            for f in (user.content + user.preference + item.content + item.preference) where f.name != "user_id" && f.name != "item_id" {
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
                if let h = f.hashBucketSize { w.int("hash_bucket_size", h) }
                if let sep = f.separator { w.string("separator", sep) }
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
                w.float("l2_regularization", s.l2)
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
                        if s.lrDecay < 1 && s.lrDecayEvery > 0 {
                            w.block("exponential_decay_learning_rate") { w in
                                w.float("initial_learning_rate", s.lr)
                                w.int("decay_steps", s.lrDecayEvery)
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
            if s.evalEvery > 0 {
                w.int("save_checkpoints_steps", s.evalEvery, comment: "the workbench evaluated every \(s.evalEvery) steps")
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

    struct Feature {
        var name: String
        var inputType: String
        var featureType: String
        var embeddingDim: Int?
        var hashBucketSize: Int?
        var separator: String?
        var rawInputDim: Int?
        var combiner: String?
        var comment: String?
    }

    private func sideFeatures(side: String, columns: [EasyRecSchema.Column], preference: Settings.PreferenceKind,
                              entities: Int?) -> (content: [Feature], preference: [Feature]) {
        let s = settings
        let who = side == "user" ? "user" : "item"
        var content: [Feature] = []
        var used: Set<String> = ["label", "user_id", "item_id", EasyRecExport.weightField]
        func unique(_ base: String) -> String {
            var name = base, i = 2
            while used.contains(name) { name = "\(base)_\(i)"; i += 1 }
            used.insert(name)
            return name
        }
        for c in columns {
            let name = unique(c.name.hasPrefix(side + "_") ? c.name : "\(side)_\(c.name)")
            let seen = c.distinct.map { "\($0) distinct values seen" } ?? "vocabulary size unknown"
            switch c.kind {
            case .categorical:
                content.append(Feature(name: name, inputType: "STRING", featureType: "IdFeature",
                                       embeddingDim: EasyRecExport.embeddingDim(c.distinct), hashBucketSize: EasyRecExport.buckets(c.distinct),
                                       comment: "\(who) column '\(c.name)' (categorical, \(seen)): the workbench's one-hot first layer is an embedding lookup"))
            case .multi:
                content.append(Feature(name: name, inputType: "STRING", featureType: "TagFeature",
                                       embeddingDim: EasyRecExport.embeddingDim(c.distinct), hashBucketSize: EasyRecExport.buckets(c.distinct), separator: "|",
                                       combiner: "sum", comment: "\(who) column '\(c.name)' (multi-valued, '|'-separated, \(seen)): summed, like the workbench's multi-hot first layer"))
            case .text:
                content.append(Feature(name: name, inputType: "STRING", featureType: "TagFeature",
                                       embeddingDim: EasyRecExport.embeddingDim(c.distinct), hashBucketSize: EasyRecExport.buckets(c.distinct), separator: " ",
                                       combiner: "mean", comment: "\(who) column '\(c.name)' (text, \(seen)): a bag of words; EasyRec averages word embeddings where the workbench weights words by tf-idf"))
            case .numeric:
                content.append(Feature(name: name, inputType: "DOUBLE", featureType: "RawFeature",
                                       comment: "\(who) column '\(c.name)' (numeric): EasyRec feeds the raw value; standardise it when writing the CSV, as the workbench's encoder does"))
            case .vector:
                content.append(Feature(name: name, inputType: "STRING", featureType: "RawFeature", separator: " ",
                                       rawInputDim: c.dimension ?? 1,
                                       comment: "\(who) column '\(c.name)' (vector of \(c.dimension.map(String.init) ?? "unknown") space-separated floats)"))
            case .display:
                continue  // shown in the explorer, never a model input
            }
        }
        var pref: [Feature] = []
        switch preference {
        case .id:
            pref.append(Feature(name: "\(side)_id", inputType: "STRING", featureType: "IdFeature", embeddingDim: s.preferenceDim,
                                hashBucketSize: EasyRecExport.buckets(entities),
                                comment: "\(who) preference = a learned id embedding (preference_dim \(s.preferenceDim))"))
        case .stats:
            // The columns of `PreferenceInputs.stats`, in its order.
            for (i, stat) in PreferenceInputs.statsNames.enumerated() {
                pref.append(Feature(name: "\(side)_\(stat)", inputType: "DOUBLE", featureType: "RawFeature",
                                    comment: i == 0 ? "\(who) preference = behaviour statistics from the training interactions only, standardised over known \(who)s and clipped to ±5; all 0 for a cold \(who) (\(PreferenceInputs.statsNames.joined(separator: ", ")))" : nil))
            }
        case .wmf:
            pref.append(Feature(name: "\(side)_wmf", inputType: "STRING", featureType: "RawFeature", separator: " ", rawInputDim: s.wmfRank,
                                comment: "\(who) preference = the WMF vector (rank \(s.wmfRank), `dropoutnet pretrain wmf`), standardised and clipped to ±5; zeros for a cold \(who)"))
        }
        return (content, pref)
    }

    /// Embedding width for a vocabulary of n values: the common 6·n^¼ rule, clamped to 4…64.
    static func embeddingDim(_ n: Int?) -> Int {
        guard let n, n > 0 else { return 16 }
        return min(64, max(4, Int((6 * pow(Double(n), 0.25)).rounded())))
    }

    /// Hash buckets: about twice the distinct values seen, so collisions stay rare.
    static func buckets(_ n: Int?) -> Int {
        guard let n, n > 0 else { return 100_000 }
        return max(16, 2 * n)
    }
}

/// Settings that cannot be exported at all.
public struct ExportError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "cannot export to EasyRec: \(message)" }
}

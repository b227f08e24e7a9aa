import XCTest
@testable import DropoutNet

final class EasyRecExportTests: XCTestCase {
    static let schema = EasyRecSchema(
        datasetName: "synthetic",
        userColumns: [.init(name: "age", kind: .categorical, distinct: 7), .init(name: "bio", kind: .text, distinct: 5000),
                      .init(name: "name", kind: .display)],
        itemColumns: [.init(name: "genres", kind: .multi, distinct: 18), .init(name: "year", kind: .numeric),
                      .init(name: "embedding", kind: .vector, dimension: 32)],
        users: 1000, items: 400, trainInteractions: 10_000)

    func export(_ settings: Settings, schema: EasyRecSchema = schema, dialect: EasyRecDialect = .v0_8) throws -> (ProtoTextTree, EasyRecExport.Output) {
        var e = EasyRecExport(settings: settings, schema: schema)
        e.dialect = dialect
        let out = try e.render()
        return (try ProtoTextTree.parse(out.text), out)
    }

    func testDefaultSettingsWriteEveryRequiredFieldWithTheSettingsValues() throws {
        let (t, _) = try export(Settings())
        XCTAssertEqual(t.value("model_dir"), "experiments/dropoutnet")
        XCTAssertEqual(t.value("model_config.model_class"), "DropoutNet")
        XCTAssertEqual(t.value("model_config.loss_weight_strategy"), "Fixed")
        let dn = "model_config.dropoutnet."
        for block in ["user_content", "user_preference", "item_content", "item_preference", "user_tower", "item_tower"] {
            XCTAssertEqual(t.children(dn + block).count, 1, "required DNN block \(block)")
        }
        XCTAssertEqual(t.values(dn + "user_tower.hidden_units"), ["256", "128"])
        XCTAssertEqual(t.values(dn + "user_content.hidden_units"), ["256"])
        XCTAssertEqual(t.values(dn + "item_preference.hidden_units"), ["128"])
        XCTAssertEqual(t.value(dn + "user_tower.activation"), "tf.nn.relu")
        XCTAssertEqual(t.value(dn + "user_tower.use_bn"), "true")
        XCTAssertEqual(t.value(dn + "l2_regularization"), "0.0")
        XCTAssertEqual(t.value(dn + "user_dropout_rate"), "0.3")
        XCTAssertEqual(t.value(dn + "item_dropout_rate"), "0.5")
        XCTAssertEqual(t.value(dn + "softmax_loss.num_negative_samples"), "16")
        XCTAssertEqual(t.value(dn + "softmax_loss.margin"), "0.1")
        XCTAssertEqual(t.value(dn + "softmax_loss.gamma"), "10.0")
        XCTAssertEqual(t.value(dn + "softmax_loss.coefficient_of_support_vector"), "1.2")
        XCTAssertEqual(t.values("model_config.losses.loss_type"), ["SOFTMAX_CROSS_ENTROPY_WITH_NEGATIVE_MINING"])
        XCTAssertEqual(t.values("model_config.losses.weight"), ["1.0"])
        XCTAssertEqual(t.value("train_config.optimizer_config.adam_optimizer.learning_rate.constant_learning_rate.learning_rate"), "0.001")
        XCTAssertEqual(t.value("train_config.num_steps"), "200", "10 epochs × ⌈10000 / 512⌉ = 10 × 20")
        XCTAssertEqual(t.value("data_config.batch_size"), "512")
        XCTAssertEqual(t.value("data_config.input_type"), "CSVInput")
        XCTAssertEqual(t.value("data_config.label_fields"), "label")
    }

    func testFeatureConfigsFollowTheDatasetColumns() throws {
        let (t, _) = try export(Settings())
        var configs: [String: ProtoTextTree] = [:]
        for c in t.children("feature_configs") { configs[c.value("input_names")!] = c }
        XCTAssertEqual(configs["user_age"]?.value("feature_type"), "IdFeature")
        XCTAssertEqual(configs["user_age"]?.value("hash_bucket_size"), "16")
        XCTAssertEqual(configs["user_bio"]?.value("feature_type"), "TagFeature")
        XCTAssertEqual(configs["user_bio"]?.value("separator"), " ")
        XCTAssertEqual(configs["item_genres"]?.value("feature_type"), "TagFeature")
        XCTAssertEqual(configs["item_genres"]?.value("separator"), "|")
        XCTAssertEqual(configs["item_year"]?.value("feature_type"), "RawFeature")
        XCTAssertEqual(configs["item_embedding"]?.value("raw_input_dim"), "32")
        XCTAssertNil(configs["user_name"], "display columns are not model inputs")
        // Every feature is an input field, and the groups hold exactly the side's features.
        let inputs = Set(t.values("data_config.input_fields.input_name"))
        XCTAssertTrue(Set(configs.keys).isSubset(of: inputs))
        let groups = Dictionary(uniqueKeysWithValues: t.children("model_config.feature_groups").map { ($0.value("group_name")!, $0.values("feature_names")) })
        XCTAssertEqual(groups["user_content"], ["user_age", "user_bio"])
        XCTAssertEqual(groups["item_content"], ["item_genres", "item_year", "item_embedding"])
        XCTAssertEqual(groups["user_preference"], ["user_wmf"], "the default preference input is the WMF vector")
        var stats = Settings()
        try stats.set("preference", "stats")
        let statsGroups = Dictionary(uniqueKeysWithValues: try export(stats).0.children("model_config.feature_groups")
            .map { ($0.value("group_name")!, $0.values("feature_names")) })
        XCTAssertEqual(statsGroups["user_preference"], PreferenceInputs.statsNames.map { "user_" + $0 })
    }

    func testSettingsWithoutEasyRecEquivalentAreNotedInTheFileAndReturned() throws {
        let (_, out) = try export(Settings())
        XCTAssertEqual(Set(out.notes.map(\.setting)), ["negatives.shifts", "negatives.logq", "scoring.cold_user_prior",
                                                     "scoring.cold_item_prior", "scoring.warm_prior", "scoring.warm_content",
                                                     "weight_average"])
        for n in out.notes { XCTAssertTrue(out.text.contains("#   - \(n.setting): "), "note \(n.setting) is a comment in the file") }

        var exact = Settings()
        try exact.set("negatives.shifts", "random")
        try exact.set("negatives.logq", "false")
        try exact.set("scoring.cold_user_prior", "off")
        try exact.set("scoring.cold_item_prior", "off")
        try exact.set("scoring.warm_prior", "off")
        try exact.set("scoring.warm_content", "off")
        try exact.set("weight_average", "0")
        XCTAssertEqual(try export(exact).1.notes, [], "EasyRec's own behaviour exports without notes")

        var s = Settings()
        try s.set("negatives.mask_false", "true")
        try s.set("dropout_scaling", "false")
        try s.set("loss", "svsoftmax,hard_pairwise,sigmoid")
        let (t, out2) = try export(s)
        let noted = Set(out2.notes.map(\.setting))
        XCTAssertTrue(noted.isSuperset(of: ["negatives.mask_false", "dropout_scaling", "loss"]))
        XCTAssertTrue(out2.notes.contains { $0.message.contains("hard_pairwise") })
        XCTAssertTrue(out2.notes.contains { $0.message.contains("γ = 10") }, "sigmoid on γ·cos vs EasyRec's raw cosine")
        XCTAssertEqual(t.values("model_config.losses.loss_type"), ["SOFTMAX_CROSS_ENTROPY_WITH_NEGATIVE_MINING", "CLASSIFICATION"])
    }

    /// EasyRec 0.7.1 (PyPI) drops preference rows without rescaling: the workbench's scaled
    /// dropout is noted there, unscaled dropout is not; the header lists the release's behaviour.
    func testTheEasyRecVersionDecidesTheDropoutNoteAndTheHeader() throws {
        var exact = Settings()
        try exact.set("negatives.shifts", "random")
        try exact.set("negatives.logq", "false")
        try exact.set("scoring.cold_user_prior", "off")
        try exact.set("scoring.cold_item_prior", "off")
        try exact.set("scoring.warm_prior", "off")
        try exact.set("scoring.warm_content", "off")
        try exact.set("weight_average", "0")
        let (_, scaled) = try export(exact, dialect: .v0_7)
        XCTAssertEqual(scaled.notes.map(\.setting), ["dropout_scaling"])
        XCTAssertTrue(scaled.text.contains("EasyRec 0.7.x (pai-easy-rec 0.7.1 on PyPI): preference dropout zeroes a dropped row and does not rescale"))
        XCTAssertTrue(scaled.text.contains("Python ≤ 3.9"))
        XCTAssertTrue(scaled.text.contains("pyarrow < 15"))
        try exact.set("dropout_scaling", "false")
        XCTAssertEqual(try export(exact, dialect: .v0_7).1.notes, [], "unscaled dropout is what 0.7 does")
        XCTAssertEqual(try export(exact, dialect: .v0_8).1.notes.map(\.setting), ["dropout_scaling"])
        XCTAssertEqual(EasyRecDialect.pypi, .v0_7)
    }

    /// EasyRec's l2_regularization penalises λ·Σ‖W‖²/2: the export doubles the workbench's λ.
    func testL2IsWrittenSoTheRegularisationMatches() throws {
        var s = Settings()
        try s.set("l2", "0.0001")
        XCTAssertEqual(try export(s).0.value("model_config.dropoutnet.l2_regularization"), "0.0002")
    }

    /// EasyRec evaluates after each checkpoint: never later than the last step.
    func testCheckpointsComeBeforeTheLastStep() throws {
        var schema = Self.schema
        schema.trainInteractions = 1000
        var s = Settings()
        try s.set("batch_size", "512")
        try s.set("epochs", "3")
        try s.set("eval_every", "200")
        let t = try export(s, schema: schema).0
        XCTAssertEqual(t.value("train_config.num_steps"), "6")
        XCTAssertEqual(t.value("train_config.save_checkpoints_steps"), "1")
        try s.set("epochs", "500")
        XCTAssertEqual(try export(s, schema: schema).0.value("train_config.save_checkpoints_steps"), "200")
    }

    func testClassicModelIsExportedWithANote() throws {
        var s = Settings.classicDefaults
        try s.set("loss", "mse,pairwise")
        let (t, out) = try export(s)
        XCTAssertTrue(out.notes.contains { $0.setting == "model" })
        XCTAssertTrue(out.notes.contains { $0.message.contains("mse") })
        XCTAssertEqual(t.values("model_config.dropoutnet.user_tower.hidden_units"), Settings.classicDefaults.userTower.map(String.init))
        XCTAssertEqual(t.value("model_config.dropoutnet.user_tower.activation"), "tf.nn.tanh")
        XCTAssertEqual(t.values("model_config.dropoutnet.user_content.hidden_units"), ["0"], "an empty sub-network is EasyRec's identity [0]")
        XCTAssertEqual(t.value("train_config.optimizer_config.momentum_optimizer.momentum_optimizer_value"), "0.9")
        XCTAssertTrue(t.values("data_config.input_fields.input_name").contains("user_wmf"))
        XCTAssertNil(t.value("model_config.dropoutnet.softmax_loss.gamma"), "no softmax loss, no softmax_loss block")
    }

    func testOnlyUnexportableLossesIsAnError() {
        var s = Settings.classicDefaults
        XCTAssertThrowsError(try EasyRecExport(settings: s, schema: Self.schema).render()) { error in
            XCTAssertTrue("\(error)".contains("mse"), "\(error)")
        }
        s.loss = [.svsoftmax]
        s.negativesM = 0
        XCTAssertThrowsError(try EasyRecExport(settings: s, schema: Self.schema).render())
    }

    func testPlainSoftmaxHasNoMarginAndUnitT() throws {
        var s = Settings()
        try s.set("loss", "softmax")
        try s.set("lr_decay", "0.5")
        try s.set("lr_decay_every", "1000")
        let (t, _) = try export(s)
        XCTAssertEqual(t.value("model_config.dropoutnet.softmax_loss.margin"), "0.0")
        XCTAssertEqual(t.value("model_config.dropoutnet.softmax_loss.coefficient_of_support_vector"), "1.0")
        let lr = "train_config.optimizer_config.adam_optimizer.learning_rate.exponential_decay_learning_rate."
        XCTAssertEqual(t.value(lr + "decay_steps"), "1000")
        XCTAssertEqual(t.value(lr + "decay_factor"), "0.5")
    }

    func testSchemaTravelsInACheckpointAsJSON() throws {
        XCTAssertEqual(try EasyRecSchema(json: Self.schema.json), Self.schema)
    }

    func testSchemaOfALoadedDatasetCountsValues() {
        let users = SideContent(columns: [.init(name: "g", kind: .categorical, values: ["a", "b", "a", ""]),
                                          .init(name: "v", kind: .vector, values: ["1 2 3", "0 0 0", "1 1 1", "2 2 2"])], count: 4)
        let items = SideContent(columns: [.init(name: "tags", kind: .multi, values: ["x|y", "y|z"])], count: 2)
        let d = Dataset(name: "tiny", userIDs: ["u0", "u1", "u2", "u3"], itemIDs: ["i0", "i1"], users: [0, 1], items: [0, 1],
                        labels: [1, 0], userContent: users, itemContent: items)
        let schema = EasyRecSchema(dataset: d)
        XCTAssertEqual(schema.userColumns, [.init(name: "g", kind: .categorical, distinct: 2), .init(name: "v", kind: .vector, dimension: 3)])
        XCTAssertEqual(schema.itemColumns, [.init(name: "tags", kind: .multi, distinct: 3)])
        XCTAssertEqual(schema.sampleWeights, false, "no weight column: every weight 1")
        let weighted = Dataset(name: "tiny", userIDs: ["u0", "u1", "u2", "u3"], itemIDs: ["i0", "i1"], users: [0, 1], items: [0, 1],
                               labels: [1, 0], weights: [1, 0.5], userContent: users, itemContent: items)
        XCTAssertEqual(EasyRecSchema(dataset: weighted).sampleWeights, true)
    }

    /// A dataset with sample weights: the CSV gets a weight column after the ids, named as
    /// data_config.sample_weight, and the notes say where EasyRec's weighting differs.
    func testSampleWeightsBecomeEasyRecsSampleWeightField() throws {
        var schema = Self.schema
        schema.sampleWeights = true
        var s = Settings()
        try s.set("loss", "svsoftmax,pairwise")
        let (t, out) = try export(s, schema: schema)
        XCTAssertEqual(Array(t.values("data_config.input_fields.input_name").prefix(4)), ["label", "user_id", "item_id", "weight"])
        XCTAssertEqual(t.children("data_config.input_fields")[3].value("input_type"), "FLOAT")
        XCTAssertEqual(t.value("data_config.sample_weight"), "weight")
        XCTAssertTrue(out.notes.contains { $0.setting == "weight" && $0.message.contains("count of non-zero weights") })
        XCTAssertTrue(out.notes.contains { $0.setting == "loss" && $0.message.contains("PAIR_WISE_LOSS") })
        XCTAssertTrue(out.text.contains("the label, both ids, the sample weight, then"))
        // Without weights (or unknown, from an older checkpoint): no weight field, no notes.
        for none in [false, nil] as [Bool?] {
            schema.sampleWeights = none
            let (plain, plainOut) = try export(s, schema: schema)
            XCTAssertNil(plain.value("data_config.sample_weight"))
            XCTAssertFalse(plain.values("data_config.input_fields.input_name").contains("weight"))
            XCTAssertFalse(plainOut.notes.contains { $0.setting == "weight" })
        }
    }
}

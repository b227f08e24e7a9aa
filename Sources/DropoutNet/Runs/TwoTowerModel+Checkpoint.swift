import Foundation
import NeuralNet
import Numerics

/// Saving a trained `TwoTowerModel` into a `Checkpoint` and rebuilding it from one.
///
/// Tensor names: `param/<parameter name>` for every parameter (weights, biases, embedding
/// tables and batch-norm running statistics), `optimizer/<parameter name>/<slot>` for the
/// optimizer's slots, and `wmf/user`, `wmf/item` for the standardised WMF factors when a side's
/// preference is `wmf` (so `eval` need not refit them), and `wmf_raw/user`, `wmf_raw/item` for
/// the raw factors when the run fitted them (the classic model's targets, the `wmf` baseline). Feature vocabularies are refitted from
/// the dataset and the stored split — the encoder is deterministic given both — and the tensor
/// shapes catch any mismatch. The split itself is stored as its serialized bytes (blob `split`).
extension TwoTowerModel {
    /// Writes every parameter (statistics included) as `param/<name>`.
    public func store(into checkpoint: inout Checkpoint) {
        for p in parameters {
            checkpoint.setTensor("param/" + p.name, shape: [p.value.rows, p.value.cols], values: TwoTowerModel.values(p.value))
        }
    }

    /// Overwrites every parameter with the checkpoint's `param/<name>` tensor.
    /// - Throws: `CheckpointError` when a tensor is missing or has another shape.
    public func restore(from checkpoint: Checkpoint, file: String) throws {
        for p in parameters {
            // A checkpoint from before `classic.residual` has no shortcut: without one it is the same model.
            if checkpoint.tensors["param/" + p.name] == nil,
               let residual = [user.residual, item.residual].first(where: { $0?.map === p }) ?? nil {
                residual.disable()
                continue
            }
            let t = try checkpoint.tensor("param/" + p.name, file: file)
            try TwoTowerModel.load(t, into: p.value, name: "param/" + p.name, file: file)
        }
    }

    static func values(_ m: Matrix) -> [Float] { Array(UnsafeBufferPointer(start: m.data, count: m.count)) }

    static func load(_ t: Checkpoint.Tensor, into m: Matrix, name: String, file: String) throws {
        guard t.shape == [m.rows, m.cols] else {
            throw CheckpointError(file: file, problem: .incompatible(
                "tensor '\(name)' is \(t.shape.map(String.init).joined(separator: "x")), the model built from these settings and data needs \(m.rows)x\(m.cols) (different data or features?)"))
        }
        t.values.withUnsafeBufferPointer { src in m.data.update(from: src.baseAddress!, count: m.count) }
    }
}

/// The checkpoint of a training run and the way back to a model (`train`, the TUI's `s` key,
/// `eval`, `recommend`).
public enum ModelCheckpoint {
    /// Builds a checkpoint of `trainer`'s model as it is now — mid-run the moving average of its
    /// weights that its evaluations rank with; call `restoreBest()` first for the best weights —
    /// with its optimizer state, settings, the split bytes and dataset identity.
    /// `step` is the step the weights are from (default: the trainer's current step).
    public static func make(trainer: Trainer, dataset: DatasetIdentity, run: RunID?, metrics: [String: Double],
                            step: Int? = nil) -> Checkpoint {
        let data = trainer.data
        var header = CheckpointHeader(settings: trainer.initialSettings, dataset: dataset, split: SplitIdentity(split: data.split),
                                      step: step ?? trainer.step, run: run, metrics: metrics)
        header.metadata["easyrec_schema"] = EasyRecSchema(dataset: data.dataset, trainInteractions: data.split.train.count).json
        header.metadata["optimizer_step"] = .number(Double(trainer.optimizer.stepCount))
        header.metadata["optimizer_slots"] = .array(trainer.optimizer.slotNames.map(JSONValue.string))
        header.metadata["best_step"] = trainer.best.map { .number(Double($0.step)) } ?? .null
        if let encoded = try? JSONEncoder().encode(data.encoderOptions),
           let options = try? JSONDecoder().decode(JSONValue.self, from: encoded) {
            header.metadata["encoder_options"] = options
        }
        var c = Checkpoint(header: header)
        // The weights the trainer ranks with: mid-run, their moving average (`weight_average`).
        trainer.withAveragedWeights { trainer.model.store(into: &c) }
        let s = trainer.initialSettings
        if s.userPreference == .wmf || s.itemPreference == .wmf {
            // Both sides' factors are stored whenever either side uses them; a `stats`/`id` side's
            // matrix is rebuilt from the data instead.
            for (side, tower) in [("user", trainer.model.user), ("item", trainer.model.item)] {
                if case .matrix(let m) = tower.preference.source {
                    c.setTensor("wmf/" + side, shape: [m.rows, m.cols], values: TwoTowerModel.values(m))
                }
            }
        }
        if let raw = trainer.rawWMFFactors {
            c.setTensor("wmf_raw/user", shape: [raw.users.rows, raw.users.cols], values: TwoTowerModel.values(raw.users))
            c.setTensor("wmf_raw/item", shape: [raw.items.rows, raw.items.cols], values: TwoTowerModel.values(raw.items))
        }
        for p in trainer.model.trainableParameters {
            guard let slots = trainer.optimizer.stateTensors(for: p) else { continue }
            for (slot, name) in zip(slots, trainer.optimizer.slotNames(for: p)) {
                c.setTensor("optimizer/\(p.name)/\(name)", shape: [slot.rows, slot.cols], values: TwoTowerModel.values(slot))
            }
        }
        c.setTensor(coldUserPriorTensor, shape: [1], values: [trainer.coldUserPrior.weight])
        if let map = trainer.coldUserPrior.map {
            c.setTensor(coldUserMapUsersTensor, shape: [map.users.rows, map.users.cols], values: TwoTowerModel.values(map.users))
            c.setTensor(coldUserMapItemsTensor, shape: [map.items.rows, map.items.cols], values: TwoTowerModel.values(map.items))
        }
        if trainer.warmPrior.width > 0 {
            c.setTensor(warmPriorTensor, shape: [1], values: [trainer.warmPrior.weight])
            // A teacher other than the run's own factors (stiffer, or refitted) is stored beside them.
            if trainer.warmPrior.hasOwnTeacher, let f = trainer.warmPrior.factors {
                c.setTensor(warmTeacherUsersTensor, shape: [f.users.rows, f.users.cols], values: TwoTowerModel.values(f.users))
                c.setTensor(warmTeacherItemsTensor, shape: [f.items.rows, f.items.cols], values: TwoTowerModel.values(f.items))
                c.setTensor(warmTeacherRidgeTensor, shape: [1], values: [trainer.warmPrior.teacherRidge])
                if trainer.warmPrior.refittedOnValidation { c.setTensor(warmTeacherRefitTensor, shape: [1], values: [1]) }
            }
        }
        // Both item-content priors may read the trainer's one ridge map; it is stored once. The
        // towers' content path is not stored: a reader rebuilds it from the weights.
        let coldItem = trainer.coldItemPrior, warmContent = trainer.warmContentPrior
        let warmMap = warmContent.width > 0 && warmContent.source == .ridgeMap ? warmContent.map : nil
        if coldItem.width > 0 { c.setTensor(coldItemPriorTensor, shape: [1], values: [coldItem.weight]) }
        if warmContent.width > 0 {
            c.setTensor(warmContentPriorTensor, shape: [1], values: [warmContent.weight])
            c.setTensor(warmContentSourceTensor, shape: [1], values: [Float(warmContent.source.rawValue)])
        }
        if let map = coldItem.width > 0 ? coldItem.map : warmMap {
            c.setTensor(coldItemMapUsersTensor, shape: [map.users.rows, map.users.cols], values: TwoTowerModel.values(map.users))
            c.setTensor(coldItemMapItemsTensor, shape: [map.items.rows, map.items.cols], values: TwoTowerModel.values(map.items))
        }
        c.setBlob("split", Data(data.split.serialized()))
        return c
    }

    static let coldUserPriorTensor = "scoring/cold_user_prior"
    static let coldUserMapUsersTensor = "scoring/cold_user_map/users"
    static let coldUserMapItemsTensor = "scoring/cold_user_map/items"
    static let coldItemPriorTensor = "scoring/cold_item_prior"
    static let warmContentPriorTensor = "scoring/warm_content_prior"
    static let warmContentSourceTensor = "scoring/warm_content_source"
    static let warmPriorTensor = "scoring/warm_prior"
    static let warmTeacherUsersTensor = "scoring/warm_teacher/users"
    static let warmTeacherItemsTensor = "scoring/warm_teacher/items"
    static let warmTeacherRidgeTensor = "scoring/warm_teacher/ridge"
    static let warmTeacherRefitTensor = "scoring/warm_teacher/refitted_on_validation"
    static let coldItemMapUsersTensor = "scoring/cold_item_map/users"
    static let coldItemMapItemsTensor = "scoring/cold_item_map/items"

    /// The cold-user prior the checkpoint's weights were tested with (none in checkpoints written
    /// before it existed; log-popularity in those written before `ContentPopularity`).
    public static func coldUserPrior(of c: Checkpoint) -> ColdUserPrior {
        let map = matrices(c, coldUserMapUsersTensor, coldUserMapItemsTensor).map { ContentPopularity(users: $0.0, items: $0.1) }
        return ColdUserPrior(weight: c.tensors[coldUserPriorTensor]?.values.first ?? 0, map: map)
    }

    /// The cold-item prior the checkpoint's weights were tested with (none in checkpoints
    /// written before it existed, or when it added nothing).
    public static func coldItemPrior(of c: Checkpoint) -> ColdItemPrior {
        itemContentPriors(of: c, model: nil).coldItem
    }

    /// The warm content prior the checkpoint's weights were tested with (none in checkpoints
    /// written before it existed, or when it added nothing). One on the towers' content path
    /// is rebuilt from `model`, the checkpoint's own (none without it).
    public static func warmContentPrior(of c: Checkpoint, model: TwoTowerModel?) -> WarmContentPrior {
        itemContentPriors(of: c, model: model).warmContent
    }

    /// Both priors over item content; the stored ridge map is one `ContentAffinity`, shared.
    private static func itemContentPriors(of c: Checkpoint, model: TwoTowerModel?) -> (coldItem: ColdItemPrior, warmContent: WarmContentPrior) {
        let map = matrices(c, coldItemMapUsersTensor, coldItemMapItemsTensor).map { ContentAffinity(users: $0.0, items: $0.1) }
        var cold = ColdItemPrior(), warm = WarmContentPrior()
        if let map, let weight = c.tensors[coldItemPriorTensor]?.values.first { cold = ColdItemPrior(weight: weight, map: map) }
        if let weight = c.tensors[warmContentPriorTensor]?.values.first,
           let source = WarmContentPrior.Source(rawValue: Int(c.tensors[warmContentSourceTensor]?.values.first ?? 0)) {
            switch source {
            case .ridgeMap:
                if let map { warm = WarmContentPrior(weight: weight, source: source, map: map) }
            case .towers:
                if let model { warm = WarmContentPrior(weight: weight, source: source, map: WarmContentPrior.towersContentPath(model)) }
            }
        }
        return (cold, warm)
    }

    /// The warm prior the checkpoint's weights were tested with (none before it existed, or
    /// without stored raw WMF factors); its own teacher when one was chosen, else the run's.
    public static func warmPrior(of c: Checkpoint) -> WarmPrior {
        guard let weight = c.tensors[warmPriorTensor]?.values.first else { return WarmPrior() }
        if let (users, items) = matrices(c, warmTeacherUsersTensor, warmTeacherItemsTensor) {
            return WarmPrior(weight: weight, factors: WMFFactors(users: users, items: items),
                             teacherRidge: c.tensors[warmTeacherRidgeTensor]?.values.first ?? 1,
                             refittedOnValidation: c.tensors[warmTeacherRefitTensor]?.values.first == 1)
        }
        guard let (users, items) = matrices(c, "wmf_raw/user", "wmf_raw/item") else { return WarmPrior() }
        return WarmPrior(weight: weight, factors: WMFFactors(users: users, items: items))
    }

    /// Every prior the checkpoint's weights were tested with.
    /// `model`: the checkpoint's own, from which a prior on the towers' content path is rebuilt.
    public static func priors(of c: Checkpoint, model: TwoTowerModel) -> ScoringPriors {
        let content = itemContentPriors(of: c, model: model)
        return ScoringPriors(coldUser: coldUserPrior(of: c), coldItem: content.coldItem, warm: warmPrior(of: c),
                             warmContent: content.warmContent)
    }

    /// Two stored matrices with as many columns each, or nil.
    private static func matrices(_ c: Checkpoint, _ a: String, _ b: String) -> (Matrix, Matrix)? {
        guard let u = c.tensors[a], let i = c.tensors[b], u.shape.count == 2, i.shape.count == 2, u.shape[1] == i.shape[1]
        else { return nil }
        return (Matrix(rows: u.shape[0], cols: u.shape[1], values: u.values), Matrix(rows: i.shape[0], cols: i.shape[1], values: i.values))
    }

    /// The split stored in the checkpoint.
    public static func split(of c: Checkpoint, file: String) throws -> Split {
        let bytes = try c.blob("split", file: file)
        do { return try Split(serialized: [UInt8](bytes), source: file) } catch {
            throw CheckpointError(file: file, problem: .malformed("the stored split cannot be read: \(error)"))
        }
    }

    /// The encoder options the run used. A checkpoint that did not record them (or recorded
    /// them before encoding schemes existed) was trained on `.hashedTags`, and gets it back.
    public static func encoderOptions(of c: Checkpoint) -> EncoderOptions {
        guard let v = c.header.metadata["encoder_options"], let d = try? JSONEncoder().encode(v),
              let o = try? JSONDecoder().decode(EncoderOptions.self, from: d) else { return .hashedTags }
        return o
    }

    /// The checkpoint's settings; a `CheckpointError` when this version cannot read them.
    public static func settings(of c: Checkpoint, file: String) throws -> Settings {
        do { return try c.header.settingsValue() } catch {
            throw CheckpointError(file: file, problem: .incompatible("its settings cannot be read by this version: \(error)"))
        }
    }

    /// Refuses data other than the data the checkpoint was trained on (fingerprint compare).
    public static func checkDataset(of c: Checkpoint, data: TrainingData, file: String) throws {
        let identity = DatasetIdentity(dataset: data.dataset, path: c.header.dataset.path)
        guard identity.fingerprint == c.header.dataset.fingerprint else {
            throw CheckpointError(file: file, problem: .incompatible(
                "trained on \(c.header.dataset.name) (\(c.header.dataset.users) users, \(c.header.dataset.items) items, fingerprint \(c.header.dataset.fingerprint)); the data given is \(identity.name) (\(identity.users) users, \(identity.items) items, fingerprint \(identity.fingerprint))"))
        }
    }

    /// The stored WMF factors (nil when neither side's preference is `wmf`).
    public static func wmf(of c: Checkpoint, settings: Settings, file: String) throws -> (users: Matrix, items: Matrix)? {
        guard settings.userPreference == .wmf || settings.itemPreference == .wmf else { return nil }
        func matrix(_ t: Checkpoint.Tensor) -> Matrix {
            t.shape.count == 2 ? Matrix(rows: t.shape[0], cols: t.shape[1], values: t.values) : Matrix(rows: 0, cols: 0)
        }
        func factors(_ side: String, needed: Bool) throws -> Matrix {
            guard needed else { return c.tensors["wmf/" + side].map(matrix) ?? Matrix(rows: 0, cols: 0) }
            let t = try c.tensor("wmf/" + side, file: file)
            guard t.shape.count == 2 else { throw CheckpointError(file: file, problem: .malformed("wmf/\(side) is not a matrix")) }
            return matrix(t)
        }
        return (try factors("user", needed: settings.userPreference == .wmf), try factors("item", needed: settings.itemPreference == .wmf))
    }

    /// The stored raw WMF factors (nil when the run did not fit them).
    public static func rawWMF(of c: Checkpoint, file: String) throws -> WMFFactors? {
        guard let u = c.tensors["wmf_raw/user"], let i = c.tensors["wmf_raw/item"] else { return nil }
        guard u.shape.count == 2, i.shape.count == 2, u.shape[1] == i.shape[1] else {
            throw CheckpointError(file: file, problem: .malformed("wmf_raw/user and wmf_raw/item are not matrices of one rank"))
        }
        return WMFFactors(users: Matrix(rows: u.shape[0], cols: u.shape[1], values: u.values),
                          items: Matrix(rows: i.shape[0], cols: i.shape[1], values: i.values))
    }

    /// Rebuilds the model for `data` (the checkpoint's dataset and split) and loads its weights.
    /// - Throws: `CheckpointError` when the data is not the one the checkpoint was trained on
    ///   or a tensor does not fit.
    public static func model(from c: Checkpoint, data: TrainingData, file: String, maxBatch: Int? = nil) throws -> TwoTowerModel {
        let settings = try settings(of: c, file: file)
        try checkDataset(of: c, data: data, file: file)
        let model: TwoTowerModel
        do {
            model = try TwoTowerModel(data: data, settings: settings, wmf: try wmf(of: c, settings: settings, file: file),
                                      maxBatch: maxBatch ?? settings.batchSize)
        } catch let e as ModelError {
            throw CheckpointError(file: file, problem: .incompatible("cannot rebuild the model: \(e)"))
        }
        try model.restore(from: c, file: file)
        return model
    }

    /// A trainer whose model holds the checkpoint's weights and optimizer state: `evaluateTest()`
    /// and `evaluateBaselines()` then give the numbers the run reported (same code, same Ks).
    public static func trainer(from c: Checkpoint, data: TrainingData, file: String) throws -> Trainer {
        let settings = try settings(of: c, file: file)
        try checkDataset(of: c, data: data, file: file)
        let t: Trainer
        do {
            t = try Trainer(data: data, settings: settings, wmf: try wmf(of: c, settings: settings, file: file),
                            rawWMF: try rawWMF(of: c, file: file))
        } catch let e as ModelError {
            throw CheckpointError(file: file, problem: .incompatible("cannot rebuild the model: \(e)"))
        }
        try t.model.restore(from: c, file: file)
        try restoreOptimizer(t.optimizer, model: t.model, from: c, file: file)
        t.coldUserPrior = coldUserPrior(of: c)
        if let map = t.coldUserPrior.map { t.coldUserMap = map }
        let content = itemContentPriors(of: c, model: t.model)
        t.coldItemPrior = content.coldItem
        t.warmContentPrior = content.warmContent
        if let map = content.coldItem.map ?? (content.warmContent.source == .ridgeMap ? content.warmContent.map : nil) { t.coldItemMap = map }
        t.warmPrior = warmPrior(of: c)
        return t
    }

    /// Puts the checkpoint's optimizer state (slots and step count) into `optimizer` for `model`
    /// (resuming training).
    public static func restoreOptimizer(_ optimizer: Optimizer, model: TwoTowerModel, from c: Checkpoint, file: String) throws {
        for p in model.trainableParameters {
            let names = optimizer.slotNames(for: p).map { "optimizer/\(p.name)/\($0)" }
            guard names.allSatisfy({ c.tensors[$0] != nil }) else { continue }
            let slots = try names.map { name -> Matrix in
                let t = try c.tensor(name, file: file)
                let m = Matrix(rows: p.value.rows, cols: p.value.cols)
                try TwoTowerModel.load(t, into: m, name: name, file: file)
                return m
            }
            do { try optimizer.restoreState(slots, for: p) } catch {
                throw CheckpointError(file: file, problem: .incompatible("\(error)"))
            }
        }
        if case .number(let n)? = c.header.metadata["optimizer_step"] { optimizer.stepCount = Int(n) }
    }
}

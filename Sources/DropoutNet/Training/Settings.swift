import Foundation

/// Every setting of a run, with the defaults of DESIGN §4.2.
///
/// One flat value type: the CLI's `--set key=value`, the config TOML, the TUI's knobs, the run
/// store and the EasyRec export all speak these keys (DESIGN §10), so a run is described by
/// exactly one `Settings`. Keys that may change while training runs are the `LiveSettings`
/// subset (see `Settings.liveKeys`).
public struct Settings: Equatable, Codable, Sendable {
    public enum ModelKind: String, Codable, Sendable, CaseIterable { case easyrec, classic }
    public enum ShiftMode: String, Codable, Sendable, CaseIterable { case stride, random }
    public enum LossKind: String, Codable, Sendable, CaseIterable {
        case svsoftmax, softmax, pairwise, hard_pairwise, sigmoid, mse
    }
    public enum Optimizer: String, Codable, Sendable, CaseIterable { case adam, adamw, sgd }
    public enum Activation: String, Codable, Sendable, CaseIterable { case relu, tanh }
    public enum PreferenceKind: String, Codable, Sendable, CaseIterable { case wmf, id, stats }

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
    public var gradClip: Double = 0
    public var batchSize: Int = 512
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
    public var k: [Int] = [10, 20, 50, 100]
    public var epochs: Int = 10
    public var seed: UInt64 = 42
    // Classic DropoutNet (DESIGN §4.3).
    public var classicTopK: Int = 20
    public var classicTransform: Bool = false
    /// 64 for the EasyRec preference input (better than 200 on ml-latest-small, and faster);
    /// the classic model keeps the reference 200 (`classicDefaults`).
    public var wmfRank: Int = 64
    public var wmfReg: Double = 1
    public var wmfAlpha: Double = 10
    public var wmfIterations: Int = 10
    /// `content.svd`: each side's sparse content projected to this many z-scored SVD
    /// directions (`EncoderOptions.svd`); 0 keeps it sparse.
    public var contentSVD: Int = 0

    public init() {}

    /// The defaults a run of `model` starts from, before any config key or `--set`.
    public static func defaults(for model: ModelKind) -> Settings {
        model == .classic ? classicDefaults : Settings()
    }

    /// Defaults of the classic model (DESIGN §4.3): tanh MLP with a linear 200 output, p = 0.5,
    /// SGD with momentum and a ×0.1 step decay, WMF rank 200 (the reference's). Sized for a run
    /// of a minute or two on ml-latest-small, where the reference's sizes do not fit:
    /// - one hidden layer of 400, not [800, 400]: that costs ~4× per step (5k vs 19k samples/s);
    /// - top_k 200 of ~8.7k warm items (the reference takes 2,500 of 17k on CiteULike). The top
    ///   of a user's WMF ranking is mostly its own training positives, which warm evaluation
    ///   masks; a deeper top teaches the order of the unseen items (warm recall@20 0.125 with
    ///   top_k 100, 0.136 with 200, same steps);
    /// - lr 0.02: the reference's 0.005 suits its much larger epochs; here it reaches the same
    ///   warm recall but cold-item recall@20 0.16 instead of 0.28; decayed ×0.1 after 1,200 of
    ///   the 8 × 206 steps (`lr_decay_every` counts steps: scale it with the data).
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
        s.lrDecayEvery = 1200
        s.activation = .tanh
        s.userTower = [400, 200]
        s.itemTower = [400, 200]
        s.contentDNN = []
        s.preferenceDNN = []
        s.userPreference = .wmf
        s.itemPreference = .wmf
        s.wmfRank = 200
        s.embeddingDim = 200
        s.batchSize = 1000
        s.epochs = 8
        s.classicTopK = 200
        s.dropoutScaling = false   // the reference zeroes dropped rows and leaves kept ones as they are
        return s
    }
}

/// A bad `--set`, config key or value: names the key and what was expected.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let message: String
    public var description: String { "setting '\(key)': \(message)" }
    public init(key: String, message: String) { self.key = key; self.message = message }
}

extension Settings {
    /// Every key `--set` and the config file accept, in display order.
    public static let keys: [String] = [
        "model", "user_dropout", "item_dropout", "dropout_scaling", "negatives.n", "negatives.m",
        "negatives.shifts", "negatives.mask_false", "negatives.logq", "loss", "loss_weights", "gamma",
        "margin", "t", "l2", "lr", "optimizer", "momentum", "lr_decay", "lr_decay_every", "grad_clip",
        "batch_size", "embedding_dim", "user_tower", "item_tower", "content_dnn", "preference_dnn",
        "activation", "batch_norm", "preference", "user_preference", "item_preference", "preference_dim",
        "eval_every", "k", "epochs", "seed", "classic.top_k", "classic.transform", "wmf.rank", "wmf.reg",
        "wmf.alpha", "wmf.iterations", "content.svd",
    ]

    /// Keys that the trainer re-reads at every step (the TUI's knobs).
    public static let liveKeys: Set<String> = [
        "user_dropout", "item_dropout", "negatives.n", "negatives.m", "negatives.shifts",
        "negatives.mask_false", "negatives.logq", "loss", "loss_weights", "gamma", "margin", "t", "lr", "l2",
    ]

    /// Applies `key=value` (a `--set` argument).
    public mutating func apply(assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw SettingsError(key: assignment, message: "expected KEY=VALUE")
        }
        let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        try set(key, value)
    }

    /// Sets one key from its text form (lists are comma-separated, brackets optional).
    public mutating func set(_ key: String, _ raw: String) throws {
        func double(_ lo: Double = -.infinity, _ hi: Double = .infinity) throws -> Double {
            guard let v = Double(raw), v.isFinite else { throw SettingsError(key: key, message: "expected a number, got '\(raw)'") }
            guard v >= lo && v <= hi else { throw SettingsError(key: key, message: "expected a value in \(lo)...\(hi), got \(raw)") }
            return v
        }
        func int(_ lo: Int = Int.min, _ hi: Int = Int.max) throws -> Int {
            guard let v = Int(raw) else { throw SettingsError(key: key, message: "expected an integer, got '\(raw)'") }
            guard v >= lo && v <= hi else { throw SettingsError(key: key, message: "expected an integer in \(lo)...\(hi), got \(raw)") }
            return v
        }
        func bool() throws -> Bool {
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw SettingsError(key: key, message: "expected true or false, got '\(raw)'")
            }
        }
        func list() -> [String] {
            raw.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")) }.filter { !$0.isEmpty }
        }
        func ints(allowEmpty: Bool = true) throws -> [Int] {
            let parts = list()
            if parts.isEmpty && !allowEmpty { throw SettingsError(key: key, message: "expected a list of positive integers") }
            return try parts.map {
                guard let v = Int($0), v > 0 else { throw SettingsError(key: key, message: "expected positive integers, got '\($0)'") }
                return v
            }
        }
        func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ text: String? = nil) throws -> E where E.RawValue == String {
            let t = (text ?? raw).lowercased()
            guard let v = E(rawValue: t) else {
                throw SettingsError(key: key, message: "expected one of \(E.allCases.map { $0.rawValue }.joined(separator: ", ")), got '\(t)'")
            }
            return v
        }
        switch key {
        case "model": model = try choice(ModelKind.self)
        case "user_dropout": userDropout = try double(0, 1)
        case "item_dropout": itemDropout = try double(0, 1)
        case "dropout_scaling": dropoutScaling = try bool()
        case "negatives.n": negativesN = try int(1, 1 << 20)
        case "negatives.m": negativesM = try int(0, 1 << 16)
        case "negatives.shifts": negativesShifts = try choice(ShiftMode.self)
        case "negatives.mask_false": negativesMaskFalse = try bool()
        case "negatives.logq": negativesLogQ = try bool()
        case "loss":
            let kinds = try list().map { try choice(LossKind.self, $0) }
            guard !kinds.isEmpty else { throw SettingsError(key: key, message: "expected at least one loss") }
            loss = kinds
            if lossWeights.count != kinds.count { lossWeights = Array(repeating: 1, count: kinds.count) }
        case "loss_weights":
            let ws = try list().map { (s: String) -> Double in
                guard let v = Double(s), v.isFinite, v >= 0 else { throw SettingsError(key: key, message: "expected non-negative numbers, got '\(s)'") }
                return v
            }
            lossWeights = ws
        case "gamma": gamma = try double(1e-6, 1e6)
        case "margin": margin = try double(-2, 2)
        case "t": t = try double(1, 100)
        case "l2": l2 = try double(0, 1e3)
        case "lr": lr = try double(1e-9, 10)
        case "optimizer": optimizer = try choice(Optimizer.self)
        case "momentum": momentum = try double(0, 0.9999)
        case "lr_decay": lrDecay = try double(1e-6, 1)
        case "lr_decay_every": lrDecayEvery = try int(0)
        case "grad_clip": gradClip = try double(0)
        case "batch_size": batchSize = try int(2, 1 << 20)
        case "embedding_dim": embeddingDim = try int(1, 1 << 16)
        case "user_tower": userTower = try ints(allowEmpty: false)
        case "item_tower": itemTower = try ints(allowEmpty: false)
        case "content_dnn": contentDNN = try ints()
        case "preference_dnn": preferenceDNN = try ints()
        case "activation": activation = try choice(Activation.self)
        case "batch_norm": batchNorm = try bool()
        case "preference":
            let parts = list()
            guard parts.count == 1 || parts.count == 2 else { throw SettingsError(key: key, message: "expected KIND or USER_KIND,ITEM_KIND") }
            userPreference = try choice(PreferenceKind.self, parts[0])
            itemPreference = try choice(PreferenceKind.self, parts.count == 2 ? parts[1] : parts[0])
        case "user_preference": userPreference = try choice(PreferenceKind.self)
        case "item_preference": itemPreference = try choice(PreferenceKind.self)
        case "preference_dim": preferenceDim = try int(1, 4096)
        case "eval_every": evalEvery = try int(0)
        case "k":
            let ks = try ints(allowEmpty: false)
            k = ks
        case "epochs": epochs = try int(1, 1_000_000)
        case "seed": seed = UInt64(try int(0))
        case "classic.top_k": classicTopK = try int(1)
        case "classic.transform": classicTransform = try bool()
        case "wmf.rank": wmfRank = try int(1, 4096)
        case "wmf.reg": wmfReg = try double(0)
        case "wmf.alpha": wmfAlpha = try double(0)
        case "wmf.iterations": wmfIterations = try int(1, 1000)
        case "content.svd": contentSVD = try int(0, 4096)
        default:
            throw SettingsError(key: key, message: "unknown setting; known: \(Settings.keys.joined(separator: ", "))")
        }
    }

    /// The text form of one key (the inverse of `set`), for tables, the run store and `--json`.
    public func value(of key: String) -> String {
        func fmt(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
        func ints(_ v: [Int]) -> String { "[" + v.map(String.init).joined(separator: ",") + "]" }
        switch key {
        case "model": return model.rawValue
        case "user_dropout": return fmt(userDropout)
        case "item_dropout": return fmt(itemDropout)
        case "dropout_scaling": return String(dropoutScaling)
        case "negatives.n": return String(negativesN)
        case "negatives.m": return String(negativesM)
        case "negatives.shifts": return negativesShifts.rawValue
        case "negatives.mask_false": return String(negativesMaskFalse)
        case "negatives.logq": return String(negativesLogQ)
        case "loss": return "[" + loss.map(\.rawValue).joined(separator: ",") + "]"
        case "loss_weights": return "[" + lossWeights.map(fmt).joined(separator: ",") + "]"
        case "gamma": return fmt(gamma)
        case "margin": return fmt(margin)
        case "t": return fmt(t)
        case "l2": return fmt(l2)
        case "lr": return String(lr)
        case "optimizer": return optimizer.rawValue
        case "momentum": return fmt(momentum)
        case "lr_decay": return fmt(lrDecay)
        case "lr_decay_every": return String(lrDecayEvery)
        case "grad_clip": return fmt(gradClip)
        case "batch_size": return String(batchSize)
        case "embedding_dim": return String(embeddingDim)
        case "user_tower": return ints(userTower)
        case "item_tower": return ints(itemTower)
        case "content_dnn": return ints(contentDNN)
        case "preference_dnn": return ints(preferenceDNN)
        case "activation": return activation.rawValue
        case "batch_norm": return String(batchNorm)
        case "preference": return "\(userPreference.rawValue),\(itemPreference.rawValue)"
        case "user_preference": return userPreference.rawValue
        case "item_preference": return itemPreference.rawValue
        case "preference_dim": return String(preferenceDim)
        case "eval_every": return String(evalEvery)
        case "k": return ints(k)
        case "epochs": return String(epochs)
        case "seed": return String(seed)
        case "classic.top_k": return String(classicTopK)
        case "classic.transform": return String(classicTransform)
        case "wmf.rank": return String(wmfRank)
        case "wmf.reg": return fmt(wmfReg)
        case "wmf.alpha": return fmt(wmfAlpha)
        case "wmf.iterations": return String(wmfIterations)
        case "content.svd": return String(contentSVD)
        default: return ""
        }
    }

    /// All keys with their text values (the run store's and `--json`'s "settings").
    public var keyValues: [(String, String)] { Settings.keys.map { ($0, value(of: $0)) } }

    /// Checks combinations a single key cannot: loss weights per loss, in-batch shifts vs batch size.
    public func validate() throws {
        if lossWeights.count != loss.count {
            throw SettingsError(key: "loss_weights", message: "expected \(loss.count) weights (one per loss), got \(lossWeights.count)")
        }
        if model == .classic, let other = loss.first(where: { $0 != .mse }) {
            throw SettingsError(key: "loss", message: "model=classic regresses the towers' dot product onto WMF scores: its loss is mse, got \(other.rawValue)")
        }
        if model == .easyrec, loss.contains(where: { $0 == .svsoftmax || $0 == .softmax }) {
            try InBatchShiftCheck.validate(n: negativesN, m: negativesM, batch: batchSize, mode: negativesShifts)
        }
    }
}

/// The rule of DESIGN §4.4: with stride shifts s_k = k·N mod B, no s_k may be 0 (a row would be
/// its own negative) — lives here so the settings parser, the picker and the trainer agree.
public enum InBatchShiftCheck {
    public static func validate(n: Int, m: Int, batch: Int, mode: Settings.ShiftMode) throws {
        if m == 0 { return }
        if batch < 2 { throw SettingsError(key: "batch_size", message: "in-batch negatives need a batch of at least 2") }
        if mode == .random {
            if m > batch - 1 { throw SettingsError(key: "negatives.m", message: "M = \(m) random shifts need M ≤ batch_size − 1 = \(batch - 1)") }
            return
        }
        for k in 1...m where (k * n) % batch == 0 {
            throw SettingsError(key: "negatives.m",
                                message: "N = \(n), M = \(m) with batch_size \(batch): shift \(k)·\(n) = \(k * n) is a multiple of the batch, so row i would be its own negative; choose M < \(firstZeroShift(n: n, batch: batch))")
        }
    }

    /// The smallest k ≥ 1 with k·N ≡ 0 (mod B): M must stay below it.
    public static func firstZeroShift(n: Int, batch: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        return batch / gcd(n % batch == 0 ? batch : n % batch, batch)
    }
}

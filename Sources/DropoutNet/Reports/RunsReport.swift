import Foundation

/// `runs list | show | compare --json`: the run store's records as JSON. Missing and non-finite
/// numbers are null (a NaN loss, a run that trained no timed step).
public enum RunsReport {
    /// One run: what `runs list` prints per run and the head of `runs show`.
    public struct Summary: Codable, Equatable, Sendable {
        public struct Throughput: Codable, Equatable, Sendable {
            public var steps: Int
            public var trainSeconds: Double?
            /// Rounded; null when no step was timed (no rate, not 0 samples/s).
            public var samplesPerSecond: Double?
            public var wallSeconds: Double?
            enum CodingKeys: String, CodingKey {
                case steps, trainSeconds = "train_seconds", samplesPerSecond = "samples_per_s", wallSeconds = "wall_seconds"
            }

            init(_ t: RunThroughput) {
                steps = t.steps
                trainSeconds = t.trainingSeconds
                samplesPerSecond = t.trainingSeconds > 0 && t.steps > 0 ? t.samplesPerSecond.rounded() : nil
                wallSeconds = t.wallSeconds
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(steps, forKey: .steps)
                try c.encodeNumber(trainSeconds, forKey: .trainSeconds)
                try c.encodeNumber(samplesPerSecond, forKey: .samplesPerSecond)
                try c.encodeNumber(wallSeconds, forKey: .wallSeconds)
            }
        }

        /// The evaluation the run is judged by, as split → "metric@K" → value.
        public struct Best: Codable, Equatable, Sendable {
            public var step: Int
            public var rule: String
            public var metrics: [String: [String: Double?]]

            init(_ b: BestEvaluation) {
                step = b.step
                rule = b.rule
                metrics = [:]
                for p in b.points { metrics[p.split, default: [:]][p.key] = .some(p.value.isFinite ? p.value : nil) }
            }
        }

        public var id: String
        public var created: String
        public var finished: String?
        public var status: String
        public var model: String
        public var codeVersion: String
        public var dataset: DatasetIdentity
        public var split: SplitIdentity
        public var lastStep: Int?
        public var lastLoss: Double?
        public var throughput: Throughput?
        public var best: Best?
        /// Keys changed live up to the best step (`SettingsInForce`); empty when none were.
        public var changedLive: [String]

        enum CodingKeys: String, CodingKey {
            case id, created, finished, status, model, codeVersion = "code_version", dataset, split
            case lastStep = "last_step", lastLoss = "last_loss", throughput, best, changedLive = "changed_live"
        }

        public init(_ r: RunRecord, best: BestEvaluation?, changedLive: [String] = []) {
            let time = ISO8601DateFormatter()
            id = r.id.rawValue
            created = time.string(from: r.created)
            finished = r.finished.map(time.string)
            status = r.status.rawValue
            model = r.model
            codeVersion = r.codeVersion
            dataset = r.dataset
            split = r.split
            lastStep = r.lastStep
            lastLoss = r.lastLoss
            throughput = r.throughput.map(Throughput.init)
            self.best = best.map(Best.init)
            self.changedLive = changedLive
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            created = try c.decode(String.self, forKey: .created)
            finished = try c.decodeIfPresent(String.self, forKey: .finished)
            status = try c.decode(String.self, forKey: .status)
            model = try c.decode(String.self, forKey: .model)
            codeVersion = try c.decode(String.self, forKey: .codeVersion)
            dataset = try c.decode(DatasetIdentity.self, forKey: .dataset)
            split = try c.decode(SplitIdentity.self, forKey: .split)
            lastStep = try c.decodeIfPresent(Int.self, forKey: .lastStep)
            lastLoss = try c.decodeIfPresent(Double.self, forKey: .lastLoss)
            throughput = try c.decodeIfPresent(Throughput.self, forKey: .throughput)
            best = try c.decodeIfPresent(Best.self, forKey: .best)
            changedLive = try c.decodeIfPresent([String].self, forKey: .changedLive) ?? []
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(created, forKey: .created)
            try c.encodeOrNull(finished, forKey: .finished)
            try c.encode(status, forKey: .status)
            try c.encode(model, forKey: .model)
            try c.encode(codeVersion, forKey: .codeVersion)
            try c.encode(dataset, forKey: .dataset)
            try c.encode(split, forKey: .split)
            try c.encodeOrNull(lastStep, forKey: .lastStep)
            try c.encodeNumber(lastLoss, forKey: .lastLoss)
            try c.encodeOrNull(throughput, forKey: .throughput)
            try c.encodeOrNull(best, forKey: .best)
            try c.encode(changedLive, forKey: .changedLive)
        }
    }

    /// `runs list --json`.
    public struct List: Codable, Equatable, Sendable {
        public var runs: [Summary]
        public init(runs: [Summary]) { self.runs = runs }
    }

    /// `runs show RUN --json`: the summary's keys and everything recorded about the run.
    public struct Detail: Codable, Equatable, Sendable {
        public struct Change: Codable, Equatable, Sendable { public var step: Int; public var key, old, new: String }
        public struct Loss: Codable, Equatable, Sendable {
            public var step: Int
            public var loss: Double?
            public var parts: [String: Double?]
            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(step, forKey: .step)
                try c.encodeNumber(loss, forKey: .loss)
                try c.encode(parts, forKey: .parts)
            }
        }
        /// One value of an evaluation or a baseline: `metric` is "recall@20".
        public struct Value: Codable, Equatable, Sendable {
            public var name: String?
            public var step: Int?
            public var split, metric: String
            public var value: Double?
            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encodeIfPresent(name, forKey: .name)
                try c.encodeIfPresent(step, forKey: .step)
                try c.encode(split, forKey: .split)
                try c.encode(metric, forKey: .metric)
                try c.encodeNumber(value, forKey: .value)
            }
        }
        public struct Checkpoint: Codable, Equatable, Sendable {
            public var step: Int
            public var path: String
            public var isBest: Bool
            public var metrics: [String: Double?]
            enum CodingKeys: String, CodingKey { case step, path, isBest = "is_best", metrics }
        }

        public var summary: Summary
        public var settings: JSONValue
        public var settingChanges: [Change]
        public var losses: [Loss]
        public var evals: [Value]
        public var checkpoints: [Checkpoint]
        public var baselines: [Value]

        enum CodingKeys: String, CodingKey {
            case settings, settingChanges = "setting_changes", losses, evals, checkpoints, baselines
        }

        public init(_ r: RunRecord, best: BestEvaluation?, changes: [SettingChange], losses: [LossPoint], evals: [EvalPoint],
                    checkpoints: [CheckpointRecord], baselines: [BaselinePoint]) {
            summary = Summary(r, best: best, changedLive: SettingsInForce(start: r.settingTexts, changes: changes, atStep: best?.step).changedLive)
            settings = r.settings
            settingChanges = changes.map { Change(step: $0.step, key: $0.key, old: $0.old, new: $0.new) }
            self.losses = losses.map { Loss(step: $0.step, loss: $0.loss, parts: $0.parts.mapValues(RunsReport.finite)) }
            self.evals = evals.map { Value(name: nil, step: $0.step, split: $0.split, metric: $0.key, value: $0.value) }
            self.checkpoints = checkpoints.map { Checkpoint(step: $0.step, path: $0.path, isBest: $0.isBest, metrics: $0.metrics.mapValues(RunsReport.finite)) }
            self.baselines = baselines.map { Value(name: $0.name, step: nil, split: $0.split, metric: $0.key, value: $0.value) }
        }

        public func encode(to encoder: Encoder) throws {
            try summary.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(settings, forKey: .settings)
            try c.encode(settingChanges, forKey: .settingChanges)
            try c.encode(losses, forKey: .losses)
            try c.encode(evals, forKey: .evals)
            try c.encode(checkpoints, forKey: .checkpoints)
            try c.encode(baselines, forKey: .baselines)
        }

        public init(from decoder: Decoder) throws {
            summary = try Summary(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            settings = try c.decode(JSONValue.self, forKey: .settings)
            settingChanges = try c.decode([Change].self, forKey: .settingChanges)
            losses = try c.decode([Loss].self, forKey: .losses)
            evals = try c.decode([Value].self, forKey: .evals)
            checkpoints = try c.decode([Checkpoint].self, forKey: .checkpoints)
            baselines = try c.decode([Value].self, forKey: .baselines)
        }
    }

    /// `runs compare A B … --json`: each run, the settings that differ (null where a run lacks
    /// the key), and each best metric per run (null where a run lacks it).
    public struct Comparison: Codable, Equatable, Sendable {
        public var runs: [Summary]
        public var differingSettings: [String: [String?]]
        public var bestMetrics: [String: [Double?]]
        enum CodingKeys: String, CodingKey { case runs, differingSettings = "differing_settings", bestMetrics = "best_metrics" }

        public init(runs: [Summary], differingSettings: [String: [String?]], bestMetrics: [String: [Double?]]) {
            self.runs = runs
            self.differingSettings = differingSettings
            self.bestMetrics = bestMetrics.mapValues { $0.map { $0.flatMap(RunsReport.finite) } }
        }
    }

    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
}

import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet bench batches`: what the batches of a dataset hold, for each way of batching —
/// the hard-negative pairs the `hard_pairwise` loss finds (its `LossBreakdown` term count), and
/// where the softmax's rolled negatives land: on the anchor's own user, or on a known positive of
/// it (a false negative). No model is trained; the counts depend only on the rows.
struct BenchBatches: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches",
        abstract: "Hard-negative pairs and rolled negatives per batch, shuffled vs grouped batching.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Settings file (TOML) applied before any --set.") var config: String?
    @Option(name: .customLong("set"), parsing: .singleValue, help: "KEY=VALUE (batch_size, negatives.n, negatives.m, negatives.shifts, seed matter).")
    var assignments: [String] = []
    /// Also the sampler's allocation probe: under a heap profiler, two epoch counts must show the
    /// same allocations (extra steps and epoch changes allocate nothing).
    @Option(help: "Epochs to sample.") var epochs = 1
    @Option(name: .customLong("group-caps"), parsing: .upToNextOption, help: "Rows per user group of grouped batching (several: one row each).")
    var groupCaps: [Int] = [BatchSampler.defaultGroupCap]
    @Flag(help: "Also show grouped batches without the within-batch shuffle.") var unmixed = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard groupCaps.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--group-caps must be at least 1") }
    }

    struct Figures {
        var batches = 0
        var hardPairs: [Int] = []
        var users = 0, positives = 0
        var rolled = 0, sameUser = 0, knownPositive = 0
    }

    func run() throws {
        let settings = try SettingsFile.resolve(config: config.map { URL(fileURLWithPath: $0) }, assignments: assignments)
        try settings.validate()
        let data = try dataOptions.prepare(encoderOptions: settings.encoderOptions)
        print(String(format: "%@: %d training rows (%d positive), batch %d, M = %d (%@%@), %d epoch(s)",
                     data.dataset.name, data.trainUsers.count, data.positiveUsers.count, settings.batchSize, settings.negativesM,
                     settings.negativesShifts.rawValue, settings.negativesShifts == .stride ? ", N = \(settings.negativesN)" : "", epochs))
        print("batching            users/batch  pos/batch  hard pairs/batch: mean   p10   p50   p90  zero  rolled: own user  known positive")
        var modes: [(String, Settings.Batching, Int, Bool)] = [("shuffled", .shuffled, 1, true)]
        for cap in groupCaps {
            modes.append(("grouped cap \(cap)", .grouped, cap, true))
            if unmixed { modes.append(("  unmixed", .grouped, cap, false)) }
        }
        for (name, batching, cap, mixed) in modes {
            let f = try measure(data: data, settings: settings, batching: batching, cap: cap, mixed: mixed)
            let pairs = f.hardPairs.sorted()
            func pct(_ q: Double) -> Int { pairs[min(pairs.count - 1, Int(q * Double(pairs.count)))] }
            let mean = Double(pairs.reduce(0, +)) / Double(pairs.count)
            let zero = Double(pairs.filter { $0 == 0 }.count) / Double(pairs.count)
            let perBatch = (users: Double(f.users) / Double(f.batches), positives: Double(f.positives) / Double(f.batches))
            let rolled = Double(max(f.rolled, 1))
            let ownUser = 100 * Double(f.sameUser) / rolled, known = 100 * Double(f.knownPositive) / rolled
            let figures = String(format: "%11.1f %10.1f %22.1f %5d %5d %5d %4.0f%% %15.1f%% %14.1f%%",
                                 perBatch.users, perBatch.positives, mean, pct(0.1), pct(0.5), pct(0.9), zero * 100, ownUser, known)
            print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + figures)
        }
    }

    private func measure(data: TrainingData, settings s: Settings, batching: Settings.Batching, cap: Int, mixed: Bool) throws -> Figures {
        let root = SplitMix64(seed: s.seed)
        let sampler = try BatchSampler(users: data.trainUsers, items: data.trainItems, labels: data.trainLabels,
                                       weights: data.trainWeights, batchSize: s.batchSize, batching: batching, groupCap: cap,
                                       rng: root.split(1))
        sampler.mixesGroupedBatch = mixed
        let b = s.batchSize
        // The hard pairs as the loss counts them (scores do not matter; one dimension suffices).
        let loss = TrainingLoss(maxBatchSize: b, maxNegatives: 0)
        let u = Matrix(rows: b, cols: 1), v = Matrix(rows: b, cols: 1), gu = Matrix(rows: b, cols: 1), gv = Matrix(rows: b, cols: 1)
        let negatives = InBatchNegatives(maxBatchSize: b, maxNegatives: max(s.negativesM, 1))
        var rng = root.split(3)
        var f = Figures()
        var seen = Set<Int32>()
        for _ in 0..<(epochs * sampler.stepsPerEpoch) {
            sampler.next()
            f.batches += 1
            f.hardPairs.append(try loss.compute(users: u, items: v, labels: sampler.labels, userIDs: sampler.userIDs,
                                                itemIDs: sampler.itemIDs, sampleWeights: sampler.sampleWeights,
                                                params: .hardPairsOnly, rng: &rng, gradUsers: gu, gradItems: gv).terms[.hard_pairwise])
            seen.removeAll(keepingCapacity: true)
            seen.formUnion(sampler.userIDs)
            f.users += seen.count
            f.positives += sampler.labels.filter { $0 > 0 }.count
            guard s.negativesM > 0 else { continue }
            try negatives.prepare(labels: sampler.labels, n: s.negativesN, m: s.negativesM, mode: s.negativesShifts, rng: &rng)
            for i in negatives.anchorRows.map(Int.init) {
                let user = sampler.userIDs[i]
                for k in 1...s.negativesM {
                    let j = negatives.negativeRow(of: i, k)
                    f.rolled += 1
                    if sampler.userIDs[j] == user { f.sameUser += 1 }
                    if data.trainPositives.contains(Int(user), sampler.itemIDs[j]) { f.knownPositive += 1 }
                }
            }
        }
        return f
    }
}

private extension LossParameters {
    static var hardPairsOnly: LossParameters {
        var p = LossParameters()
        p[weightOf: .hard_pairwise] = 1
        p.negativesM = 0
        return p
    }
}

import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `bench loss`: one loss step (forward and gradients) at the trainer's shape on random unit
/// rows: SV-softmax with M in-batch negatives scored by direct dot products and by the GEMM (the
/// figures behind `InBatchNegatives.gemmBatchFraction`), and the own-score losses.
///
/// `--probe-steps N` instead runs N steps of every loss at once (mask, logQ, random shifts) and
/// prints one line: run it under a heap profiler with two values of N to see that extra steps
/// allocate nothing.
struct BenchLoss: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Milliseconds per loss step, direct vs GEMM scoring of the in-batch negatives.")

    @Option(help: "Batch size B.") var batch = 1024
    @Option(help: "Embedding width D.") var dim = 128
    @Option(help: "SV-softmax negatives per anchor to time, comma-separated.") var negatives = "4,16,64,128,256,1023"
    @Option(help: "Timed repetitions per figure (the fastest is reported).") var repeats = 20
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Run this many steps of every loss at once and time nothing (an allocation probe).")
    var probeSteps: Int?
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        guard batch >= 2, dim >= 1, repeats >= 1 else { throw ValidationError("--batch must be at least 2, --dim and --repeats positive") }
        guard probeSteps != nil || mValues.allSatisfy({ ($0 ?? -1) >= 0 && ($0 ?? 0) < batch }) else {
            throw ValidationError("--negatives must be integers from 0 to batch - 1, got '\(negatives)'")
        }
        if let probeSteps, probeSteps < 0 { throw ValidationError("--probe-steps must be ≥ 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    private var mValues: [Int?] { negatives.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        do {
            if let threads { Parallel.threadCount = threads }
            let step = try RandomLossStep(batch: batch, dim: dim, seed: 1)
            if let probeSteps {
                try step.probe(steps: probeSteps)
                print("bench loss: \(probeSteps) steps of every loss at once, B=\(batch) D=\(dim), \(Parallel.threadCount) threads")
                return
            }
            var rows: [(name: String, m: Int?, direct: Double?, gemm: Double?, automatic: Double?)] = []
            for m in mValues.map({ $0! }) {
                let s = try RandomLossStep.settings(["loss": "svsoftmax", "negatives.m": "\(m)", "negatives.shifts": "random"])
                rows.append(("svsoftmax", m, try step.milliseconds(s, .direct, repeats: repeats),
                             try step.milliseconds(s, .gemm, repeats: repeats), nil))
            }
            for kind in ["pairwise", "hard_pairwise", "sigmoid"] {
                let s = try RandomLossStep.settings(["loss": kind, "negatives.m": "0"])
                rows.append((kind, nil, nil, nil, try step.milliseconds(s, .automatic, repeats: repeats)))
            }
            if json {
                let figures = rows.map { r in
                    BenchReport.Loss.Figure(loss: r.name, m: r.m, directMs: r.direct, gemmMs: r.gemm, ms: r.automatic)
                }
                print(try JSONOutput.text(BenchReport.Loss(batch: batch, dim: dim, threads: Parallel.threadCount,
                                                            backend: GEMM.backend.name, figures: figures)))
            } else {
                print("bench loss: B=\(batch) D=\(dim), fastest of \(repeats), \(Parallel.threadCount) threads, \(GEMM.backend.name) GEMM")
                for r in rows {
                    if let m = r.m, let direct = r.direct, let gemm = r.gemm {
                        print(String(format: "  svsoftmax M=%4d: direct %.3f ms, gemm %.3f ms", m, direct, gemm))
                    } else if let ms = r.automatic {
                        print(String(format: "  %@: %.3f ms", r.name, ms))
                    }
                }
            }
        }
    }
}

/// A fixed random batch of unit rows with repeating user and item ids, and the buffers one loss
/// step writes.
private struct RandomLossStep {
    let users, items, gradUsers, gradItems: Matrix
    let labels: [Float]
    let userIDs, itemIDs: [Int32]
    let prior: ItemSamplingPrior
    let positives: SortedUserPositives
    static let userCount = 300, itemCount = 2000

    init(batch b: Int, dim d: Int, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        func unitRows() -> Matrix {
            let m = Matrix(rows: b, cols: d)
            for r in 0..<b {
                let row = m.row(r)
                for c in 0..<d { row[c] = rng.nextGaussian() }
                Kernels.scale(row, count: d, by: 1 / max(Kernels.sumOfSquares(row, count: d).squareRoot(), 1e-12))
            }
            return m
        }
        users = unitRows()
        items = unitRows()
        gradUsers = Matrix(rows: b, cols: d)
        gradItems = Matrix(rows: b, cols: d)
        labels = (0..<b).map { _ in rng.nextDouble() < 0.5 ? 1 : 0 }
        userIDs = (0..<b).map { _ in Int32(rng.nextInt(below: Self.userCount)) }
        itemIDs = (0..<b).map { _ in Int32(rng.nextInt(below: Self.itemCount)) }
        prior = ItemSamplingPrior(positiveCounts: (0..<Self.itemCount).map { 1 + $0 % 50 })
        positives = SortedUserPositives(userCount: Self.userCount, users: userIDs, items: itemIDs,
                                        labels: labels.map { UInt8($0) }, interactions: (0..<Int32(b)).map { $0 })
    }

    static func settings(_ values: [String: String]) throws -> Settings {
        var s = Settings()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { try s.set(key, value) }
        return s
    }

    /// The fastest of `repeats` steps (after three untimed ones): on a shared machine the
    /// minimum is the step's own cost.
    func milliseconds(_ settings: Settings, _ strategy: InBatchNegatives.ScoringStrategy, repeats: Int) throws -> Double {
        let params = LossParameters(settings: settings)
        let loss = TrainingLoss(maxBatchSize: users.rows, maxNegatives: max(params.negativesM, 1), samplingPrior: prior)
        loss.negatives.strategy = strategy
        var rng = SplitMix64(seed: 7)
        var best = Double.infinity
        for i in 0..<(3 + repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try compute(loss, params, &rng)
            if i >= 3 { best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        return best
    }

    /// `steps` steps of every loss kind at once, with the false-negative mask, logQ and sample weights.
    func probe(steps: Int) throws {
        let s = try RandomLossStep.settings(["loss": "svsoftmax,softmax,pairwise,hard_pairwise,sigmoid,mse",
                                             "negatives.shifts": "random", "negatives.mask_false": "true"])
        let params = LossParameters(settings: s)
        let loss = TrainingLoss(maxBatchSize: users.rows, maxNegatives: params.negativesM, samplingPrior: prior, positives: positives)
        var rng = SplitMix64(seed: 3)
        // Uneven sample weights with one row weighing 0, so the weighted paths are probed too.
        var weights = (0..<users.rows).map { _ in Float(0.25 + 1.5 * rng.nextDouble()) }
        weights[weights.count / 2] = 0
        for _ in 0..<steps { try compute(loss, params, &rng, weights: weights) }
    }

    private func compute(_ loss: TrainingLoss, _ params: LossParameters, _ rng: inout SplitMix64,
                         weights: [Float]? = nil) throws {
        try labels.withUnsafeBufferPointer { l in
            try userIDs.withUnsafeBufferPointer { u in
                try itemIDs.withUnsafeBufferPointer { i in
                    if let weights {
                        try weights.withUnsafeBufferPointer { w in
                            _ = try loss.compute(users: users, items: items, labels: l, userIDs: u, itemIDs: i, sampleWeights: w,
                                                 params: params, rng: &rng, gradUsers: gradUsers, gradItems: gradItems)
                        }
                    } else {
                        _ = try loss.compute(users: users, items: items, labels: l, userIDs: u, itemIDs: i,
                                             params: params, rng: &rng, gradUsers: gradUsers, gradItems: gradItems)
                    }
                }
            }
        }
    }
}

import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet bench train`: steady-state training throughput of a fixed model on synthetic
/// data, and how close its matrix products come to the GEMM backend's own rate.
///
/// The model: per side a 64-dim preference vector and a 128-dim dense content vector,
/// concatenated (no content or preference sub-network) into a [256, 128] tower, L2-normalised;
/// batch 1024, SV-softmax with M = 4 stride negatives, Adam. The GEMM ceiling is measured in the
/// same process on the step's own GEMM shapes (forward, kernel gradients, the one input
/// gradient), so "gflops / gemm_gflops" is the fraction of the backend's rate the step reaches.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training samples/s and achieved GFLOP/s of a fixed model on synthetic data.")

    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Option(help: "Timed steps (after warm-up).") var steps = 200
    @Option(help: "Warm-up steps (not timed).") var warmup = 20
    @Option(help: "Batch size.") var batch = 1024
    @Option(help: "Threads (default: all cores, or DROPOUTNET_THREADS).") var threads: Int?
    @Flag(help: "Also time the step's phases (sampling, each tower's forward and backward, loss, optimizer).")
    var profile = false

    static let preferenceDim = 64, contentDim = 128, tower = [256, 128]

    func validate() throws {
        guard steps > 0, warmup >= 0 else { throw ValidationError("--steps must be positive, --warmup non-negative") }
        guard batch >= 8 else { throw ValidationError("--batch must be at least 8") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        let (data, wmf) = Self.syntheticData(users: 20_000, items: 10_000, interactions: max(200_000, batch * 8))
        var s = Settings()
        s.batchSize = batch
        s.contentDNN = []
        s.preferenceDNN = []
        s.userTower = Self.tower
        s.itemTower = Self.tower
        s.embeddingDim = Self.tower.last!
        s.userPreference = .wmf
        s.itemPreference = .wmf
        s.negativesM = 4
        s.evalEvery = 0
        s.epochs = 1_000
        let trainer = try Trainer(data: data, settings: s, wmf: wmf)
        for _ in 0..<warmup { try trainer.trainStep() }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { try trainer.trainStep() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let samplesPerSecond = Double(steps * batch) / seconds
        let flopsPerStep = Self.stepShapes(batch: batch).reduce(0.0) { $0 + $1.flops }
        let achieved = flopsPerStep * Double(steps) / seconds / 1e9
        let ceiling = Self.gemmRate(batch: batch)
        let phases = profile ? BenchTrainProfile.measure(trainer: trainer, settings: s, steps: steps) : nil
        if json {
            let phasesMs = phases.map { list in
                Dictionary(list.map { ($0.name.trimmingCharacters(in: .whitespaces), $0.milliseconds) }, uniquingKeysWith: { _, last in last })
            }
            print(try JSONOutput.text(BenchReport.Train(model: "easyrec", backend: GEMM.backend.name, threads: Parallel.threadCount,
                                                        batch: batch, samplesPerSecond: samplesPerSecond, gflops: achieved,
                                                        gemmGflops: ceiling, phases: phasesMs)))
        } else {
            print(String(format: "easyrec towers %@ on %d-dim preference + %d-dim content, batch %d, M=4, %@ GEMM, %d threads",
                         "\(Self.tower)", Self.preferenceDim, Self.contentDim, batch, GEMM.backend.name, Parallel.threadCount))
            print(String(format: "%.0f samples/s (%.2f ms/step), %.1f GFLOP/s in matrix products = %.0f%% of the GEMM rate %.1f GFLOP/s on the same shapes",
                         samplesPerSecond, seconds / Double(steps) * 1000, achieved, achieved / ceiling * 100, ceiling))
            if let phases {
                let total = phases.filter { !$0.name.hasPrefix(" ") }.reduce(0) { $0 + $1.milliseconds }
                print("phases (ms/step, each timed on its own; indented: both towers' layers, % of the phases' sum):")
                for p in phases {
                    let label = p.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    print("  " + label + String(format: "%7.3f  %4.1f%%", p.milliseconds, p.milliseconds / total * 100))
                }
            }
        }
    }

    struct Shape { let transA, transB: Bool; let m, n, k: Int; var flops: Double { 2 * Double(m * n * k) } }

    /// The GEMMs of one step: per side, forward of both layers, both kernel gradients and the
    /// second layer's input gradient (the first layer's input is data: no gradient).
    static func stepShapes(batch b: Int) -> [Shape] {
        let input = preferenceDim + contentDim, h = tower[0], out = tower[1]
        let side = [
            Shape(transA: false, transB: false, m: b, n: h, k: input),
            Shape(transA: false, transB: false, m: b, n: out, k: h),
            Shape(transA: true, transB: false, m: h, n: out, k: b),
            Shape(transA: false, transB: true, m: b, n: h, k: out),
            Shape(transA: true, transB: false, m: input, n: h, k: b),
        ]
        return side + side
    }

    /// GFLOP/s of the backend over one step's worth of GEMMs (best of several rounds).
    static func gemmRate(batch: Int) -> Double {
        let shapes = stepShapes(batch: batch).prefix(5)
        var rng = SplitMix64(seed: 9)
        let operands = shapes.map { s -> (Matrix, Matrix, Matrix) in
            let a = s.transA ? Matrix(rows: s.k, cols: s.m) : Matrix(rows: s.m, cols: s.k)
            let bm = s.transB ? Matrix(rows: s.n, cols: s.k) : Matrix(rows: s.k, cols: s.n)
            for i in 0..<a.count { a.data[i] = rng.nextFloat() - 0.5 }
            for i in 0..<bm.count { bm.data[i] = rng.nextFloat() - 0.5 }
            return (a, bm, Matrix(rows: s.m, cols: s.n))
        }
        let flops = shapes.reduce(0.0) { $0 + $1.flops }
        var best = Double.infinity
        for round in 0..<30 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for (s, (a, bm, c)) in zip(shapes, operands) {
                Matrix.gemm(a, transposeA: s.transA, bm, transposeB: s.transB, into: c)
            }
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            if round >= 3 { best = min(best, dt) }
        }
        return flops / best / 1e9
    }

    /// Random users and items with a 128-dim dense content vector each, all-positive
    /// interactions, and random 64-dim preference vectors (as WMF factors).
    static func syntheticData(users: Int, items: Int, interactions: Int) -> (TrainingData, (users: Matrix, items: Matrix)) {
        var rng = SplitMix64(seed: 1)
        // Thousandths written as "123e-3": as exact as "%.3f" and far cheaper to format (the
        // bench's start-up, and a run under valgrind, would otherwise be mostly this).
        func vectors(_ n: Int) -> [String] {
            (0..<n).map { _ in
                (0..<contentDim).map { _ in String(Int(((rng.nextFloat() - 0.5) * 1000).rounded())) + "e-3" }.joined(separator: " ")
            }
        }
        let uc = SideContent(columns: [.init(name: "v", kind: .vector, values: vectors(users))], count: users)
        let ic = SideContent(columns: [.init(name: "v", kind: .vector, values: vectors(items))], count: items)
        var us: [Int32] = [], its: [Int32] = []
        for _ in 0..<interactions { us.append(Int32(rng.nextInt(below: users))); its.append(Int32(rng.nextInt(below: items))) }
        let d = Dataset(name: "bench", userIDs: (0..<users).map { "u\($0)" }, itemIDs: (0..<items).map { "i\($0)" },
                        users: us, items: its, labels: [UInt8](repeating: 1, count: interactions), userContent: uc, itemContent: ic)
        let split = Split(train: (0..<Int32(interactions)).map { $0 }, validation: [], warmTest: [], coldUserTest: [], coldItemTest: [],
                          coldUsers: [], coldItems: [], coldItemCandidates: [], origin: "bench")
        let data = try! TrainingData.prepare(dataset: d, split: split)
        func prefs(_ n: Int) -> Matrix {
            let m = Matrix(rows: n, cols: preferenceDim)
            for i in 0..<m.count { m.data[i] = rng.nextGaussian() }
            return m
        }
        return (data, (prefs(users), prefs(items)))
    }
}

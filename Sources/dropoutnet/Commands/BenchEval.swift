import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `bench eval`: users per second for full-catalogue top-K on random embeddings, beside the
/// GEMM rate on the same shapes — how close the fused scoring + selection comes to the bare
/// product it is built on.
struct BenchEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Users/s and GFLOP/s of full-catalogue top-K evaluation, beside GEMM on the same shapes.")

    @Option(help: "Users scored.") var users = 50_000
    @Option(help: "Items in the catalogue.") var items = 20_000
    @Option(help: "Embedding width.") var dim = 128
    @Option(help: "Top-K cut-off.") var k = 100
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Timed rounds of evaluation and GEMM, interleaved; each one's best is reported.") var repeats = 3
    @Flag(help: "Print one JSON object on stdout.") var json = false

    /// Users per GEMM call of the reference: the whole users × items product would not fit in
    /// memory at benchmark sizes, and rows of C split this way cost the GEMM nothing.
    static let gemmRows = 1024

    func run() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        var rng = SplitMix64(seed: 1)
        let u = Matrix(rows: users, cols: dim), v = Matrix(rows: items, cols: dim)
        for i in 0..<u.count { u.data[i] = rng.nextFloat() - 0.5 }
        for i in 0..<v.count { v.data[i] = rng.nextFloat() - 0.5 }
        // Every user holds out 5 random items and masks 20 "training positives".
        var held: [Int32: [Int32]] = [:], excl: [Int32: [Int32]] = [:]
        for x in 0..<users {
            held[Int32(x)] = (0..<5).map { _ in Int32(rng.nextInt(below: items)) }
            excl[Int32(x)] = (0..<20).map { _ in Int32(rng.nextInt(below: items)) }
        }
        let target = EvaluationTarget(name: "warm", heldOut: held, exclude: excl, candidates: nil)
        let evaluator = Evaluator(targets: [target], ks: [k], itemCount: items)
        if let threads { evaluator.threads = threads }
        let threadCount = evaluator.threads

        // The reference: the same users × items × dim product with the GEMM, in row chunks.
        let chunk = min(BenchEval.gemmRows, users)
        let scores = Matrix(rows: chunk, cols: items)
        func gemm() {
            var lo = 0
            while lo < users {
                let hi = min(users, lo + chunk)
                let c = scores.rows(0..<(hi - lo))
                Matrix.gemm(u.rows(lo..<hi), v, transposeB: true, into: c, threads: threadCount)
                lo = hi
            }
        }
        /// Wall and CPU (all threads) seconds of one call.
        func time(_ body: () -> Void) -> (wall: Double, cpu: Double) {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = ProcessClock.cpuSeconds()
            body()
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, ProcessClock.cpuSeconds() - cpuStart)
        }
        // Warm-up, then interleaved timed rounds so background load hits both alike.
        _ = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)
        var evalSeconds = Double.infinity, gemmSeconds = Double.infinity
        var evalCPU = Double.infinity, gemmCPU = Double.infinity
        for _ in 0..<repeats {
            let e = time { _ = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v) }
            let g = time(gemm)
            evalSeconds = min(evalSeconds, e.wall)
            evalCPU = min(evalCPU, e.cpu)
            gemmSeconds = min(gemmSeconds, g.wall)
            gemmCPU = min(gemmCPU, g.cpu)
        }
        let flop = 2 * Double(users) * Double(items) * Double(dim)
        let usersPerSecond = Double(users) / evalSeconds
        let gflops = flop / evalSeconds / 1e9, gemmGFLOPs = flop / gemmSeconds / 1e9
        let cpuGFLOPs = flop / evalCPU / 1e9, gemmCPUGFLOPs = flop / gemmCPU / 1e9
        if json {
            print(try JSONOutput.text(BenchReport.Eval(users: users, items: items, dim: dim, k: k, threads: threadCount,
                                                       usersPerSecond: usersPerSecond, gflops: gflops, gemmGFLOPs: gemmGFLOPs,
                                                       cpuGFLOPs: cpuGFLOPs, gemmCPUGFLOPs: gemmCPUGFLOPs)))
        } else {
            print("bench eval: \(users) users × \(items) items, dim \(dim), top-\(k), \(threadCount) threads, \(GEMM.backend.name) GEMM, best of \(repeats)")
            print(String(format: "  eval  %.0f users/s   %.1f GFLOP/s (scoring + top-%d)   %.2f s", usersPerSecond, gflops, k, evalSeconds))
            print(String(format: "  gemm  %.1f GFLOP/s on the same shapes (%dx%dx%d NT, in %d-row chunks)   %.2f s",
                         gemmGFLOPs, users, items, dim, chunk, gemmSeconds))
            print(String(format: "  eval at %.0f%% of the GEMM rate", 100 * gflops / gemmGFLOPs))
            // Per CPU-second the other jobs of a shared machine count far less: they take the
            // cores away from both, but a second of this process's CPU time is its own work.
            print(String(format: "  per CPU-second (all threads): eval %.1f, gemm %.1f GFLOP/s — eval at %.0f%% of the GEMM rate",
                         cpuGFLOPs, gemmCPUGFLOPs, 100 * cpuGFLOPs / gemmCPUGFLOPs))
        }
    }
}

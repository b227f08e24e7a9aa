import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `bench wmf`: seconds per ALS iteration on a seeded, popularity-skewed synthetic matrix.
struct BenchWMF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wmf",
        abstract: "Seconds per WMF (implicit ALS) iteration on a synthetic 50k × 20k × 1M matrix.",
        discussion: """
            Each iteration solves all users then all items and computes the training loss. \
            `scripts/bench_wmf_implicit.sh` runs the `implicit` library on the same matrix \
            (written with --export-matrix) for a side-by-side comparison.
            """)

    @Option(help: "Ranks to time, comma-separated.") var ranks = "64,200"
    @Option(help: "Users (rows).") var users = 50_000
    @Option(help: "Items (columns).") var items = 20_000
    @Option(help: "Non-zero entries.") var nnz = 1_000_000
    @Option(help: "Seed of the synthetic matrix.") var seed: UInt64 = 1
    @Option(help: "ALS iterations timed per rank (the mean is reported).") var iterations = 5
    @Option(help: "Solver: cg (3 steps), cgN (N steps) or cholesky.") var solver = "cg"
    @Option(help: "Regularisation λ.") var reg: Float = 1
    @Option(help: "Confidence weight α (c = 1 + α·r).") var alpha: Float = 10
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Also write the matrix (binary CSR) to this file, for other implementations.")
    var exportMatrix: String?
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        guard let solver = WMFSolver(self.solver) else {
            throw ValidationError("--solver must be cg, cgN (e.g. cg5) or cholesky, got '\(self.solver)'")
        }
        let rankList = ranks.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !rankList.isEmpty, rankList.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--ranks must be positive integers separated by commas, got '\(ranks)'")
        }
        guard users > 0, items > 0, nnz > 0, iterations > 1 else {
            throw ValidationError("--users, --items and --nnz must be positive and --iterations at least 2")
        }
        let threadCount = threads ?? Parallel.threadCount
        let matrix = WMFBenchmarkMatrix.generate(users: users, items: items, nonZeros: nnz, seed: seed)
        if let exportMatrix {
            try WMFBenchmarkMatrix.export(matrix, to: URL(fileURLWithPath: exportMatrix))
        }
        var results: [(rank: Int, seconds: Double, cpuSeconds: Double, loss: Double)] = []
        for rank in rankList.map({ $0! }) {
            var seconds: [Double] = []
            // CPU time between consecutive iterations' ends: the first iteration's share would
            // include the transpose and initialisation, so it is left out (as in the script).
            var cpu: [Double] = []
            var lastCPU: Double?
            var loss = Double.nan
            let options = WMFOptions(rank: rank, regularization: reg, alpha: alpha, iterations: iterations,
                                     solver: solver, seed: seed, threads: threadCount)
            _ = try WMF.fit(matrix, options: options) { p in
                seconds.append(p.seconds)
                let now = ProcessClock.cpuSeconds()
                if let lastCPU { cpu.append(now - lastCPU) }
                lastCPU = now
                loss = p.loss
                if !json {
                    FileHandle.standardError.write(Data(String(format: "  rank %d  iteration %d/%d  loss %.6g  %.3f s\n",
                                                               rank, p.iteration, p.iterations, p.loss, p.seconds).utf8))
                }
            }
            results.append((rank, seconds.reduce(0, +) / Double(seconds.count), cpu.isEmpty ? .nan : cpu.reduce(0, +) / Double(cpu.count), loss))
        }
        if json {
            print(try JSONOutput.text(BenchReport.WMF(results: results.map {
                BenchReport.WMF.Result(rank: $0.rank, users: users, items: items, nnz: matrix.nonZeroCount, secondsPerIteration: $0.seconds,
                                       cpuSecondsPerIteration: $0.cpuSeconds, solver: solver.description, threads: threadCount, finalLoss: $0.loss)
            })))
        } else {
            print("bench wmf: \(users) users × \(items) items × \(matrix.nonZeroCount) non-zeros, solver \(solver), "
                  + "\(threadCount) threads, \(GEMM.backend.name) GEMM, mean of \(iterations) iterations")
            for r in results {
                print(String(format: "  rank %4d   %.3f s/iteration (%.3f CPU s)   final loss %.6g",
                             r.rank, r.seconds, r.cpuSeconds, r.loss))
            }
        }
    }
}

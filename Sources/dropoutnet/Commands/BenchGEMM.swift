import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet bench gemm`: GFLOP/s of every available GEMM backend on the shapes a training
/// step uses, with one thread and with all of them.
struct BenchGEMM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GFLOP/s of each GEMM backend (OpenBLAS, built-in) on training-step shapes.")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    @Option(help: "Comma-separated thread counts (default: 1 and all cores).")
    var threads: String?

    @Option(help: "Comma-separated shapes MxNxK (default: 512x256x256,512x128x512,1024x128x1024,2048x2048x2048).")
    var shapes: String?

    @Option(help: "Timed rounds over all configurations; each one's best is reported.") var repeats = 5

    @Option(help: "Only this backend (openblas or builtin).") var backend: String?

    @Option(help: "Operand transposes: NN, NT, TN or TT (JSON does not record it; default NN).")
    var transpose = "NN"

    struct Shape { let m, n, k: Int }
    typealias Result = BenchReport.GEMM.Result

    func run() throws {
        let all = ProcessInfo.processInfo.activeProcessorCount
        let threadCounts = try threads.map(Self.parseInts) ?? Array(Set([1, all])).sorted()
        let shapeList = try shapes.map(Self.parseShapes) ?? [
            Shape(m: 512, n: 256, k: 256), Shape(m: 512, n: 128, k: 512),
            Shape(m: 1024, n: 128, k: 1024), Shape(m: 2048, n: 2048, k: 2048),
        ]
        guard ["NN", "NT", "TN", "TT"].contains(transpose) else { throw ValidationError("--transpose: expected NN, NT, TN or TT") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        var backends = GEMM.availableBackends()
        if let only = backend {
            backends = backends.filter { $0.name == only }
            if backends.isEmpty { throw ValidationError("backend '\(only)' is not available (have: \(GEMM.availableBackends().map(\.name).joined(separator: ", ")))") }
        }

        var results: [Result] = []
        for shape in shapeList {
            var rng = SplitMix64(seed: 1)
            let (tA, tB) = (transpose.first == "T", transpose.last == "T")
            let a = tA ? Matrix(rows: shape.k, cols: shape.m) : Matrix(rows: shape.m, cols: shape.k)
            let b = tB ? Matrix(rows: shape.n, cols: shape.k) : Matrix(rows: shape.k, cols: shape.n)
            let c = Matrix(rows: shape.m, cols: shape.n)
            for i in 0..<a.count { a.data[i] = rng.nextFloat() - 0.5 }
            for i in 0..<b.count { b.data[i] = rng.nextFloat() - 0.5 }
            let configs = backends.flatMap { be in threadCounts.map { (be, $0) } }
            let calls = configs.map { be, t in { Matrix.gemm(a, transposeA: tA, b, transposeB: tB, into: c, backend: be, threads: t) } }
            // Rounds over all configurations, keeping each one's best: background load on a
            // shared machine then hits every configuration alike instead of whichever ran last.
            let batches = calls.map { Self.batchSize($0) }
            var best = [Double](repeating: .infinity, count: configs.count)
            for _ in 0..<repeats {
                for i in configs.indices {
                    if i > 0 && configs[i - 1].0.name == "openblas" && configs[i].0.name != "openblas" {
                        // OpenBLAS workers spin for a while after a call; let them go to sleep.
                        Thread.sleep(forTimeInterval: 0.2)
                    }
                    best[i] = min(best[i], Self.time(batches[i], calls[i]))
                }
            }
            for (i, (be, t)) in configs.enumerated() {
                let gflops = 2.0 * Double(shape.m * shape.n * shape.k) / best[i] / 1e9
                results.append(Result(backend: be.name, threads: t, m: shape.m, n: shape.n, k: shape.k, gflops: gflops))
            }
            if !json { FileHandle.standardError.write(Data(".".utf8)) }
        }
        if json {
            print(try JSONOutput.text(BenchReport.GEMM(results: results)))
        } else {
            FileHandle.standardError.write(Data("\n".utf8))
            print(Self.table(results))
        }
    }

    /// Calls per timed batch so that a batch lasts ≥ 50 ms (after two warm-up calls).
    static func batchSize(_ body: () -> Void) -> Int {
        body()
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let once = max(1, DispatchTime.now().uptimeNanoseconds - start)
        return max(1, Int(50_000_000 / once))
    }

    /// Seconds per call over one batch.
    static func time(_ calls: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(calls)
    }

    /// An aligned table; the built-in rows also show their ratio to OpenBLAS at the same point.
    static func table(_ results: [Result]) -> String {
        var lines = ["backend   threads      m      n      k   GFLOP/s  vs openblas"]
        for r in results {
            let reference = results.first { $0.backend == "openblas" && $0.threads == r.threads && $0.m == r.m && $0.n == r.n && $0.k == r.k }
            let ratio = (r.backend != "openblas" && reference != nil) ? String(format: "%10.2f×", r.gflops / reference!.gflops) : ""
            lines.append(String(format: "%-9@ %7d %6d %6d %6d %9.1f", r.backend as NSString, r.threads, r.m, r.n, r.k, r.gflops) + "  " + ratio)
        }
        return lines.joined(separator: "\n")
    }

    static func parseInts(_ s: String) throws -> [Int] {
        try s.split(separator: ",").map {
            guard let v = Int($0.trimmingCharacters(in: .whitespaces)), v > 0 else {
                throw ValidationError("--threads: expected positive integers separated by commas, got '\($0)'")
            }
            return v
        }
    }

    static func parseShapes(_ s: String) throws -> [Shape] {
        try s.split(separator: ",").map { part in
            let dims = part.lowercased().split(separator: "x").compactMap { Int($0) }
            guard dims.count == 3, dims.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--shapes: expected MxNxK with positive integers, got '\(part)'")
            }
            return Shape(m: dims[0], n: dims[1], k: dims[2])
        }
    }
}

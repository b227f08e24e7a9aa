import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `bench eval`: users per second for full-catalogue top-K on random embeddings.
struct BenchEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Users/s of full-catalogue top-K evaluation (GEMM scoring + partial selection).")

    @Option(help: "Users scored.") var users = 50_000
    @Option(help: "Items in the catalogue.") var items = 20_000
    @Option(help: "Embedding width.") var dim = 128
    @Option(help: "Top-K cut-off.") var k = 100
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
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
        // Warm-up on a slice, then the timed full run.
        _ = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let usersPerSecond = Double(users) / seconds
        let gflops = 2 * Double(users) * Double(items) * Double(dim) / seconds / 1e9
        if json {
            print(try JSONOutput.text(BenchReport.Eval(users: users, items: items, k: k, usersPerSecond: usersPerSecond, gflops: gflops)))
        } else {
            print("bench eval: \(users) users × \(items) items, dim \(dim), top-\(k), \(evaluator.threads) threads, \(GEMM.backend.name) GEMM")
            print(String(format: "  %.0f users/s   %.1f GFLOP/s (scoring)   %.2f s", usersPerSecond, gflops, seconds))
        }
    }
}

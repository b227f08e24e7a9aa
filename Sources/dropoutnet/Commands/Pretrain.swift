import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet pretrain …`: preference vectors fitted before DropoutNet training.
struct Pretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train preference vectors (WMF) on a split's training positives.",
        subcommands: [PretrainWMF.self])
}

/// `dropoutnet pretrain wmf`: fits WMF (implicit ALS) on the training positives of the split and
/// writes the factors file the classic DropoutNet and the `wmf` preference input load.
struct PretrainWMF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wmf",
        abstract: "Fit WMF (Hu–Koren–Volinsky implicit ALS) and write the factors with their split.",
        discussion: """
            Progress (iteration, training loss, seconds) goes to stderr. The factors file records \
            the options and the identity of the dataset and split, so a model trained on another \
            split refuses it. Afterwards the factors alone are evaluated on the warm test split \
            (WMF as a baseline; it cannot score cold users or items).
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Latent dimension k.") var rank = 200
    @Option(help: "Regularisation λ.") var reg: Float = 1
    @Option(help: "Confidence weight α (confidence = 1 + α·r on observed positives).") var alpha: Float = 10
    @Option(help: "ALS iterations (users then items).") var iterations = 10
    @Option(help: "Row solver: cg (conjugate gradient, 3 steps, as the implicit library), cgN, or cholesky (exact).")
    var solver = "cg"
    @Option(help: "Seed of the initial factors.") var seed: UInt64 = 42
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Factors file to write.") var out = "wmf.factors"
    @Flag(name: .customLong("no-eval"), help: "Skip the warm-split evaluation of the factors.") var noEval = false
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        guard WMFSolver(solver) != nil else { throw ValidationError("--solver must be cg, cgN (e.g. cg5) or cholesky, got '\(solver)'") }
        guard rank >= 1 else { throw ValidationError("--rank must be at least 1") }
        guard reg >= 0, reg.isFinite else { throw ValidationError("--reg must be a finite number ≥ 0") }
        guard alpha >= 0, alpha.isFinite else { throw ValidationError("--alpha must be a finite number ≥ 0") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let (dataset, split) = try dataOptions.load(quiet: json)
        let r: SparseMatrix
        do { r = try WMF.preferenceMatrix(dataset: dataset, split: split) } catch let e as WMFError {
            throw UsageError(e.description)
        }
        let options = WMFOptions(rank: rank, regularization: reg, alpha: alpha, iterations: iterations,
                                 solver: WMFSolver(solver)!, seed: seed, threads: threads ?? Parallel.threadCount)
        Console.note("WMF on \(dataset.name): \(r.rows) users × \(r.cols) items, \(r.nonZeroCount) training positives; "
                     + "rank \(rank), λ \(reg), α \(alpha), \(iterations) iterations, solver \(options.solver), \(options.threads) threads")
        let start = Date()
        var finalLoss: Double?
        let factors = try WMF.fit(r, options: options) { p in
            finalLoss = p.loss
            Console.note(String(format: "  iteration %2d/%d  loss %.6g  %.2f s", p.iteration, p.iterations, p.loss, p.seconds))
        }
        let seconds = Date().timeIntervalSince(start)
        let identity = WMFFactorsFile.splitIdentity(dataset: dataset, split: split)
        let file = WMFFactorsFile(factors: factors, options: options, splitIdentity: identity, loss: finalLoss)
        try file.write(to: URL(fileURLWithPath: out))

        var warm: SplitMetrics?
        if !noEval {
            let data = try TrainingData.prepare(dataset: dataset, split: split)
            let target = data.evaluationTarget(.warm)
            let evaluator = Evaluator(targets: [target], ks: [20, 100], itemCount: data.itemCount)
            evaluator.threads = options.threads
            warm = evaluator.evaluate(target, userEmbeddings: factors.users, itemEmbeddings: factors.items)
        }
        if json {
            var fields = [#""out": \#(jsonString(out))"#, #""users": \#(r.rows)"#, #""items": \#(r.cols)"#,
                          #""positives": \#(r.nonZeroCount)"#, #""rank": \#(rank)"#, #""iterations": \#(iterations)"#,
                          #""solver": "\#(options.solver)""#, #""final_loss": \#(finalLoss ?? 0)"#,
                          #""seconds": \#(String(format: "%.3f", seconds))"#, #""split": \#(jsonString(identity))"#]
            if let warm {
                fields.append(#""warm": {"users": \#(warm.users), "recall@20": \#(warm.recall(at: 20) ?? 0), "recall@100": \#(warm.recall(at: 100) ?? 0)}"#)
            } else if !noEval {
                fields.append(#""warm": null"#)
            }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("wrote \(out): \(r.rows) users × \(r.cols) items × rank \(rank), final loss "
                  + String(format: "%.6g", finalLoss ?? 0) + String(format: " (%.1f s)", seconds))
            if let warm {
                print(String(format: "WMF alone, warm test (%d users): recall@20 %.4f  recall@100 %.4f",
                             warm.users, warm.recall(at: 20) ?? 0, warm.recall(at: 100) ?? 0))
            } else if !noEval {
                print("WMF alone: the split has no warm test users")
            }
        }
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}

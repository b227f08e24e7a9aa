import Numerics

/// How much of a cold-start prior (`ColdUserPrior`, `ColdItemPrior`) goes into the towers'
/// scores: multiples of the weight at which the prior spreads scores as much as the model does,
/// the best by recall on a validation cold split, 0 included so a prior that does not help is
/// left out. Both priors travel as extra embedding columns, appended here.
enum PriorWeight {
    /// Multiples of the score/prior scale tried (0 first, so ties keep the model's own ranking).
    static let multiples: [Float] = [0, 0.25, 0.5, 1, 2, 4, 8, 16]

    /// The candidate with the best recall (the smaller weight on a tie); nil when no candidate
    /// could be scored. `recalls` scores every candidate weight at once
    /// (`Evaluator.evaluate(_:userEmbeddings:itemEmbeddings:priorUser:priorItems:weights:)`).
    static func best<P>(unit: Float, multiples: [Float] = multiples, _ make: (Float) -> P,
                        recalls: ([Float]) -> [Double?]) -> (prior: P, recall: Double)? {
        let weights = multiples.filter { $0 == 0 || unit > 0 }.map { $0 * unit }
        var best: (prior: P, recall: Double)?
        for (w, recall) in zip(weights, recalls(weights)) {
            guard let r = recall else { continue }
            if best == nil || r > best!.recall + 1e-12 { best = (make(w), r) }
        }
        return best
    }

    /// Recall@`k` of `target` for each candidate weight of the prior whose weight-1 columns are
    /// `columns`.
    static func recalls(_ weights: [Float], columns: Columns, target: EvaluationTarget, users: Matrix, items: Matrix,
                        evaluator: Evaluator, k: Int) -> [Double?] {
        evaluator.evaluate(target, userEmbeddings: users, itemEmbeddings: items, priorUser: columns.user,
                           priorItems: columns.itemRows(items.rows), weights: weights).map { $0?.recall(at: k) }
    }

    /// Each user's recall@`k` on `target` (in `target.users` order) for each candidate weight,
    /// for comparing candidates user by user (`WarmPrior.choose`).
    static func userRecalls(_ weights: [Float], columns: Columns, target: EvaluationTarget, users: Matrix, items: Matrix,
                            evaluator: Evaluator, k: Int) -> [[Double]] {
        evaluator.userRecalls(target, userEmbeddings: users, itemEmbeddings: items, priorUser: columns.user,
                              priorItems: columns.itemRows(items.rows), weights: weights, k: k)
    }

    /// Standard deviation of the model's scores over (a sample of) `target`'s users and
    /// candidates, over that of `prior(user, item)` on the same pairs.
    static func unit(target: EvaluationTarget, candidates all: [Int32], users: Matrix, items: Matrix,
                     prior: (Int, Int) -> Float) -> Float {
        guard !all.isEmpty else { return 0 }
        // A spread needs no more than a few thousand items: every n-th candidate.
        let stride = max(1, all.count / 2048)
        let candidates = Swift.stride(from: 0, to: all.count, by: stride).map { Int(all[$0]) }
        var model = Spread(), added = Spread()
        for u in target.users.prefix(256).map(Int.init) {
            for i in candidates {
                model.add(dot(users.row(u), items.row(i), users.cols))
                added.add(prior(u, i))
            }
        }
        let priorSD = added.deviation
        return priorSD > 1e-12 ? Float(model.deviation / priorSD) : 0
    }

    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s: Float = 0
        for j in 0..<n { s += a[j] * b[j] }
        return s
    }

    /// One prior's columns: how many, and what a user row and an item row hold there.
    struct Columns {
        let width: Int
        let user: (Int, UnsafeMutablePointer<Float>) -> Void
        let item: (Int, UnsafeMutablePointer<Float>) -> Void

        /// The item side for `count` items, one row each.
        func itemRows(_ count: Int) -> Matrix {
            let rows = Matrix(rows: count, cols: width)
            for i in 0..<count { item(i, rows.row(i)) }
            return rows
        }
    }

    /// `users` and `items` with every part's columns after theirs, in order, built in one
    /// allocation per side: appending one prior after another held every intermediate copy at
    /// once (at 160 k users about 0.5 GB more than the final pair, the peak of a 25 M run).
    /// A nil part (a prior that adds nothing) is skipped.
    static func appending(users: Matrix, items: Matrix, _ optionalParts: [Columns?]) -> (users: Matrix, items: Matrix) {
        let parts = optionalParts.compactMap { $0 }
        guard !parts.isEmpty else { return (users, items) }
        return (appending(users, parts.map { ($0.width, $0.user) }), appending(items, parts.map { ($0.width, $0.item) }))
    }

    /// `m` with each part's columns appended, zero unless its `fill(row, columns)` writes them.
    private static func appending(_ m: Matrix, _ parts: [(width: Int, fill: (Int, UnsafeMutablePointer<Float>) -> Void)]) -> Matrix {
        let out = Matrix(rows: m.rows, cols: m.cols + parts.reduce(0) { $0 + $1.width })
        for r in 0..<m.rows {
            let row = out.row(r)
            row.update(from: m.row(r), count: m.cols)
            var offset = m.cols
            for part in parts {
                part.fill(r, row + offset)
                offset += part.width
            }
        }
        return out
    }

    /// Running mean and variance of a stream of scores.
    private struct Spread {
        var n = 0.0, sum = 0.0, sumSquares = 0.0
        mutating func add(_ x: Float) { n += 1; sum += Double(x); sumSquares += Double(x) * Double(x) }
        var deviation: Double { n > 1 ? max(sumSquares / n - (sum / n) * (sum / n), 0).squareRoot() : 0 }
    }
}

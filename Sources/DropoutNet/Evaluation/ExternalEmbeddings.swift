import Foundation
import Numerics

/// User and item embeddings trained by another system (EasyRec, via
/// `scripts/easyrec_train.sh`), keyed by the dataset's ids, so that `dropoutnet eval
/// --embeddings DIR` scores them with this project's evaluator — the same candidates,
/// masking and metrics as the workbench's own model — and the two can be compared directly.
///
/// Files: `user_embeddings.csv` and `item_embeddings.csv`, one line per entity, no header:
/// the entity's id, then its vector's numbers, comma-separated. Rankings use the dot product
/// (EasyRec's towers are l2-normalised, so this is their cosine).
public struct ExternalEmbeddings: Sendable {
    public var users: Matrix
    public var items: Matrix
    public var dimension: Int { users.cols }

    public static let userFile = "user_embeddings.csv"
    public static let itemFile = "item_embeddings.csv"

    /// Reads both files of `directory` and places each vector at its entity's index in `data`.
    /// - Throws: `DataError` (file, line, column) on a malformed line, an unknown id, a width
    ///   that differs from the first line's, or an entity the evaluation needs that has no
    ///   vector (a user of a test split, a candidate item).
    public static func read(directory: URL, data: TrainingData) throws -> ExternalEmbeddings {
        let d = data.dataset
        let userIndex = Dictionary(d.userIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let itemIndex = Dictionary(d.itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let (users, hasUser) = try readFile(directory.appendingPathComponent(userFile), index: userIndex, rows: d.userCount, width: nil)
        let (items, hasItem) = try readFile(directory.appendingPathComponent(itemFile), index: itemIndex, rows: d.itemCount, width: users.cols)
        for split in EvaluationSplit.test {
            let target = data.evaluationTarget(split)
            if let u = target.users.first(where: { !hasUser[Int($0)] }) {
                throw DataError(file: directory.appendingPathComponent(userFile).path,
                                "expected a vector for every user of the \(split.rawValue) test split; '\(d.userIDs[Int(u)])' has none")
            }
            if let i = (target.candidates ?? []).first(where: { !hasItem[Int($0)] }) {
                throw DataError(file: directory.appendingPathComponent(itemFile).path,
                                "expected a vector for every \(split.rawValue) candidate item; '\(d.itemIDs[Int(i)])' has none")
            }
        }
        return ExternalEmbeddings(users: users, items: items)
    }

    static func readFile(_ url: URL, index: [String: Int], rows: Int, width expected: Int?) throws -> (Matrix, [Bool]) {
        let name = url.path
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw DataError(file: name, "expected a readable file of 'id,v1,v2,…' lines")
        }
        var width = expected
        var values: [(Int, [Float])] = []
        var seen = [Bool](repeating: false, count: rows)
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let row = index[String(fields[0])] else {
                throw DataError(file: name, line: n + 1, column: 1, "expected an id of the dataset, got '\(fields[0])'")
            }
            if seen[row] { throw DataError(file: name, line: n + 1, column: 1, "the id '\(fields[0])' appears twice") }
            var v: [Float] = []
            v.reserveCapacity(fields.count - 1)
            for (c, f) in fields.dropFirst().enumerated() {
                guard let x = Float(f), x.isFinite else {
                    throw DataError(file: name, line: n + 1, column: c + 2, "expected a finite number, got '\(f)'")
                }
                v.append(x)
            }
            if width == nil { width = v.count }
            guard v.count == width, v.count > 0 else {
                throw DataError(file: name, line: n + 1, "expected \(width ?? 1) numbers after the id, got \(v.count)")
            }
            seen[row] = true
            values.append((row, v))
        }
        let m = Matrix(rows: rows, cols: width ?? 1)
        for (r, v) in values { for (c, x) in v.enumerated() { m[r, c] = x } }
        return (m, seen)
    }

    /// The test splits' metrics at `ks` (and 20), as `dropoutnet eval` reports its own.
    public func evaluate(_ data: TrainingData, ks: [Int]) -> EvaluationReport {
        Evaluator(targets: data.evaluationTargets(EvaluationSplit.test), ks: ks, itemCount: data.itemCount)
            .evaluate(userEmbeddings: users, itemEmbeddings: items)
    }
}

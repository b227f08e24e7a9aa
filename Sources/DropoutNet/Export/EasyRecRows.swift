import Foundation
import Numerics

extension EasyRecExport {
    /// The files an export with data writes beside `pipeline.config`.
    public struct Files: Sendable {
        public var config: Output
        /// Training interactions (positives and shown-not-clicked), shuffled.
        public var train: String
        /// Validation interactions, shuffled: what EasyRec's in-graph evaluation reads.
        public var eval: String
        public var trainRows: Int
        public var evalRows: Int
        /// One row per user (with the first item's columns) and one per item (with the first
        /// user's): what `scripts/easyrec_embeddings.py` feeds EasyRec's trained towers to get
        /// every entity's embedding, including test users and items that no interaction row holds.
        public var users: String
        public var items: String
        /// `id,log q(item)` when EasyRec's embeddings need the logQ correction at ranking time
        /// (`needsServingLogQ`), else nil.
        public var itemLogQ: String?
    }

    /// The config and both CSVs of `data`'s split; `values` must be set.
    public func renderWithData(_ data: TrainingData) throws -> Files {
        guard values != nil else { throw ExportError("the CSV rows need the data's values (EasyRecValues)") }
        let config = try render()
        let fields = inputFields()
        let train = EasyRecExport.shuffled(data.split.train, seed: settings.seed, stream: 1)
        let eval = EasyRecExport.shuffled(data.split.validation, seed: settings.seed, stream: 2)
        let d = data.dataset
        let rows = { (k: Int32) in (Int(d.users[Int(k)]), Int(d.items[Int(k)]), d.labels[Int(k)], d.weights[Int(k)]) }
        return Files(config: config, train: csv(train.map(rows), fields: fields, dataset: d),
                     eval: csv(eval.map(rows), fields: fields, dataset: d), trainRows: train.count, evalRows: eval.count,
                     users: csv((0..<d.userCount).map { ($0, 0, 0, 1) }, fields: fields, dataset: d),
                     items: csv((0..<d.itemCount).map { (0, $0, 0, 1) }, fields: fields, dataset: d),
                     itemLogQ: EasyRecExport.needsServingLogQ(settings) ? EasyRecExport.itemLogQ(data) : nil)
    }

    /// One line per interaction, the fields' values joined by commas (no header: EasyRec's
    /// CSVInput reads columns by position).
    func csv(_ interactions: [(user: Int, item: Int, label: UInt8, weight: Float)], fields: [Field], dataset d: Dataset) -> String {
        // Each entity's columns joined once; a row is then a few appends.
        func joined(_ user: Bool) -> [String]? {
            let columns: [[String]] = fields.compactMap {
                switch $0.source {
                case .user(let v) where user: return v
                case .item(let v) where !user: return v
                default: return nil
                }
            }
            if columns.isEmpty { return nil }
            let count = user ? d.userCount : d.itemCount
            return (0..<count).map { e in columns.map { $0[e] }.joined(separator: ",") }
        }
        let users = joined(true), items = joined(false)
        let weighted = fields.contains { if case .weight = $0.source { return true } else { return false } }
        var out = ""
        out.reserveCapacity(interactions.count * ((users?.first?.utf8.count ?? 0) + (items?.first?.utf8.count ?? 0) + 32))
        for (u, i, label, weight) in interactions {
            out += String(label)
            out += ","; out += d.userIDs[u]
            out += ","; out += d.itemIDs[i]
            if weighted { out += ","; out += EasyRecValues.number(weight) }
            if let users { out += ","; out += users[u] }
            if let items { out += ","; out += items[i] }
            out += "\n"
        }
        return out
    }

    /// `indices` in a random order fixed by the run's seed: EasyRec shuffles only within a
    /// small buffer, so rows grouped by user would reach it in groups and train worse.
    public static func shuffled(_ indices: [Int32], seed: UInt64, stream: UInt64) -> [Int32] {
        var rng = SplitMix64(seed: seed).split(0xEA5E_0000 + stream)
        var out = indices
        var n = out.count
        while n > 1 {
            let j = Int(rng.next() % UInt64(n))
            n -= 1
            out.swapAt(n, j)
        }
        return out
    }
}

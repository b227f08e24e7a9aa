import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet recommend --checkpoint F (--user ID | --item ID)`: the top-K items for a user, or
/// the items most similar to an item, by the checkpoint's model.
///
/// Embeddings come from content and (when the user or item has training interactions)
/// preference, so a cold user or item known only by its features gets recommendations too.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Top-K items for a user (or items similar to an item) from a checkpoint, with scores and titles.",
        discussion: """
            For a user, items the user already has as training positives are left out. Cold users and \
            items (no training interactions) are scored from their features alone.
            """)

    @Option(help: "Checkpoint file (.dnckpt).") var checkpoint: String
    @Option(help: "A user id (as in the data).") var user: String?
    @Option(help: "An item id: recommend similar items.") var item: String?
    @Option(help: "How many items.") var k: Int = 20
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "No notes on stderr.") var quiet = false

    func validate() throws {
        if (user == nil) == (item == nil) { throw ValidationError("give exactly one of --user ID or --item ID") }
        if k < 1 { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        try CommandErrors.run {
            let (c, data) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: quiet || json)
            let model = try ModelCheckpoint.model(from: c, data: data, file: checkpoint)
            let d = data.dataset
            let items = model.embedAllItems()
            let query: [Float]
            let cold: Bool
            var exclude = Set<Int32>()
            let kind = user != nil ? "user" : "item"
            let id = user ?? item!
            if let user {
                guard let u = d.userIDs.firstIndex(of: user) else { throw UsageError("no user '\(user)' in \(d.name) (\(d.userCount) users)") }
                query = model.embedAllUsers().rowArray(u)
                cold = !data.isKnownUser[u]
                exclude = Set(data.trainPositives[u])
            } else {
                guard let i = d.itemIDs.firstIndex(of: item!) else { throw UsageError("no item '\(item!)' in \(d.name) (\(d.itemCount) items)") }
                query = items.rowArray(i)
                cold = !data.isKnownItem[i]
                exclude = [Int32(i)]
            }
            let top = Recommend.topK(query: query, items: items, k: k, exclude: exclude)
            let title: (Int) -> String? = { d.itemContent.title($0) }
            if json {
                let list: [JSONValue] = top.enumerated().map { rank, r in
                    .object(["rank": .number(Double(rank + 1)), "item": .string(d.itemIDs[r.item]),
                             "score": .number(Double(r.score)), "title": title(r.item).map(JSONValue.string) ?? .null,
                             "cold": .bool(!data.isKnownItem[r.item])])
                }
                print(JSONValue.object([kind: .string(id), "cold": .bool(cold), "checkpoint": .string(checkpoint),
                                        "k": .number(Double(k)), "items": .array(list)]).jsonText)
            } else {
                print("\(kind == "user" ? "top \(k) for user" : "top \(k) similar to item") \(id)\(cold ? " (cold: features only)" : "")")
                for (rank, r) in top.enumerated() {
                    let name = title(r.item).map { "  \($0)" } ?? ""
                    let mark = data.isKnownItem[r.item] ? "" : "  [cold]"
                    print(String(format: "%3d  %@  %.4f", rank + 1, d.itemIDs[r.item].padding(toLength: 10, withPad: " ", startingAt: 0), r.score) + name + mark)
                }
            }
        }
    }

    /// The `k` highest dot products of `query` with the rows of `items` (cosine: rows are unit
    /// norm), best first, ties by lower index; rows in `exclude` are skipped.
    static func topK(query: [Float], items: Matrix, k: Int, exclude: Set<Int32>) -> [(item: Int, score: Float)] {
        var scored: [(item: Int, score: Float)] = []
        scored.reserveCapacity(items.rows)
        for i in 0..<items.rows where !exclude.contains(Int32(i)) {
            let row = items.row(i)
            var s: Float = 0
            for j in 0..<items.cols { s += query[j] * row[j] }
            scored.append((i, s))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        return Array(scored.prefix(k))
    }
}

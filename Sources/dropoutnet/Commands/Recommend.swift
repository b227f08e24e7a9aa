import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet recommend --checkpoint F (--user ID | --item ID)`: the top-K items for a user, or
/// the top-K users for an item ("which users would get this cold item?"), by the checkpoint's
/// model. Both are `ExplorerQueries`, the same answers the workbench's Explore screen shows.
///
/// Embeddings come from content and (when the user or item has training interactions)
/// preference, so a cold user or item known only by its features gets an answer too.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Top-K items for a user, or top-K users for an item, from a checkpoint, with scores and hits.",
        discussion: """
            --user: the user's training positives are left out; items marked "held out" are the user's \
            test or validation positives (hits). --item: users who liked the item in training are left \
            out; users marked "held out" took it in the test or validation data. Cold users and items \
            (no training interactions) are scored from their features alone.
            """)

    @Option(help: "A user id (as in the data): recommend items.") var user: String?
    @Option(help: "An item id: the users it would be recommended to first.") var item: String?
    @Option(help: "Checkpoint file (.dnckpt).") var checkpoint: String
    @Option(help: "How many items (or users).") var k: Int = 20
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "No notes on stderr.") var quiet = false

    func validate() throws {
        if (user == nil) == (item == nil) { throw ValidationError("give exactly one of --user ID or --item ID") }
        if k < 1 { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        let (c, data) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: quiet || json)
        let model = try ModelCheckpoint.model(from: c, data: data, file: checkpoint)
        let d = data.dataset
        let (users, items) = ModelCheckpoint.priors(of: c, model: model).rankingEmbeddings(
            users: model.embedAllUsers(), items: model.embedAllItems(), data: data)
        if let user {
            guard let u = d.userIDs.firstIndex(of: user) else { throw UsageError("no user '\(user)' in \(d.name) (\(d.userCount) users)") }
            let top = ExplorerQueries.topItems(forUser: u, data: data, userEmbeddings: users, itemEmbeddings: items, k: k)
            try printItems(top, user: u, data: data)
        } else {
            let id = item!
            guard let i = d.itemIDs.firstIndex(of: id) else { throw UsageError("no item '\(id)' in \(d.name) (\(d.itemCount) items)") }
            let top = ExplorerQueries.topUsers(forItem: i, data: data, userEmbeddings: users, itemEmbeddings: items, k: k)
            try printUsers(top, item: i, data: data)
        }
    }

    private func printItems(_ top: [RankedItem], user u: Int, data: TrainingData) throws {
        let d = data.dataset
        let user = d.userIDs[u], cold = !data.isKnownUser[u]
        if json {
            print(try JSONOutput.text(RecommendationReport.ForUser(user: u, top: top, data: data, checkpoint: checkpoint, k: k)))
            return
        }
        print("top \(k) items for user \(user)\(cold ? " (cold: features only)" : "")")
        for (rank, r) in top.enumerated() {
            let name = d.itemContent.title(r.item).map { "  \($0)" } ?? ""
            let marks = (data.isKnownItem[r.item] ? "" : "  [cold]") + (r.hit ? "  [held out]" : "")
            print(String(format: "%3d  %@  %.4f", rank + 1, Recommend.padded(d.itemIDs[r.item]), r.score) + name + marks)
        }
        print("\(top.filter(\.hit).count) of \(top.count) are held-out positives of the user")
    }

    private func printUsers(_ top: [RankedUser], item: Int, data: TrainingData) throws {
        let d = data.dataset
        let cold = !data.isKnownItem[item]
        if json {
            print(try JSONOutput.text(RecommendationReport.ForItem(item: item, top: top, data: data, checkpoint: checkpoint, k: k)))
            return
        }
        print("top \(k) users for item \(ExplorerQueries.itemLabel(item, data: data))\(cold ? " (cold: features only)" : "")")
        for (rank, r) in top.enumerated() {
            let marks = (data.isKnownUser[r.user] ? "" : "  [cold]") + (r.hit ? "  [held out]" : "")
            print(String(format: "%3d  %@  %.4f", rank + 1, Recommend.padded(d.userIDs[r.user]), r.score) + marks)
        }
        let held = ExplorerQueries.heldOutUsers(ofItem: item, data: data).count
        print("\(top.filter(\.hit).count) of the \(held) users who took it in held-out data are in the top \(top.count)")
    }

    static func padded(_ id: String) -> String { id.padding(toLength: max(10, id.count), withPad: " ", startingAt: 0) }
}

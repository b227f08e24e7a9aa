import DropoutNet

extension Explorer {
    /// What the Explore screen shows now: the shown list, the selection's description and
    /// held-out interactions, and its ranking when the latest result is for it. Looked up here
    /// (on the UI thread, per frame of that screen) so that `ExploreView` only draws.
    func view(hits: HitMap<MouseCommand>? = nil) -> ExploreView {
        let selection: ExploreView.Selection
        switch mode {
        case .users:
            if let user = selectedUser {
                let held = ExplorerQueries.heldOutItems(ofUser: user, data: data)
                let result = userResult.flatMap { $0.user == user ? $0 : nil }
                let trained = user < data.trainPositives.rows ? data.trainPositives[user] : []
                let description = ExplorerQueries.describeUser(user, data: data)
                selection = .user(ExploreView.Panel(
                    description: description, heldOutCount: held.count,
                    heldOutShown: held.prefix(8).map { ExplorerQueries.itemLabel(Int($0), data: data) },
                    ranking: result.map { r in
                        ExploreView.Ranking(step: r.step, rows: r.items.map {
                            .init(hit: $0.hit, score: $0.score, label: ExplorerQueries.itemLabel($0.item, data: data),
                                  isCold: !data.isKnownItem[$0.item], trainingPositives: 0)
                        })
                    },
                    trainingShown: trained.prefix(8).map { ExplorerQueries.itemLabel(Int($0), data: data) },
                    sameForEveryColdUser: description.isCold && (usersHaveNoContent || description.encoded.isEmpty)
                        ? (usersHaveNoContent ? "every cold user gets this same ranking: the dataset has no user content, so the model sees nothing of a cold user"
                                              : "this user has no known feature value: every such cold user gets this same ranking")
                        : nil))
            } else {
                selection = .none(what: "user")
            }
        case .items:
            if let item = selectedItem {
                let held = heldOutUsers(ofItem: item)
                let result = itemResult.flatMap { $0.item == item ? $0 : nil }
                selection = .item(ExploreView.Panel(
                    description: ExplorerQueries.describeItem(item, data: data), heldOutCount: held.count,
                    heldOutShown: held.prefix(12).map { data.dataset.userIDs[Int($0)] },
                    ranking: result.map { r in
                        ExploreView.Ranking(step: r.step, rows: r.users.map {
                            .init(hit: $0.hit, score: $0.score, label: data.dataset.userIDs[$0.user],
                                  isCold: !data.isKnownUser[$0.user],
                                  trainingPositives: $0.user < data.trainPositives.rows ? data.trainPositives.count($0.user) : 0)
                        })
                    }))
            } else {
                selection = .none(what: "item")
            }
        }
        var view = ExploreView(mode: mode, filterLabel: filterLabel, count: mode == .users ? users.count : items.count,
                               rows: rows, selection: selection, hits: hits)
        view.rankingRow = rankingRow
        return view
    }
}

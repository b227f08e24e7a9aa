import Numerics

/// Everything rankings add to the towers' dot product, in the order their columns are
/// appended: the cold-user prior, the cold-item prior, the warm prior, the warm content prior.
/// One place, so the evaluator, the explorer, `recommend`, the few-shot curve and exports rank
/// alike.
public struct ScoringPriors: Sendable, Equatable {
    public var coldUser: ColdUserPrior
    public var coldItem: ColdItemPrior
    public var warm: WarmPrior
    public var warmContent: WarmContentPrior

    public init(coldUser: ColdUserPrior = ColdUserPrior(), coldItem: ColdItemPrior = ColdItemPrior(), warm: WarmPrior = WarmPrior(),
                warmContent: WarmContentPrior = WarmContentPrior()) {
        self.coldUser = coldUser; self.coldItem = coldItem; self.warm = warm; self.warmContent = warmContent
    }

    /// Columns the priors add to both embeddings.
    public var width: Int { coldUser.width + coldItem.width + warm.width + warmContent.width }

    /// `users` and `items` with every prior's columns. `coldUsers` overrides which rows the
    /// cold-user prior treats as cold; `userIDs` names the data's user behind each row when
    /// `users` is not every user in order.
    public func rankingEmbeddings(users: Matrix, items: Matrix, data: TrainingData,
                                  coldUsers: [Bool]? = nil, userIDs: [Int32]? = nil) -> (users: Matrix, items: Matrix) {
        PriorWeight.appending(users: users, items: items, [
            coldUser.columns(data: data, userRows: users.rows, coldUsers: coldUsers, userIDs: userIDs),
            coldItem.columns(data: data, userIDs: userIDs),
            warm.columns(data: data, userIDs: userIDs),
            warmContent.columns(data: data, userIDs: userIDs),
        ])
    }
}

/// Named synthetic worlds for `data generate --preset NAME`: proxies with the statistics of a
/// public data set, to tune on "data in general" rather than on the bundled toy world.
public enum SyntheticPreset: String, CaseIterable, Sendable {
    /// Explicit ratings like MovieLens-100K: 943 users, 1,682 films, 100,000 ratings, ~55 %
    /// positive, user demographics and film genres (`MovieLensProxy`).
    case movielens
    /// Implicit saves like CiteULike-a: 5,551 users, 16,980 articles, ~205,000 positives, a large
    /// Zipfian tag vocabulary, no user content (`CiteULikeProxy`).
    case citeulike

    /// The sizes of the data set the preset stands in for.
    public var size: (users: Int, items: Int, interactions: Int) {
        switch self {
        case .movielens: let o = MovieLensProxy.Options(); return (o.users, o.items, o.ratings)
        case .citeulike: let o = CiteULikeProxy.Options(); return (o.users, o.items, o.saves)
        }
    }

    /// Builds the world with these sizes and writes it to `directory` in the native format.
    public func write(to directory: String, users: Int, items: Int, interactions: Int, seed: UInt64,
                      oracleTopK: Int) throws -> SyntheticWorld.Summary {
        switch self {
        case .movielens:
            var o = MovieLensProxy.Options()
            o.users = users; o.items = items; o.ratings = interactions; o.seed = seed; o.oracleTopK = oracleTopK
            return try MovieLensProxy(options: o).write(to: directory)
        case .citeulike:
            var o = CiteULikeProxy.Options()
            o.users = users; o.items = items; o.saves = interactions; o.seed = seed; o.oracleTopK = oracleTopK
            return try CiteULikeProxy(options: o).write(to: directory)
        }
    }
}

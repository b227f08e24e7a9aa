/// `recommend --json`: a user's top-K items, or an item's top-K users ("which users would get
/// this cold item?"), with scores and held-out hits. A score that is not finite is null.
public enum RecommendationReport {
    /// `recommend --user ID --json`.
    public struct ForUser: Codable, Equatable, Sendable {
        public struct Entry: Codable, Equatable, Sendable {
            public var rank: Int
            public var item: String
            public var score: Double?
            public var title: String?
            public var cold: Bool
            public var heldOut: Bool
            enum CodingKeys: String, CodingKey { case rank, item, score, title, cold, heldOut = "held_out" }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(rank, forKey: .rank)
                try c.encode(item, forKey: .item)
                try c.encodeNumber(score, forKey: .score)
                try c.encodeOrNull(title, forKey: .title)
                try c.encode(cold, forKey: .cold)
                try c.encode(heldOut, forKey: .heldOut)
            }
        }

        public var user: String
        public var cold: Bool
        public var checkpoint: String
        public var k: Int
        public var hits: Int
        public var items: [Entry]

        public init(user: Int, top: [RankedItem], data: TrainingData, checkpoint: String, k: Int) {
            let d = data.dataset
            self.user = d.userIDs[user]
            cold = !data.isKnownUser[user]
            self.checkpoint = checkpoint
            self.k = k
            hits = top.filter(\.hit).count
            items = top.enumerated().map { rank, r in
                Entry(rank: rank + 1, item: d.itemIDs[r.item], score: Double(r.score), title: d.itemContent.title(r.item),
                      cold: !data.isKnownItem[r.item], heldOut: r.hit)
            }
        }
    }

    /// `recommend --item ID --json`.
    public struct ForItem: Codable, Equatable, Sendable {
        public struct Entry: Codable, Equatable, Sendable {
            public var rank: Int
            public var user: String
            public var score: Double?
            public var cold: Bool
            public var heldOut: Bool
            enum CodingKeys: String, CodingKey { case rank, user, score, cold, heldOut = "held_out" }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(rank, forKey: .rank)
                try c.encode(user, forKey: .user)
                try c.encodeNumber(score, forKey: .score)
                try c.encode(cold, forKey: .cold)
                try c.encode(heldOut, forKey: .heldOut)
            }
        }

        public var item: String
        public var title: String?
        public var cold: Bool
        public var checkpoint: String
        public var k: Int
        public var hits: Int
        public var users: [Entry]

        public init(item: Int, top: [RankedUser], data: TrainingData, checkpoint: String, k: Int) {
            let d = data.dataset
            self.item = d.itemIDs[item]
            title = d.itemContent.title(item)
            cold = !data.isKnownItem[item]
            self.checkpoint = checkpoint
            self.k = k
            hits = top.filter(\.hit).count
            users = top.enumerated().map { rank, r in
                Entry(rank: rank + 1, user: d.userIDs[r.user], score: Double(r.score), cold: !data.isKnownUser[r.user], heldOut: r.hit)
            }
        }

        enum CodingKeys: String, CodingKey { case item, title, cold, checkpoint, k, hits, users }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(item, forKey: .item)
            try c.encodeOrNull(title, forKey: .title)
            try c.encode(cold, forKey: .cold)
            try c.encode(checkpoint, forKey: .checkpoint)
            try c.encode(k, forKey: .k)
            try c.encode(hits, forKey: .hits)
            try c.encode(users, forKey: .users)
        }
    }
}

import Foundation
import Numerics

/// A synthetic article-saving world with the statistics of CiteULike-a (the `citeulike` preset
/// of `data generate`): implicit positives only, a large Zipfian tag vocabulary, no user content.
/// Its generative story, each part there to reproduce something measured on real data:
///
/// - Research topics, many and narrow (one per ~85 articles). An article belongs to 1–3 topics, a
///   user follows 1–4, each with Dirichlet shares.
/// - Tags: 20 % of articles have none; the rest have a log-normal number (median ~15 distinct,
///   more on popular articles), each tag drawn from one of the article's topics (a Zipfian list of its
///   own), from a Zipf–Mandelbrot list of general tags, or brand new (the one-off tags that make
///   up over half of the real vocabulary). So tags say a lot about *who* saves an article and
///   little about how many do.
/// - Saves: every user saves at least 10 articles, with a long tail; a save is of a globally
///   popular article 30 % of the time, otherwise of an article popular within one of the user's
///   topics (picked by the user's shares). Popularity is mild with a heavy tail: the top 10 %
///   of articles hold about a third of the saves, the top 1 % under a tenth.
public struct CiteULikeProxy: Sendable {
    public struct Options: Sendable, Equatable {
        public var users = 5_551
        public var items = 16_980
        public var saves = 205_000
        public var seed: UInt64 = 7
        /// Oracle list length per user; 0 = no oracle file.
        public var oracleTopK = 20
        public init() {}
    }

    /// The knobs of the story above, calibrated against CiteULike-a with `scripts/proxy_stats.py`.
    struct Parameters: Sendable, Equatable {
        var itemsPerTopic = 85
        var itemTopics: [Double] = [0.6, 0.3, 0.1]
        var userTopics: [Double] = [0.3, 0.3, 0.25, 0.15]
        /// Log-popularity = popularitySpread · (a Gumbel draw − its mean): a narrow body and a
        /// Pareto-like tail of much-saved articles, as on the real data.
        var popularitySpread: Float = 0.5
        var outsideTopics = 0.3
        var minSaves = 10
        var activityShape = 0.5
        var untagged = 0.2
        var tagsMedian = 21.0
        var tagsSpread: Float = 0.9
        /// How much a popular article's tag count grows with log-popularity.
        var tagsPopularity: Float = 0.5
        /// Tags in the topic and general lists, per article; the Zipf exponents of both.
        var listTagsPerItem = 1.4
        var topicZipf = 1.5
        var generalZipf = 1.2, generalOffset = 5.0
        /// Share of tag draws from the general list, and of brand-new tags.
        var generalTags = 0.35
        var freshTags = 0.055
    }

    public let options: Options
    let parameters: Parameters
    let topicCount: Int
    /// Sparse topic shares: `itemTopic[i]` = [(topic, share)], same for users.
    var itemTopic: [[(Int, Float)]] = [], userTopic: [[(Int, Float)]] = []
    var popularity: [Double] = [], tags: [[Int]] = [], titles: [String] = []
    /// Saves grouped by user: `savedItems[saveStart[u] ..< saveStart[u + 1]]`.
    var saveStart: [Int] = [], savedItems: [Int32] = []
    /// Tags with numbers from here up are one-off tags.
    var listTagCount = 0

    public init(options: Options) { self.init(options: options, parameters: Parameters()) }

    init(options: Options, parameters: Parameters) {
        self.options = options
        self.parameters = parameters
        topicCount = max(2, Int((Double(options.items) / Double(parameters.itemsPerTopic)).rounded()))
        let rng = SplitMix64(seed: options.seed)
        var itemRng = rng.split(1), userRng = rng.split(2), saveRng = rng.split(3)
        makeItems(&itemRng)
        makeUsers(&userRng)
        makeSaves(&saveRng)
    }

    static func topicMixture(_ counts: [Double], topics: Int, _ rng: inout SplitMix64) -> [(Int, Float)] {
        let k = min(ProxyDraws.pick(counts, &rng) + 1, topics)
        var chosen: [Int] = []
        while chosen.count < k { let t = rng.nextInt(below: topics); if !chosen.contains(t) { chosen.append(t) } }
        let shares = ProxyDraws.dirichlet(k, alpha: 1, &rng)
        return zip(chosen, shares).map { ($0, $1) }
    }

    private mutating func makeItems(_ rng: inout SplitMix64) {
        let p = parameters, I = options.items, T = topicCount
        listTagCount = max(T, Int(Double(I) * p.listTagsPerItem))
        let perTopic = max(1, listTagCount / T)
        let topicList = AliasTable(weights: (0..<perTopic).map { 1 / pow(Double($0 + 1), p.topicZipf) })
        let generalList = AliasTable(weights: (0..<listTagCount).map { 1 / pow(Double($0) + 1 + p.generalOffset, p.generalZipf) })
        // General tags are a shuffled view of all list tags, so the top general tags are not the
        // top tags of the first topics.
        var generalOrder = Array(0..<listTagCount)
        for k in stride(from: listTagCount - 1, to: 0, by: -1) { generalOrder.swapAt(k, rng.nextInt(below: k + 1)) }
        var fresh = listTagCount
        for _ in 0..<I {
            let mixture = Self.topicMixture(p.itemTopics, topics: T, &rng)
            let logPopularity = p.popularitySpread * (ProxyDraws.gumbel(&rng) - 0.5772)
            var set = Set<Int>()
            if rng.nextDouble() >= p.untagged {
                let spread = Double(p.tagsSpread * rng.nextGaussian() + p.tagsPopularity * logPopularity)
                let count = max(1, Int((p.tagsMedian * exp(spread)).rounded()))
                for _ in 0..<count {
                    let r = rng.nextDouble()
                    if r < p.freshTags {
                        set.insert(fresh); fresh += 1
                    } else if r < p.freshTags + p.generalTags {
                        set.insert(generalOrder[generalList.sample(&rng)])
                    } else {
                        let t = mixture[ProxyDraws.pick(mixture.map { Double($0.1) }, &rng)].0
                        set.insert(min(t * perTopic + topicList.sample(&rng), listTagCount - 1))
                    }
                }
            }
            let words = (0..<(3 + rng.nextInt(below: 6))).map { _ in PseudoWords.word(rng.nextInt(below: 4_000)) }
            itemTopic.append(mixture); popularity.append(Double(exp(logPopularity)))
            tags.append(set.sorted()); titles.append(PseudoWords.capitalized(words.joined(separator: " ")))
        }
    }

    private mutating func makeUsers(_ rng: inout SplitMix64) {
        for _ in 0..<options.users { userTopic.append(Self.topicMixture(parameters.userTopics, topics: topicCount, &rng)) }
    }

    /// The items of topic t with weights popularity × share, one alias table per topic.
    private func topicTables() -> [(items: [Int32], table: AliasTable)?] {
        var members = [[Int32]](repeating: [], count: topicCount), weights = [[Double]](repeating: [], count: topicCount)
        for (i, mixture) in itemTopic.enumerated() {
            for (t, share) in mixture { members[t].append(Int32(i)); weights[t].append(popularity[i] * Double(share)) }
        }
        return (0..<topicCount).map { members[$0].isEmpty ? nil : (members[$0], AliasTable(weights: weights[$0])) }
    }

    /// Each user draws saves until their count is reached: a globally popular article with
    /// probability `outsideTopics`, else one popular within a topic of theirs; repeats are
    /// drawn again. An article nobody saved gets one save from an activity-weighted user.
    private mutating func makeSaves(_ rng: inout SplitMix64) {
        let p = parameters, U = options.users, I = options.items
        let counts = ProxyDraws.activity(users: U, total: options.saves, floor: p.minSaves, shape: p.activityShape,
                                         cap: max(1, I / 2), &rng)
        let global = AliasTable(weights: popularity)
        let byTopic = topicTables()
        var lists: [[Int32]] = []
        var seen = [Int32](repeating: -1, count: I), saved = [Bool](repeating: false, count: I)
        for u in 0..<U {
            var userRng = rng.split(UInt64(u))
            var list: [Int32] = []
            let shares = userTopic[u].map { Double($0.1) }
            var attempts = 0
            while list.count < counts[u] && attempts < 50 * counts[u] + 100 {
                attempts += 1
                let item: Int
                if userRng.nextDouble() >= p.outsideTopics, let topic = byTopic[userTopic[u][ProxyDraws.pick(shares, &userRng)].0] {
                    item = Int(topic.items[topic.table.sample(&userRng)])
                } else {
                    item = global.sample(&userRng)
                }
                guard seen[item] != Int32(u) else { continue }
                seen[item] = Int32(u); saved[item] = true
                list.append(Int32(item))
            }
            lists.append(list)
        }
        var tailRng = rng.split(UInt64(U))
        let weights = AliasTable(weights: counts.map(Double.init))
        for i in 0..<I where !saved[i] { lists[weights.sample(&tailRng)].append(Int32(i)) }
        saveStart = [0]
        for list in lists { savedItems += list; saveStart.append(savedItems.count) }
    }
}

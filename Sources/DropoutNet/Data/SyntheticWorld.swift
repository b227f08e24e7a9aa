import Foundation
import Numerics

/// A synthetic cold-start world whose truth is known (DESIGN §3.5).
///
/// Every user and item has a latent taste vector made of a content part (from the features a
/// model can see: genres, tags, title and blurb words, age bucket, region, interests) and a
/// hidden part (what only behaviour reveals), mixed by `contentShare`. Impressions follow item
/// popularity — half plain popularity, half "the old recommender": the best of four popular
/// items for that user — and a click happens with probability
/// σ(sharpness · ⟨user, item⟩ + item quality + offset). So the data holds positives and
/// shown-not-clicked negatives, content predicts a cold entity's taste but not all of it, and
/// the exact click probabilities give each user an oracle ranking (an upper bound).
public final class SyntheticWorld: @unchecked Sendable {
    public struct Options: Sendable, Equatable {
        public var users = 4_000
        public var items = 2_500
        public var interactions = 150_000
        public var seed: UInt64 = 7
        public var dimension = 16
        /// Share of taste (variance) carried by observable content; the rest is hidden.
        public var contentShare: Float = 0.7
        public var sharpness: Float = 6
        /// Oracle list length per user; 0 = no oracle file.
        public var oracleTopK = 20
        public init() {}
    }

    public struct Summary: Sendable, Equatable {
        public var users: Int
        public var items: Int
        public var interactions: Int
        public var positives: Int
    }

    public let options: Options
    let d: Int
    /// Row-major taste vectors (users × d, items × d).
    var userTaste: [Float]
    var itemTaste: [Float]
    var itemQuality: [Float]
    var itemPopularity: [Double]
    var userActivity: [Double]
    // Observable content.
    var itemGenre: [Int], itemSecondGenre: [Int?], itemTags: [[Int]], itemYear: [Int], itemPrice: [Double]
    var itemTitle: [String], itemBlurb: [String]
    var userAge: [Int], userRegion: [Int], userInterests: [[Int]], userName: [String], userAccountDays: [Int]

    public init(options: Options) {
        self.options = options
        let dim = options.dimension
        d = dim
        var rng = SplitMix64(seed: options.seed)
        let V = SyntheticVocabulary.self
        func gaussianVector(_ rng: inout SplitMix64) -> [Float] { normalized((0..<dim).map { _ in rng.nextGaussian() }) }
        let genreVec = V.genres.map { _ in gaussianVector(&rng) }
        let tagVec = V.tags.map { _ in gaussianVector(&rng) }
        let ageVec = V.ageBuckets.map { _ in gaussianVector(&rng) }
        let regionVec = V.regions.map { _ in gaussianVector(&rng) }
        let genreWeight = V.genres.map { _ in Double(0.5 + rng.nextFloat()) }
        let eraVec = (0..<8).map { _ in gaussianVector(&rng) }
        let s = options.contentShare.squareRoot(), h = (1 - options.contentShare).squareRoot()
        func pick(_ weights: [Double], _ rng: inout SplitMix64) -> Int {
            var x = rng.nextDouble() * weights.reduce(0, +)
            for (k, w) in weights.enumerated() { x -= w; if x <= 0 { return k } }
            return weights.count - 1
        }
        func capitalized(_ w: String) -> String { w.prefix(1).uppercased() + w.dropFirst() }

        let I = options.items, U = options.users
        itemGenre = []; itemSecondGenre = []; itemTags = []; itemYear = []; itemPrice = []
        itemTitle = []; itemBlurb = []; itemTaste = []; itemQuality = []; itemPopularity = []
        itemTaste.reserveCapacity(I * dim)
        for _ in 0..<I {
            let g = pick(genreWeight, &rng)
            let g2: Int? = rng.nextFloat() < 0.3 ? rng.nextInt(below: V.genres.count) : nil
            var tags = Set<Int>()
            for _ in 0..<(1 + rng.nextInt(below: 3)) {
                let pool = rng.nextFloat() < 0.8 ? V.genres[g].tags : V.tags
                tags.insert(V.tags.firstIndex(of: pool[rng.nextInt(below: pool.count)])!)
            }
            let year = 1950 + Int(74 * rng.nextFloat().squareRoot())
            let era = min((year - 1950) / 10, 7)
            var content = genreVec[g]
            if let g2 { content = add(content, genreVec[g2], 0.5) }
            for t in tags { content = add(content, tagVec[t], 0.4 / Float(tags.count)) }
            content = normalized(add(content, eraVec[era], 0.25))
            let taste = add(scaled(content, s), gaussianVector(&rng), h)
            itemTaste += taste
            let words = V.genres[g].words
            let w1 = capitalized(words[rng.nextInt(below: words.count)])
            let w2 = capitalized((g2.map { V.genres[$0].words } ?? words)[rng.nextInt(below: words.count)])
            let adjective = V.adjectives[rng.nextInt(below: V.adjectives.count)]
            let title: String
            switch rng.nextInt(below: 3) {
            case 0: title = "The \(adjective) \(w1)"
            case 1: title = "\(adjective) \(w1) of the \(w2)"
            default: title = "\(w1) and the \(w2)"
            }
            var blurb: [String] = []
            for _ in 0..<(6 + rng.nextInt(below: 5)) {
                let r = rng.nextFloat()
                let pool = r < 0.6 ? words : (r < 0.8 ? (g2.map { V.genres[$0].words } ?? V.fillers) : V.fillers)
                blurb.append(pool[rng.nextInt(below: pool.count)])
            }
            let quality = rng.nextGaussian()
            itemGenre.append(g); itemSecondGenre.append(g2); itemTags.append(tags.sorted()); itemYear.append(year)
            itemPrice.append((Double(exp(2.3 + 0.6 * rng.nextGaussian())) * 100).rounded() / 100)
            itemTitle.append(title); itemBlurb.append(blurb.joined(separator: " "))
            itemQuality.append(0.5 * quality)
            itemPopularity.append(Double(exp(0.8 * rng.nextGaussian() + 0.5 * quality + Float(year - 1990) / 60)))
        }
        userTaste = []; userActivity = []; userAge = []; userRegion = []; userInterests = []; userName = []; userAccountDays = []
        userTaste.reserveCapacity(U * dim)
        for u in 0..<U {
            var interests = Set<Int>()
            for _ in 0..<(1 + rng.nextInt(below: 3)) { interests.insert(pick(genreWeight, &rng)) }
            let age = rng.nextInt(below: V.ageBuckets.count), region = rng.nextInt(below: V.regions.count)
            var content = [Float](repeating: 0, count: dim)
            for g in interests { content = add(content, genreVec[g], 1 / Float(interests.count)) }
            content = normalized(add(add(content, ageVec[age], 0.4), regionVec[region], 0.2))
            userTaste += add(scaled(content, s), gaussianVector(&rng), h)
            let days = 30 + rng.nextInt(below: 3000)
            userActivity.append(Double(exp(0.8 * rng.nextGaussian())) * (0.7 + Double(days) / 5000))
            userAge.append(age); userRegion.append(region); userInterests.append(interests.sorted())
            userName.append("\(V.firstNames[u % V.firstNames.count]) \(u + 1)"); userAccountDays.append(days)
        }
    }

    /// True click probability of `user` for `item`.
    public func clickProbability(user u: Int, item i: Int) -> Float {
        var dot: Float = 0
        for k in 0..<d { dot += userTaste[u * d + k] * itemTaste[i * d + k] }
        return 1 / (1 + exp(-(options.sharpness * dot + itemQuality[i] - 2.8)))
    }

    /// Writes the native-format dataset (`dataset.toml`, `interactions.csv`, `users.csv`,
    /// `items.csv`) and `oracle.csv` into `directory` (created if needed). Interactions are
    /// generated user by user and streamed out, so memory stays flat at any size.
    @discardableResult
    public func write(to directory: String, progress: ((Double) -> Void)? = nil) throws -> Summary {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ f: String) -> String { (directory as NSString).appendingPathComponent(f) }
        try writeSchema(path("dataset.toml"))
        try writeItems(path("items.csv"))
        try writeUsers(path("users.csv"))
        let summary = try writeInteractions(path("interactions.csv"), progress: progress)
        if options.oracleTopK > 0 { try writeOracle(path("oracle.csv")) }
        return summary
    }

    private func writeSchema(_ path: String) throws {
        let o = options
        let text = """
        name = "synthetic"
        description = "Synthetic cold-start world: \(o.users) users, \(o.items) items, ~\(o.interactions) impressions, seed \(o.seed), content share \(o.contentShare). Generated by `dropoutnet data generate`."

        [users.columns]
        name = "display"
        age = "categorical"
        region = "categorical"
        interests = "multi"
        account_age_days = "numeric"

        [items.columns]
        title = "display"
        genre = "categorical"
        tags = "multi"
        year = "numeric"
        price = "numeric"
        blurb = "text"

        """
        try AtomicFile.writeText(text, to: path)
    }

    private func writeItems(_ path: String) throws {
        let V = SyntheticVocabulary.self
        let sink = try ByteSink(path: path)
        sink.text("item,title,genre,tags,year,price,blurb\n")
        for i in 0..<options.items {
            sink.text("i\(i + 1),"); sink.csvField(itemTitle[i])
            sink.text(",\(V.genres[itemGenre[i]].name),")
            sink.text(itemTags[i].map { V.tags[$0] }.joined(separator: "|"))
            sink.text(",\(itemYear[i]),\(itemPrice[i]),"); sink.csvField(itemBlurb[i]); sink.newline()
        }
        try sink.commit()
    }

    private func writeUsers(_ path: String) throws {
        let V = SyntheticVocabulary.self
        let sink = try ByteSink(path: path)
        sink.text("user,name,age,region,interests,account_age_days\n")
        for u in 0..<options.users {
            sink.text("u\(u + 1),\(userName[u]),\(V.ageBuckets[userAge[u]]),\(V.regions[userRegion[u]]),")
            sink.text(userInterests[u].map { V.genres[$0].name }.joined(separator: "|"))
            sink.text(",\(userAccountDays[u])"); sink.newline()
        }
        try sink.commit()
    }

    private func writeInteractions(_ path: String, progress: ((Double) -> Void)?) throws -> Summary {
        let U = options.users, I = options.items
        let itemSampler = AliasTable(weights: itemPopularity)
        let totalActivity = userActivity.reduce(0, +)
        var rng = SplitMix64(seed: options.seed).split(99)
        var seenStamp = [Int32](repeating: -1, count: I)
        let sink = try ByteSink(path: path)
        var written = 0, positives = 0
        let perUserCap = max(1, I / 2)
        for u in 0..<U {
            let expected = Double(options.interactions) * userActivity[u] / totalActivity
            var n = Int(expected)
            if rng.nextDouble() < expected - Double(n) { n += 1 }
            n = min(max(n, 1), perUserCap)
            for _ in 0..<n {
                var item = -1
                for _ in 0..<20 {
                    var candidate = itemSampler.sample(&rng)
                    if rng.nextFloat() < 0.6 {
                        var best = affinity(u, candidate)
                        for _ in 0..<5 {
                            let c = itemSampler.sample(&rng)
                            let a = affinity(u, c)
                            if a > best && seenStamp[c] != Int32(u) { best = a; candidate = c }
                        }
                    }
                    if seenStamp[candidate] != Int32(u) { item = candidate; break }
                }
                guard item >= 0 else { continue }
                seenStamp[item] = Int32(u)
                let click = rng.nextFloat() < clickProbability(user: u, item: item)
                sink.byte(0x75); sink.int(u + 1); sink.byte(0x2C)
                sink.byte(0x69); sink.int(item + 1); sink.byte(0x2C)
                sink.byte(click ? 0x31 : 0x30); sink.newline()
                written += 1
                if click { positives += 1 }
            }
            if let progress, u % 4096 == 0 { progress(Double(u) / Double(U)) }
        }
        try sink.commit()
        return Summary(users: U, items: I, interactions: written, positives: positives)
    }

    @inline(__always) private func affinity(_ u: Int, _ i: Int) -> Float {
        var dot: Float = 0
        for k in 0..<d { dot += userTaste[u * d + k] * itemTaste[i * d + k] }
        return options.sharpness * dot + itemQuality[i]
    }

    /// `user,items`: each user's top items by true click probability, best first, `|`-separated.
    private func writeOracle(_ path: String) throws {
        let K = min(options.oracleTopK, options.items)
        let sink = try ByteSink(path: path)
        sink.text("user,items\n")
        var top: [(Float, Int)] = []
        for u in 0..<options.users {
            top.removeAll(keepingCapacity: true)
            for i in 0..<options.items {
                let a = affinity(u, i)
                if top.count < K { top.append((a, i)); if top.count == K { top.sort { $0.0 > $1.0 } }; continue }
                if a > top[K - 1].0 {
                    var k = K - 1
                    while k > 0 && top[k - 1].0 < a { top[k] = top[k - 1]; k -= 1 }
                    top[k] = (a, i)
                }
            }
            if top.count < K { top.sort { $0.0 > $1.0 } }
            sink.text("u\(u + 1),")
            sink.text(top.map { "i\($0.1 + 1)" }.joined(separator: "|"))
            sink.newline()
        }
        try sink.commit()
    }
}

/// Walker's alias method: O(1) draws from a fixed discrete distribution.
struct AliasTable {
    private var probability: [Float]
    private var alias: [Int32]

    init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        probability = [Float](repeating: 1, count: n)
        alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for (k, p) in scaled.enumerated() { if p < 1 { small.append(k) } else { large.append(k) } }
        while let s = small.popLast(), let l = large.last {
            probability[s] = Float(scaled[s])
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
    }

    @inline(__always) func sample(_ rng: inout SplitMix64) -> Int {
        let k = rng.nextInt(below: probability.count)
        return rng.nextFloat() < probability[k] ? k : Int(alias[k])
    }
}

private func normalized(_ v: [Float]) -> [Float] {
    let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return n > 0 ? v.map { $0 / n } : v
}
private func add(_ a: [Float], _ b: [Float], _ w: Float) -> [Float] { zip(a, b).map { $0 + w * $1 } }
private func scaled(_ a: [Float], _ w: Float) -> [Float] { a.map { $0 * w } }

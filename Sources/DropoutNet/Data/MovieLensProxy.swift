import Foundation
import Numerics

/// A synthetic film-rating world with the statistics of MovieLens-100K (the `movielens` preset
/// of `data generate`): a realistic proxy to tune on when the real evaluation data is out of
/// reach. Its generative story, each part there to reproduce something measured on real data:
///
/// - Every user rates at least 20 films, and activity has a long tail (a Gamma share of the
///   rest): rows per user 20 / 65 / 244 / 737 at min / median / p90 / max.
/// - What a user rates is chosen, not shown: films are drawn without replacement in proportion
///   to popularity × exp(sharpness · taste affinity). Popularity is log-normal and partly made of
///   quality, of the film's genres (more genres, more popular; some genres more than others) and
///   of "survivorship" (an old film still in the catalogue is a better one), so the top 10 % of
///   films hold about half of the positives, genres tell something about a cold film's
///   popularity, and popular films are liked more often.
/// - A rating is positive (≥ 4) with probability σ(like · affinity + quality + user bias +
///   offset): about 55 % positives, the rest shown-not-clicked rows, users from harsh to kind.
/// - Taste: a film's is mostly its genres and era, the rest hidden; a user's is a quarter their
///   age bucket, gender and occupation and three quarters hidden, so demographics beat global
///   popularity for a cold user only a little, as on the real data. Titles say a little: some words belong
///   to a genre, and a few films are sequels sharing their original's title and taste.
///
/// Files: users (age bucket, gender, occupation, zip code shown only), films (title shown,
/// genres, decade, title words) — the columns the MovieLens loader gives the model.
public struct MovieLensProxy: Sendable {
    public struct Options: Sendable, Equatable {
        public var users = 943
        public var items = 1_682
        public var ratings = 100_000
        public var seed: UInt64 = 7
        /// Oracle list length per user; 0 = no oracle file.
        public var oracleTopK = 20
        public init() {}
    }

    /// The knobs of the story above, calibrated against ML-100K with `scripts/proxy_stats.py`.
    struct Parameters: Sendable, Equatable {
        /// Taste dimensions: at least one per genre, so genres can be orthogonal.
        var dimension = 24
        /// Minimum ratings per user, and the Gamma shape of the activity tail.
        var minRatings = 20
        var activityShape = 0.75
        /// Share of a user's taste carried by demographics; of a film's by genres and era. 0.25
        /// makes demographics as weak as on ML-100K: ranking by the popularity within a cold
        /// user's age bucket beats global popularity by ~0.013 recall@20 (real: 0.168 → 0.179),
        /// and the default model beats it by ~0.01 (LightFM on ML-1M: 0.168 → 0.186). At 0.1
        /// both lifts were within noise of zero; at 0.3 the age bucket alone gave +0.016.
        var userContentShare: Float = 0.25
        var itemContentShare: Float = 0.38
        var eraWeight: Float = 0.3
        /// Share of films that are sequels of an earlier one (its genres, title words, most of
        /// its taste), and of title words tied to the film's genres: titles say a little.
        var seriesShare = 0.06
        var seriesLikeness: Float = 0.6
        var genreTitleWords = 0.25
        /// Log-popularity = genreCount · (genres − 1) + genreAppeal · (mean appeal of its genres)
        /// + qualityPopularity · quality + noise: a film with more genres reaches more people.
        var genreCount: Float = 0.6
        var genreAppeal: Float = 0.5
        var popularityNoise: Float = 1.5
        var qualityPopularity: Float = 1.4
        /// Quality bonus of films older than the newest decade.
        var survivorQuality: Float = 0.2
        /// exp(selection · affinity) multiplies popularity when a user picks what to rate.
        var selection: Float = 16
        /// Positive-rating logit = like · affinity + qualityLike · quality + user bias + offset.
        var like: Float = 5.5
        var qualityLike: Float = 2.1
        var userBias: Float = 1.1
        var likeOffset: Float = -2.8
    }

    public let options: Options
    let parameters: Parameters
    // Films.
    var genres: [[Int]] = [], decade: [Int] = [], year: [Int] = [], titles: [String] = []
    var itemTaste: [Float] = [], quality: [Float] = [], logPopularity: [Float] = []
    // Users.
    var age: [Int] = [], gender: [Int] = [], occupation: [Int] = [], zip: [String] = []
    var userTaste: [Float] = [], userBias: [Float] = []
    /// Ratings grouped by user: `ratedItems[ratingStart[u] ..< ratingStart[u + 1]]`.
    var ratingStart: [Int] = [], ratedItems: [Int32] = [], positive: [Bool] = []

    public init(options: Options) { self.init(options: options, parameters: Parameters()) }

    init(options: Options, parameters: Parameters) {
        self.options = options
        self.parameters = parameters
        let rng = SplitMix64(seed: options.seed)
        var itemRng = rng.split(1), userRng = rng.split(2), ratingRng = rng.split(3)
        makeItems(&itemRng)
        makeUsers(&userRng)
        makeRatings(&ratingRng)
    }

    var d: Int { parameters.dimension }

    @inline(__always) func affinity(_ u: Int, _ i: Int) -> Float {
        var dot: Float = 0
        for k in 0..<d { dot += userTaste[u * d + k] * itemTaste[i * d + k] }
        return dot
    }

    @inline(__always) func likeLogit(_ u: Int, _ i: Int, affinity a: Float) -> Float {
        parameters.like * a + parameters.qualityLike * quality[i] + userBias[u] + parameters.likeOffset
    }

    private mutating func makeItems(_ rng: inout SplitMix64) {
        let V = MovieLensProxyVocabulary.self, p = parameters, I = options.items
        let genreVectors = ProxyDraws.orthonormalVectors(V.genres.count, d, &rng)
        let eraVectors = ProxyDraws.unitVectors(V.decades.count, d, &rng)
        let genreWeights = V.genres.map(\.weight), decadeWeights = V.decades.map(\.weight)
        let hidden = ProxyDraws.unitVectors(I, d, &rng)
        var stems: [String] = []
        for i in 0..<I {
            let original: Int? = i > 0 && rng.nextDouble() < p.seriesShare ? rng.nextInt(below: i) : nil
            var g: [Int] = [], dec: Int
            if let o = original {
                g = genres[o]
                dec = min(decade[o] + (rng.nextFloat() < 0.3 ? 1 : 0), V.decades.count - 1)
            } else {
                let count = ProxyDraws.pick(V.genresPerItem, &rng) + 1
                while g.count < count {
                    let c = ProxyDraws.pick(genreWeights, &rng)
                    if !g.contains(c) { g.append(c) }
                }
                g.sort()
                dec = ProxyDraws.pick(decadeWeights, &rng)
            }
            let start = V.decades[dec].start
            let y = start + rng.nextInt(below: max(1, min(10, V.lastYear - start + 1)))
            var content = [Float](repeating: 0, count: d)
            for c in g { for k in 0..<d { content[k] += genreVectors[c * d + k] } }
            for k in 0..<d { content[k] += p.eraWeight * eraVectors[dec * d + k] }
            let norm = content.reduce(0) { $0 + $1 * $1 }.squareRoot()
            var taste = (0..<d).map { k in
                p.itemContentShare.squareRoot() * content[k] / norm + (1 - p.itemContentShare).squareRoot() * hidden[i * d + k]
            }
            var q = rng.nextGaussian() + (dec < V.decades.count - 1 ? p.survivorQuality : 0)
            if let o = original {
                // A sequel: mostly the original's taste and quality.
                let keep = p.seriesLikeness.squareRoot(), fresh = (1 - p.seriesLikeness).squareRoot()
                for k in 0..<d { taste[k] = keep * itemTaste[o * d + k] + fresh * taste[k] }
                q = keep * quality[o] + fresh * q
            }
            itemTaste += taste
            let appeal = g.reduce(Float(0)) { $0 + V.genres[$1].appeal } / Float(g.count)
            let pop = p.genreCount * Float(g.count - 1) + p.genreAppeal * appeal
                + p.qualityPopularity * q + p.popularityNoise * rng.nextGaussian()
            let title: String
            if let o = original {
                title = stems[o] + " " + V.sequelMarks[rng.nextInt(below: V.sequelMarks.count)]
                stems.append(stems[o])
            } else {
                // 1–3 made-up words, some tied to the film's genres, others Zipf-frequent at large;
                // sometimes an ordinary opening word.
                var words: [String] = []
                for _ in 0..<(1 + ProxyDraws.pick([0.45, 0.35, 0.2], &rng)) {
                    let n: Int
                    if rng.nextDouble() < p.genreTitleWords {
                        n = V.titleWordCount + g[rng.nextInt(below: g.count)] * V.wordsPerGenre + rng.nextInt(below: V.wordsPerGenre)
                    } else {
                        n = Int(Double(V.titleWordCount) * pow(rng.nextDouble(), 2.5))
                    }
                    words.append(PseudoWords.capitalized(PseudoWords.word(n)))
                }
                stems.append(words.joined(separator: " "))
                title = (rng.nextFloat() < 0.35 ? V.titleStarts[rng.nextInt(below: V.titleStarts.count)] + " " : "") + stems[i]
            }
            genres.append(g); decade.append(dec); year.append(y); titles.append(title)
            quality.append(q); logPopularity.append(pop)
        }
    }

    private mutating func makeUsers(_ rng: inout SplitMix64) {
        let V = MovieLensProxyVocabulary.self, p = parameters, U = options.users
        let ageVectors = ProxyDraws.unitVectors(V.ageBuckets.count, d, &rng)
        let genderVectors = ProxyDraws.unitVectors(V.genders.count, d, &rng)
        let occupationVectors = ProxyDraws.unitVectors(V.occupations.count, d, &rng)
        let hidden = ProxyDraws.unitVectors(U, d, &rng)
        for u in 0..<U {
            let a = ProxyDraws.pick(V.ageBuckets.map(\.weight), &rng)
            let g = ProxyDraws.pick(V.genders.map(\.weight), &rng)
            let o = ProxyDraws.pick(V.occupationWeights(ageBucket: a), &rng)
            var content = [Float](repeating: 0, count: d)
            for k in 0..<d {
                content[k] = ageVectors[a * d + k] + 0.7 * genderVectors[g * d + k] + 0.5 * occupationVectors[o * d + k]
            }
            let norm = content.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for k in 0..<d {
                userTaste.append(p.userContentShare.squareRoot() * content[k] / norm
                                 + (1 - p.userContentShare).squareRoot() * hidden[u * d + k])
            }
            userBias.append(p.userBias * rng.nextGaussian())
            age.append(a); gender.append(g); occupation.append(o)
            zip.append(String(format: "%05d", rng.nextInt(below: 100_000)))
        }
    }

    /// Each user picks what to rate (Gumbel top-k of log-popularity + selection · affinity), then
    /// likes it or not; a film nobody picked gets one rating from an activity-weighted user, so
    /// every film has a rating, as in a catalogue built from ratings.
    private mutating func makeRatings(_ rng: inout SplitMix64) {
        let p = parameters, U = options.users, I = options.items
        let counts = ProxyDraws.activity(users: U, total: options.ratings, floor: p.minRatings, shape: p.activityShape,
                                         cap: max(1, I / 2), &rng)
        var lists: [[Int32]] = []
        lists.reserveCapacity(U)
        var keys = [Float](repeating: 0, count: I)
        var index = [Int32](repeating: 0, count: I), value = [Float](repeating: 0, count: I)
        var rated = [Bool](repeating: false, count: I)
        for u in 0..<U {
            var userRng = rng.split(UInt64(u))
            for i in 0..<I { keys[i] = logPopularity[i] + p.selection * affinity(u, i) + ProxyDraws.gumbel(&userRng) }
            let got = keys.withUnsafeBufferPointer { k in
                TopK.select(k.baseAddress!, count: I, k: counts[u], indices: &index, values: &value)
            }
            let list = Array(index[0..<got])
            for i in list { rated[Int(i)] = true }
            lists.append(list)
        }
        var tailRng = rng.split(UInt64(U))
        let weights = AliasTable(weights: counts.map(Double.init))
        for i in 0..<I where !rated[i] { lists[weights.sample(&tailRng)].append(Int32(i)) }
        ratingStart = [0]
        for u in 0..<U {
            var likeRng = rng.split(UInt64(U + 1 + u))
            for i in lists[u] {
                ratedItems.append(i)
                let logit = likeLogit(u, Int(i), affinity: affinity(u, Int(i)))
                positive.append(likeRng.nextFloat() < ProxyDraws.sigmoid(logit))
            }
            ratingStart.append(ratedItems.count)
        }
    }
}

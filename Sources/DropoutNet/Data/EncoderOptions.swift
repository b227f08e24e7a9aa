/// How `FeatureEncoder` turns content columns into model inputs: the encoding scheme and its
/// limits. Stored in checkpoints (`ModelCheckpoint.encoderOptions(of:)`) because a model's
/// first content layer only fits the encoding it was trained on.
public struct EncoderOptions: Sendable, Equatable, Codable {
    /// Versions of the encoding. A checkpoint records its scheme; one written before schemes
    /// existed decodes to `.hashedTags`, so it keeps loading with the features it was trained on.
    public enum Scheme: Int, Sendable, Codable, CaseIterable {
        /// Until full-vocabulary tf-idf: a categorical/multi column with more than
        /// `categoricalCap` (5,000) values is hashed into `hashBuckets` (4,096) multi-hot buckets;
        /// text is tf-idf with the smoothed idf log((1 + N) / (1 + df)) + 1 over the
        /// `textVocabularyCap` (20,000) most frequent words with df ≥ 2.
        case hashedTags = 1
        /// Bag-like content (text, and multi columns with more than `multiHotCap` values such as
        /// tags) is tf-idf over its whole training vocabulary — every tag; text words with
        /// df ≥ `textMinDocumentFrequency`, up to `textVocabularyCap` — with tf = log(1 + count),
        /// idf = log(N / (1 + df)) over the N fitted rows, terms with idf ≤ 0 dropped, each row
        /// L2-normalised within its column. A categorical/multi column is hashed only beyond
        /// `categoricalCap` values.
        case fullVocabulary = 2
        /// `.fullVocabulary` with text cut into words (`TextTokenizer.words`): a hyphenated
        /// word such as the tag `sci-fi` is one term, and stop words (`the`, `of`) are none.
        case wholeWords = 3
    }

    /// How text columns are cut into terms under this scheme.
    var textTokenizer: TextTokenizer { scheme == .wholeWords ? .words : .alphanumericRuns }

    public var scheme: Scheme
    /// Most frequent words kept per text column (by document frequency among fitted rows).
    public var textVocabularyCap: Int
    /// Words seen in fewer fitted rows than this are dropped.
    public var textMinDocumentFrequency: Int
    /// A categorical/multi column with more distinct values than this is hashed instead.
    public var categoricalCap: Int
    /// Buckets of a hashed categorical/multi column.
    public var hashBuckets: Int
    /// `.fullVocabulary`: a multi column with at most this many distinct values (genres,
    /// interests: a list one could read) stays multi-hot; with more (tags, keywords) it is
    /// weighted by tf-idf, where a rare value says more than a common one. Unused by `.hashedTags`.
    public var multiHotCap: Int
    /// `content.svd`: project each side's sparse content onto its top K right singular vectors
    /// (fitted on the training rows) and z-score it; 0 = keep it sparse.
    public var svd: Int
    /// Seed of the randomized SVD's sketch (small: checkpoints keep these options as JSON numbers).
    public var svdSeed: UInt64

    /// The defaults of `scheme` (the current one unless asked).
    ///
    /// `.fullVocabulary` caps every vocabulary at 65,536 entries: the first content layer is
    /// vocabulary × width floats, and with its gradient and Adam's two moments that is 16 bytes
    /// per entry and unit — 256 MiB for one column at the cap with the default 256 units, as
    /// much as a shared 2-core machine should give a single input. It keeps CiteULike's 46,390
    /// tags whole; beyond it a column is long-tailed ids or keywords, hashed into as many buckets.
    /// Text drops words of a single training row (min-df 2), tags keep them: on CiteULike's
    /// tags (the only bag there) a kernel ridge regression onto the WMF item factors reached
    /// the same cold-item recall@100 with min-df 2 as with 1 (0.597 either way, at its best
    /// ridge), on 16,288 instead of 40,782 columns (`scripts/content_signal_krr.py`); a text
    /// column's df-1 tail is mostly typos and ids, each a row trained by one item.
    public init(scheme: Scheme = .wholeWords) {
        self.scheme = scheme
        svd = 0
        svdSeed = 1
        switch scheme {
        case .hashedTags:
            textVocabularyCap = 20_000; textMinDocumentFrequency = 2
            categoricalCap = 5_000; hashBuckets = 4_096; multiHotCap = 0
        case .fullVocabulary, .wholeWords:
            textVocabularyCap = 65_536; textMinDocumentFrequency = 2
            categoricalCap = 65_536; hashBuckets = 65_536; multiHotCap = 1_000
        }
    }

    /// The current scheme's defaults with some limits changed (tests, experiments).
    public init(textVocabularyCap: Int? = nil, textMinDocumentFrequency: Int? = nil, categoricalCap: Int? = nil,
                hashBuckets: Int? = nil, multiHotCap: Int? = nil, svd: Int = 0) {
        self.init()
        if let textVocabularyCap { self.textVocabularyCap = textVocabularyCap }
        if let textMinDocumentFrequency { self.textMinDocumentFrequency = textMinDocumentFrequency }
        if let categoricalCap { self.categoricalCap = categoricalCap }
        if let hashBuckets { self.hashBuckets = hashBuckets }
        if let multiHotCap { self.multiHotCap = multiHotCap }
        self.svd = svd
    }

    /// What checkpoints written before schemes existed used.
    public static var hashedTags: EncoderOptions { EncoderOptions(scheme: .hashedTags) }

    enum CodingKeys: String, CodingKey {
        case scheme, textVocabularyCap, textMinDocumentFrequency, categoricalCap, hashBuckets, multiHotCap, svd, svdSeed
    }

    /// Missing keys take the defaults of the recorded scheme, and a missing scheme is
    /// `.hashedTags` (the only encoding before the key existed).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(scheme: try c.decodeIfPresent(Scheme.self, forKey: .scheme) ?? .hashedTags)
        textVocabularyCap = try c.decodeIfPresent(Int.self, forKey: .textVocabularyCap) ?? textVocabularyCap
        textMinDocumentFrequency = try c.decodeIfPresent(Int.self, forKey: .textMinDocumentFrequency) ?? textMinDocumentFrequency
        categoricalCap = try c.decodeIfPresent(Int.self, forKey: .categoricalCap) ?? categoricalCap
        hashBuckets = try c.decodeIfPresent(Int.self, forKey: .hashBuckets) ?? hashBuckets
        multiHotCap = try c.decodeIfPresent(Int.self, forKey: .multiHotCap) ?? multiHotCap
        svd = try c.decodeIfPresent(Int.self, forKey: .svd) ?? svd
        svdSeed = try c.decodeIfPresent(UInt64.self, forKey: .svdSeed) ?? svdSeed
    }
}

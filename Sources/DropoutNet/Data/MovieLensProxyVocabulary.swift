/// The categories of the MovieLens-like proxy and how often each occurs. The shares are
/// statistics of a film-rating catalogue of the ML-100K kind (rounded); the names are ordinary
/// words, and every title is made up (`PseudoWords`).
enum MovieLensProxyVocabulary {
    /// Genres with their share of genre labels and their appeal: how far the log-popularity of
    /// a film of the genre sits above or below the average film's (war films and science fiction
    /// draw many ratings each, documentaries few). An item has 1–5 genres.
    static let genres: [(name: String, weight: Double, appeal: Float)] = [
        ("Drama", 725, 0), ("Comedy", 505, 0), ("Thriller", 251, 0.5), ("Action", 251, 0.5), ("Romance", 247, 0.5),
        ("Adventure", 135, 0.7), ("Children", 122, 0), ("Crime", 109, 0.3), ("Sci-Fi", 101, 1), ("Horror", 92, -0.1),
        ("War", 71, 1.2), ("Mystery", 61, 0.8), ("Musical", 56, 0.9), ("Documentary", 50, -0.9), ("Animation", 42, 0.8),
        ("Western", 27, 0.4), ("Film-Noir", 24, 0.7), ("Fantasy", 22, -0.1),
    ]
    /// Share of items with 1, 2, 3, 4, 5 genres.
    static let genresPerItem: [Double] = [0.50, 0.34, 0.125, 0.03, 0.005]
    /// Decades, oldest first, with their share of the catalogue: most items are recent.
    static let decades: [(start: Int, weight: Double)] = [
        (1920, 2), (1930, 29), (1940, 45), (1950, 57), (1960, 46), (1970, 55), (1980, 110), (1990, 1336),
    ]
    /// The catalogue's last release year (the newest decade stops there).
    static let lastYear = 1998
    /// The age buckets of the MovieLens loader, with their share of users.
    static let ageBuckets: [(name: String, weight: Double)] = [
        ("<18", 36), ("18-24", 198), ("25-34", 310), ("35-44", 194), ("45-49", 80), ("50-55", 73), ("56+", 52),
    ]
    static let genders: [(name: String, weight: Double)] = [("M", 71), ("F", 29)]
    /// Occupations with their share of users (students most, a long tail of rare ones).
    static let occupations: [(name: String, weight: Double)] = [
        ("student", 196), ("other", 105), ("teacher", 95), ("engineer", 79), ("programmer", 67), ("administrator", 66),
        ("writer", 51), ("librarian", 45), ("technician", 32), ("manager", 31), ("nurse", 28), ("artist", 27),
        ("musician", 26), ("scientist", 18), ("marketing", 16), ("retired", 14), ("lawyer", 12), ("sales", 12),
        ("unemployed", 9), ("homemaker", 7), ("doctor", 7),
    ]

    /// How likely an occupation is at an age bucket, relative to its base share: students are
    /// young, the retired old; other occupations do not depend on age.
    static func occupationWeights(ageBucket: Int) -> [Double] {
        occupations.map { o in
            switch o.name {
            case "student": return o.weight * [4, 2.5, 0.6, 0.1, 0.05, 0.05, 0.02][ageBucket]
            case "retired": return o.weight * [0, 0, 0, 0.1, 0.5, 2, 12][ageBucket]
            default: return o.weight
            }
        }
    }

    /// Ordinary words that start some titles; the rest of a title is made-up words: the first
    /// `titleWordCount` made-up words at large, then `wordsPerGenre` of each genre's own.
    static let titleStarts = ["The", "A", "My", "Last", "Little", "Big", "Night", "Return of the", "Love", "Man"]
    static let titleWordCount = 3_000
    static let wordsPerGenre = 40
    /// How a sequel's title ends.
    static let sequelMarks = ["2", "II", "3", "III", "Part Two", "Returns", "Forever", "Again"]
}

/// Readable names for the synthetic world: genres with their own title words, tags, regions.
/// Content words are tied to genres so that titles and blurbs genuinely predict taste.
enum SyntheticVocabulary {
    struct Genre { let name: String; let words: [String]; let tags: [String] }

    static let genres: [Genre] = [
        Genre(name: "Sci-Fi", words: ["galaxy", "robot", "orbit", "star", "quantum", "android", "nebula", "colony"], tags: ["space", "future", "ai"]),
        Genre(name: "Mystery", words: ["secret", "shadow", "clue", "detective", "alibi", "cipher", "witness", "vault"], tags: ["whodunit", "noir", "puzzle"]),
        Genre(name: "Romance", words: ["heart", "kiss", "summer", "promise", "letters", "wedding", "moonlight", "rose"], tags: ["love", "feelgood", "drama"]),
        Genre(name: "Cooking", words: ["kitchen", "spice", "bread", "garden", "feast", "recipe", "butter", "harvest"], tags: ["food", "homemade", "baking"]),
        Genre(name: "History", words: ["empire", "war", "king", "ancient", "revolution", "dynasty", "siege", "crown"], tags: ["biography", "classic", "war"]),
        Genre(name: "Travel", words: ["road", "island", "journey", "mountain", "coast", "passport", "desert", "harbor"], tags: ["adventure", "outdoors", "maps"]),
        Genre(name: "Fantasy", words: ["dragon", "wizard", "kingdom", "sword", "spell", "forest", "quest", "rune"], tags: ["magic", "epic", "adventure"]),
        Genre(name: "Business", words: ["market", "startup", "profit", "leader", "strategy", "capital", "venture", "growth"], tags: ["career", "finance", "howto"]),
        Genre(name: "Horror", words: ["haunted", "blood", "midnight", "curse", "grave", "scream", "ghost", "cellar"], tags: ["scary", "dark", "supernatural"]),
        Genre(name: "Comedy", words: ["banana", "oops", "wedding", "chaos", "uncle", "parrot", "prank", "pickle"], tags: ["funny", "feelgood", "family"]),
        Genre(name: "Science", words: ["atom", "cell", "climate", "brain", "evolution", "gene", "energy", "ocean"], tags: ["nature", "explained", "future"]),
        Genre(name: "Sports", words: ["goal", "champion", "marathon", "coach", "season", "stadium", "record", "trophy"], tags: ["fitness", "biography", "team"]),
    ]
    static let adjectives = ["Silent", "Last", "Hidden", "Golden", "Broken", "Endless", "Little", "Crimson", "Lost", "Bright",
                             "Wild", "Secret", "Quiet", "Final", "First", "Distant", "Burning", "Frozen", "Gentle", "Strange"]
    static let fillers = ["story", "tale", "guide", "life", "world", "night", "day", "book", "year", "people"]
    static let regions = ["north", "south", "east", "west", "central", "coast", "islands", "highlands"]
    static let ageBuckets = ["18-24", "25-34", "35-44", "45-54", "55+"]
    static let firstNames = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia",
                             "Omar", "Pia", "Quin", "Rosa", "Sam", "Tess", "Uma", "Vik", "Wen", "Xan", "Yara", "Zed"]
    /// Every distinct tag, in a stable order.
    static let tags: [String] = {
        var seen = Set<String>(), out: [String] = []
        for g in genres { for t in g.tags where seen.insert(t).inserted { out.append(t) } }
        return out
    }()
}

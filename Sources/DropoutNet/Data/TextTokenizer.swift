/// How a text column (titles, descriptions, MovieLens tags joined by spaces) is cut into the
/// terms tf-idf counts. `EncoderOptions.Scheme` picks one, so a checkpoint keeps the terms it
/// was trained on.
enum TextTokenizer: Sendable, Equatable {
    /// Lower-cased alphanumeric runs of at least two characters (schemes 1 and 2): `sci-fi`
    /// becomes `sci` and `fi`, and `the` is a term like any other.
    case alphanumericRuns
    /// Lower-cased words of at least two characters, a hyphen between letters or digits kept
    /// (`sci-fi`, `x-men`, `post-apocalyptic` stay whole: split, `fi` means nothing and `sci`
    /// merges with `sci-fi`'s neighbours), English stop words dropped (`the` is in a fifth of
    /// MovieLens titles: a common term that tf-idf still lets dominate a short title).
    case words

    func terms(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var pendingHyphen = false
        let keepsHyphens = self == .words
        func close() {
            if current.count >= 2 && !(keepsHyphens && TextTokenizer.stopWords.contains(current)) { out.append(current) }
            current.removeAll(keepingCapacity: true)
            pendingHyphen = false
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                if pendingHyphen { current.append("-"); pendingHyphen = false }
                current.append(ch)
            } else if keepsHyphens && ch == "-" && !current.isEmpty && !pendingHyphen {
                pendingHyphen = true                  // kept only if a letter or digit follows
            } else {
                close()
            }
        }
        close()
        return out
    }

    /// Function words that say nothing about a title or a tag (English: MovieLens, CiteULike).
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in", "into", "is", "it", "its",
        "of", "on", "or", "so", "than", "that", "the", "their", "then", "there", "these", "this", "to", "was",
        "were", "will", "with",
    ]
}

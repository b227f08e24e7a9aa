/// Pronounceable made-up words for the proxy worlds' large vocabularies (title words, tags).
///
/// Word n is the n-th consonant–vowel syllable string in a fixed order: two syllables for the
/// first 70², three after that. Distinct numbers give distinct words, so a vocabulary of any size
/// is just a range of numbers, and no real catalogue's words are needed.
enum PseudoWords {
    private static let syllables: [String] = {
        var out: [String] = []
        for c in ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"] {
            for v in ["a", "e", "i", "o", "u"] { out.append(c + v) }
        }
        return out
    }()

    /// Number of distinct two-syllable words; word numbers below it are the short ones.
    static let shortWords = 70 * 70

    static func word(_ n: Int) -> String {
        precondition(n >= 0)
        let s = syllables.count
        var rest = n, length = 2
        if rest >= shortWords { rest -= shortWords; length = 3 }
        var parts: [String] = []
        for _ in 0..<length { parts.append(syllables[rest % s]); rest /= s }
        if rest > 0 { parts.append(String(rest)) }   // beyond 70² + 70³ words: a numeric suffix keeps them distinct
        return parts.joined()
    }

    static func capitalized(_ w: String) -> String { w.prefix(1).uppercased() + w.dropFirst() }
}

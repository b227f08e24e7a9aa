/// "Did you mean": the known key nearest to a mistyped one, so `--set item_droput=0.5` or a
/// config file's `negative.m` names the fix instead of a list of sixty keys.
extension Settings {
    /// The keys closest to `key` by edit distance (of the whole key, or of its last dotted part:
    /// `m` finds `negatives.m`), when close enough to be a typo: at most a third of the longer
    /// word's letters. Ties keep table order.
    public static func suggestions(for key: String) -> [String] {
        let typed = key.lowercased()
        var best: [(key: String, distance: Int)] = []
        for candidate in keys {
            var forms = [candidate]
            if !typed.contains("."), let dot = candidate.lastIndex(of: ".") { forms.append(String(candidate[candidate.index(after: dot)...])) }
            let close = forms.map { ($0, editDistance(typed, $0)) }.filter { form, d in d <= max(1, max(typed.count, form.count) / 3) }
            guard let d = close.map(\.1).min() else { continue }
            best.append((candidate, d))
        }
        guard let nearest = best.map(\.distance).min() else { return [] }
        return best.filter { $0.distance == nearest }.map(\.key)
    }

    /// Levenshtein distance over characters (insert, delete, substitute one each).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The message for an unknown key: the nearest keys when there are some, else every key.
    static func unknownKeyMessage(_ key: String) -> String {
        let near = suggestions(for: key)
        if near.isEmpty { return "unknown setting; known: \(keys.joined(separator: ", "))" }
        let quoted = near.map { "'\($0)'" }
        return "unknown setting; did you mean \(quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!)? (`dropoutnet settings` lists every key)"
    }
}

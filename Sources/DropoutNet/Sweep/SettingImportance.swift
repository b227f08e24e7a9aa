/// How much of the spread of the objective each swept setting explains: a one-way analysis of
/// variance per setting over the trials given (η² = between-group sum of squares / total).
///
/// Choices group by value; a range's trials are cut by rank into at most `bins` groups of about
/// equal size (on the setting's axis), with at least 3 trials a group — with one trial a group,
/// every setting would explain everything. Each setting is looked at alone, so two settings that move
/// together share the credit, and with few trials every η² leans high (more groups explain more
/// by chance): read the order, not the number.
public enum SettingImportance {
    public struct Share: Sendable, Equatable {
        public var key: String
        /// 0…1: the fraction of the objective's variance explained by this setting's groups.
        public var share: Double
    }

    /// One share per parameter, in the parameters' order; 0 when fewer than 3 trials or no
    /// spread at all.
    public static func shares(values: [[String: String]], objectives: [Double], parameters: [SweepParameter],
                              bins: Int = 4) -> [Share] {
        precondition(values.count == objectives.count)
        let n = objectives.count
        guard n >= 3 else { return parameters.map { Share(key: $0.key, share: 0) } }
        let mean = objectives.reduce(0, +) / Double(n)
        let total = objectives.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return parameters.map { p in
            guard total > 0 else { return Share(key: p.key, share: 0) }
            let groups = group(values.map { $0[p.key] ?? "" }, parameter: p, bins: bins)
            var between = 0.0
            for members in groups.values {
                let m = members.reduce(0) { $0 + objectives[$1] } / Double(members.count)
                between += Double(members.count) * (m - mean) * (m - mean)
            }
            return Share(key: p.key, share: min(1, max(0, between / total)))
        }
    }

    /// Trial indices by group: by value for choices (and values off the axis), by rank bin for
    /// a range.
    static func group(_ texts: [String], parameter p: SweepParameter, bins: Int) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        let coords = texts.map { p.coordinate(of: $0) }
        let numeric = coords.enumerated().compactMap { i, c in c.map { (i, $0) } }.sorted { $0.1 < $1.1 }
        if p.axis != nil && numeric.count == texts.count {
            let b = max(1, min(bins, numeric.count / 3))
            var rank = 0
            while rank < numeric.count {
                // Equal values stay in one bin.
                var end = rank + 1
                while end < numeric.count && numeric[end].1 == numeric[rank].1 { end += 1 }
                let bin = rank * b / numeric.count
                for j in rank..<end { out["bin\(bin)", default: []].append(numeric[j].0) }
                rank = end
            }
        } else {
            for (i, t) in texts.enumerated() { out[t, default: []].append(i) }
        }
        return out
    }
}

/// Which sides' preference dropout trains something an evaluation will ask for.
///
/// Preference dropout teaches a tower to serve an entity from its content alone: the cold
/// users or items of the test and validation splits. A side whose entities have no content
/// *and* none of which an evaluation will score as cold gains nothing from it — its dropped
/// rows are all-zero inputs, and what the tower learns on them (one output for "nobody in
/// particular") is never asked for — while it loses that share of its warm rows' preference
/// signal. Measured on CiteULike's cold-item split (users have no content, every test user is
/// warm): the EasyRec model's cold-item recall@100 0.5797 with user dropout 0.3, 0.5885 with
/// none, 0.566 with 0.5 — whereas on every data set with cold users 0.5 did better than 0.3
/// (docs/design-notes.md). So such a side trains without preference dropout whatever its rate
/// says, and the run's log says so.
public struct PreferenceDropoutScope: Sendable, Equatable {
    /// Whether the user (item) side's dropout applies.
    public let users: Bool
    public let items: Bool

    public init(users: Bool, items: Bool) { self.users = users; self.items = items }

    public init(data: TrainingData) {
        users = data.userFeatures.width > 0
            || data.evaluatedUserCount(.coldUser) > 0 || data.evaluatedUserCount(.validationColdUser) > 0
        items = data.itemFeatures.width > 0
            || data.evaluatedUserCount(.coldItem) > 0 || data.evaluatedUserCount(.validationColdItem) > 0
    }

    /// The rates a training step uses under `s`.
    public func rates(_ s: Settings) -> (user: Float, item: Float) {
        (users ? Float(s.userDropout) : 0, items ? Float(s.itemDropout) : 0)
    }

    /// The log line for a side left out, nil when both apply.
    public var note: String? {
        let off = [users ? nil : "user", items ? nil : "item"].compactMap { $0 }
        guard !off.isEmpty else { return nil }
        let sides = off.map { "\($0)_dropout" }.joined(separator: " and ")
        let who = off.map { "\($0)s" }.joined(separator: " and ")
        return "\(sides) not applied: the \(who) have no content and no evaluation scores a cold one, "
            + "so a dropped row would train an empty input nothing asks for"
    }
}

/// Which users an evaluation's figures are over.
///
/// Live validation is over a fixed, seeded sample of each split's users (`eval_users`), so it
/// stays cheap on a large world; the evaluation at the end of a run, the one asked for with `e`
/// and `eval` of a checkpoint are over every user. Model selection always compares the sample's
/// score, so an evaluation over every user still competes for "best" on equal terms.
public enum EvaluationScope: String, Sendable, Equatable, Codable {
    case sample
    case full
}

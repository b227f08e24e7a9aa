/// The content-only baseline of DESIGN §4.8 — the seed's question "why not simply train a
/// model on the new user's or item's features alone?", answered by doing it: the run's towers,
/// built and trained with the run's settings except that no preference input ever reaches them
/// (user and item dropout 1, no classic transform row — a transform is a preference too),
/// selected by their own validation evaluations as the run's model is, and tested on the same
/// splits.
///
/// `TrainingRun` trains it once the run has been tested (`baselines.content_only = trained`)
/// and reports it as `content_only`; `zeroed_preference` is the other thing that name used to
/// mean, the run's own towers with every preference zeroed.
public enum ContentOnlyBaseline {
    /// Its key among the baselines.
    public static let name = "content_only"

    /// The baseline's settings for a run started with `s`.
    public static func settings(for s: Settings) -> Settings {
        var c = s
        c.userDropout = 1
        c.itemDropout = 1
        c.classicTransform = false
        c.contentOnlyBaseline = .off
        return c
    }

    /// A trainer for the baseline of `main`'s run: the same data, the WMF factors `main` built
    /// with (the classic model's regression targets; the inputs themselves are never read), a
    /// model that ignores every preference input (`TwoTowerModel.ignoresPreference`).
    public static func trainer(for main: Trainer) throws -> Trainer {
        let t = try Trainer(data: main.data, settings: settings(for: main.initialSettings), wmf: main.wmfFactors,
                            rawWMF: main.rawWMFFactors)
        t.model.ignoresPreference = true
        return t
    }

    /// The run's live setting changes the baseline replays at the same steps, so both models
    /// train on one schedule (a workbench run's knob turns); changes of the preference dropouts
    /// are left out — the baseline's stay at 1.
    public static func replayed(_ timeline: [SettingChange]) -> [SettingChange] {
        timeline.filter { $0.key != "user_dropout" && $0.key != "item_dropout" }
    }
}

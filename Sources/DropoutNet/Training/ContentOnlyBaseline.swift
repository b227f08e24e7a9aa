/// The content-only baseline of DESIGN §4.8 — the seed's question "why not simply train a
/// model on the new user's or item's features alone?", answered by doing it: the run's towers,
/// built and trained with the run's settings except that no preference input ever reaches them
/// (user and item dropout 1, no classic transform row — a transform is a preference too),
/// selected by their own validation evaluations as the run's model is, and tested on the same
/// splits.
///
/// `TrainingRun` trains it once the run has been tested (`baselines.content_only = trained`,
/// or `auto` below `autoLimit`) and reports it as `content_only`; `zeroed_preference` is the other thing that name used to
/// mean, the run's own towers with every preference zeroed.
public enum ContentOnlyBaseline {
    /// Its key among the baselines.
    public static let name = "content_only"

    /// Training interactions up to which `auto` trains the baseline. It trains as long again
    /// as the run, so above this the end of a run would double its wall time (a 5 M world's
    /// epoch: 53 s of steps, then 87 s for the tests and this baseline); every data set of the
    /// quality table (at most a few hundred thousand) stays below it, so their figures keep it.
    public static let autoLimit = 2_000_000

    /// Whether a run on `data` started with `s` trains the baseline after its test, and when
    /// `auto` leaves it out, the log line that says why and how to have it anyway.
    /// - Parameter limit: `autoLimit` but in tests.
    public static func decision(for s: Settings, data: TrainingData, limit: Int = autoLimit) -> (trains: Bool, note: String?) {
        switch s.contentOnlyBaseline {
        case .trained: return (true, nil)
        case .off: return (false, nil)
        case .auto:
            let n = data.trainUsers.count
            guard n > limit else { return (true, nil) }
            return (false, "content-only baseline skipped: \(n) training interactions are above the \(limit) up to which "
                + "baselines.content_only = auto trains it (it trains as long again as the run); "
                + "baselines.content_only = trained trains it anyway")
        }
    }

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

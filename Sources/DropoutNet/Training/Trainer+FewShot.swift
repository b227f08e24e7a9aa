import Numerics

extension Trainer {
    /// The few-shot curve (DESIGN §5) with the model's current weights: for each k, the
    /// cold-user test users with more than max(counts) held-out items reveal k of them
    /// (`FewShotReveal`), get a preference built from those alone (`FewShotPreference`) and are
    /// scored on the rest — one population for every point, of at most `referenceUsers` users. With `counts == [0]` the result is
    /// the cold-user test figure. Call after `finish()` to score the tested weights.
    public func evaluateFewShot(counts: [Int] = FewShotReveal.defaultCounts,
                                seed: UInt64 = FewShotReveal.defaultSeed) throws -> FewShotReport {
        let ks = Array(Set(initialSettings.k + [Trainer.selectionK])).sorted()
        let evaluator = Evaluator(targets: [], ks: ks, itemCount: data.itemCount)
        let rawItems = model.embedAllItems()
        let kind = initialSettings.userPreference
        // A `wmf` user is folded into the run's own WMF fit (raw factors, `wmf.*` options).
        let foldIn = kind == .wmf ? rawWMFFactors.map { FewShotPreference.WMFFoldIn(factors: $0, data: data, settings: initialSettings) } : nil
        var report = FewShotReport(preference: kind.rawValue)
        for k in counts {
            report.counts.append(k)
            let reveal = FewShotReveal(data: data, k: k, minimumHeldOut: counts.max(), maxUsers: Trainer.referenceUsers, seed: seed)
            guard !reveal.users.isEmpty else { report.metrics[k] = .some(nil); continue }
            let preference = try FewShotPreference.rows(for: reveal, kind: kind, data: data, wmf: foldIn,
                                                        width: model.userPreferenceWidth)
            let revealed = model.embedUsers(ids: reveal.users, preference: preference)
            // The cold-user prior stands in for missing history: with k > 0 revealed the user
            // has some, and is scored as users with history are (its columns zero).
            let (users, items) = priors.rankingEmbeddings(users: revealed, items: rawItems, data: data,
                                                          coldUsers: [Bool](repeating: k == 0, count: revealed.rows),
                                                          userIDs: reveal.users)
            report.metrics[k] = .some(evaluator.evaluate(reveal.target, userEmbeddings: users, itemEmbeddings: items))
        }
        return report
    }
}

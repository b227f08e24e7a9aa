/// The content-only baseline's training (DESIGN §4.8, `ContentOnlyBaseline`), which
/// `train(control:)` runs once the run itself has been tested.
extension TrainingRun {
    /// Trains the content-only baseline to its last epoch, asking `control` before each step as
    /// the run's own steps do (a stop ends it unreported; an abandon leaves at once), selects its
    /// weights by its own validation evaluations, tests them and adds them to `result`. A failed
    /// step ends it with a warning: the run's result stands without it.
    /// - Returns: false when the control abandoned the run.
    func trainContentOnly(control: TrainingRunControl?) -> Bool {
        let name = ContentOnlyBaseline.name
        log(.info, "training the content-only baseline…")
        let b: Trainer
        do {
            b = try ContentOnlyBaseline.trainer(for: trainer)
        } catch {
            log(.warning, "content-only baseline not trained: \(error)")
            return true
        }
        contentOnly = b
        var schedule = ContentOnlyBaseline.replayed(trainer.live.timeline)[...]
        while !b.isFinished {
            switch control?.nextDecision(for: self) ?? .proceed {
            case .abandon: return false
            case .stop:
                log(.info, "content-only baseline stopped at step \(b.step) of \(b.totalSteps): not reported")
                return true
            case .proceed: break
            }
            while let change = schedule.first, change.step <= b.step {
                schedule.removeFirst()
                do { try b.live.update(key: change.key, value: change.new) } catch {
                    log(.warning, "content-only baseline: \(change.key) = \(change.new) not replayed: \(error)")
                }
            }
            do {
                let loss = try b.trainStep()
                for o in observers { o.trainingRun(self, baseline: name, didStep: b, loss: loss) }
            } catch {
                let why = (error as? NumericFault).map { "a non-finite value in \($0.tensor)" } ?? "\(error)"
                log(.warning, "content-only baseline failed at step \(b.step) (\(why)): not reported")
                return true
            }
            if b.evaluationDue { evaluateContentOnly(b) }
        }
        if b.evaluations.last?.step != b.step { evaluateContentOnly(b, reason: "final") }
        b.restoreBest()
        let test = b.evaluateTest()
        result?.baselines[name] = test.report
        let recall = EvaluationSplit.test.map { s in
            "\(s.rawValue) " + (test.report[s.rawValue]?.recall(at: Trainer.selectionK).map { String(format: "%.4f", $0) } ?? "–")
        }
        log(.info, "content-only baseline tested with the weights of step \(b.best?.step ?? b.step): recall@\(Trainer.selectionK) "
            + recall.joined(separator: ", "))
        if let result { for o in observers { o.trainingRun(self, didAddBaseline: name, result: result) } }
        return true
    }

    private func evaluateContentOnly(_ b: Trainer, reason: String? = nil) {
        // Only the score is used (to pick the baseline's weights): the sample is enough.
        let r = b.evaluateValidation(scope: .sample)
        let score = r.score.map { String(format: "%.4f", $0) } ?? "n/a"
        log(.info, "content-only baseline: validation at step \(r.step)\(reason.map { " (\($0))" } ?? ""): mean recall@\(Trainer.selectionK) \(score)"
            + (b.best?.step == r.step ? " (best)" : ""))
    }
}

/// Watches one trial's `TrainingRun`: turns each validation evaluation into the sweep's
/// objective, asks the runner's ASHA table at every rung the curve crosses, and stops the run
/// (as the run's control) once the trial is pruned or a step has failed.
///
/// A rung is judged on the best objective so far, not the latest: the run keeps its best
/// weights, so a curve that peaked early and then sagged still holds that peak — the value a
/// finished trial would be ranked by.
final class TrialPruner: TrainingRunObserver, TrainingRunControl {
    let trial: Int
    let rungs: [Int]
    unowned let runner: SweepRunner
    private(set) var pruned = false
    private(set) var rungValues: [SweepRungValue] = []
    private var nextRung = 0
    private var bestSoFar: Double?

    init(trial: Int, rungs: [Int], runner: SweepRunner) {
        self.trial = trial; self.rungs = rungs; self.runner = runner
    }

    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
        let value = runner.definition.objective.value(record.report)
        var judged: Int?
        var continues = true
        // The final evaluation of a trial that trained to its end judges nothing.
        if let value, value > (bestSoFar ?? -.infinity) { bestSoFar = value }
        if !run.trainer.isFinished, let v = bestSoFar {
            while nextRung < rungs.count && record.step >= rungs[nextRung] && continues {
                judged = nextRung
                continues = runner.judge(trial: trial, rung: nextRung, value: v)
                rungValues.append(SweepRungValue(rung: nextRung, step: record.step, value: v))
                nextRung += 1
            }
        }
        if !continues { pruned = true }
        runner.trialEvaluated(trial, step: record.step, objective: value, rung: judged, continues: continues)
    }

    func nextDecision(for run: TrainingRun) -> TrainingRunDecision {
        runner.waitWhilePaused()
        return pruned || run.failure != nil ? .stop : .proceed
    }
}

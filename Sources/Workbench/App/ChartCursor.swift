import DropoutNet

/// Where the Train screen's chart cursor can stand: the steps of the loss chart's points and of
/// the evaluations, so ←/→ walks the curves point by point and [ ] from evaluation to evaluation.
enum ChartCursor {
    static func positions(_ snapshot: TrainingSnapshot) -> [Int] {
        Array(Set(snapshot.loss.displayPoints.map(\.step) + snapshot.evaluations.map(\.step))).sorted()
    }

    /// `by` positions from `step` (clamped to the first and last).
    static func move(from step: Int, by delta: Int, in snapshot: TrainingSnapshot) -> Int {
        let all = positions(snapshot)
        guard let lastStep = all.last else { return step }
        if step > lastStep { return delta < 0 ? lastStep : step }
        let i = all.firstIndex { $0 >= step } ?? all.count - 1
        let at = all[i] == step ? i : (delta < 0 ? i : i - 1)
        return all[min(all.count - 1, max(0, at + delta))]
    }

    /// The previous or next evaluation's step (the cursor stays when there is none that way).
    static func evaluation(from step: Int, by delta: Int, in snapshot: TrainingSnapshot) -> Int {
        let evals = snapshot.evaluations.map(\.step)
        return (delta < 0 ? evals.last { $0 < step } : evals.first { $0 > step }) ?? step
    }
}

import Foundation

/// What earlier runs of a sweep left in the store, as the runner starts from it.
extension SweepRunner {
    /// The trials a run keeps, ASHA's table rebuilt from their rungs, and how many were kept.
    struct Recorded {
        var trials: [Int: SweepTrial] = [:]
        var table = ASHATable()
        var kept = 0
    }

    /// The ended and refused trials of earlier runs. A population-based sweep's count only when
    /// its whole population ended: its members copy each other, so one is never re-run alone.
    ///
    /// - Parameter resuming: a run is about to start. Then a trial still recorded as running
    ///   means the sweep runs in another process (an error), an interrupted trial's run is marked
    ///   superseded (it is trained again), and so is an interrupted population's every run.
    ///   Without it (a screen showing the sweep before it starts) the store is only read.
    func recordedTrials(resuming: Bool) throws -> Recorded {
        var out = Recorded()
        var recorded = try store.sweepTrials(id)
        let refused = try store.refusedTrials(id).filter { r in !recorded.contains { $0.number == r.number && $0.status != .superseded } }
        if definition.searcher == .pbt {
            let current = recorded.filter { $0.status != .superseded }
            if resuming, current.contains(where: { $0.status == .running }) {
                throw RunStoreError.database(path: store.databaseURL.path, reason: "sweep \(id) is running in another process")
            }
            let done = Set(current.filter(\.status.isDone).map(\.number) + refused.map(\.number))
            if !current.isEmpty && done != Set(1...definition.pbt.population) {
                if resuming {
                    for t in current { if let run = t.run { try store.supersedeTrial(run: run); try store.supersedeEndedTrial(run: run) } }
                    log("the population was interrupted: training all \(definition.pbt.population) members again")
                }
                recorded = []
            }
        }
        for t in refused where out.trials[t.number] == nil {
            out.trials[t.number] = t
            out.kept += 1
        }
        for t in recorded {
            switch t.status {
            case .running:
                guard resuming else { continue }
                throw RunStoreError.database(path: store.databaseURL.path,
                                             reason: "sweep \(id) is running in another process (trial \(t.number), run \(t.run?.rawValue ?? "?"))")
            case .interrupted:
                guard resuming else { continue }
                if let run = t.run { try store.supersedeTrial(run: run) }
                log("trial \(t.number) was interrupted (run \(t.run?.rawValue ?? "?")): training it again")
            case .superseded: continue
            case .pruned, .finished, .failed:
                guard out.trials[t.number] == nil else { continue }
                out.trials[t.number] = t
                out.kept += 1
                if let rule = definition.asha {
                    for r in t.result.rungs { _ = out.table.record(trial: t.number, rung: r.rung, value: r.value, rule: rule) }
                }
            }
        }
        return out
    }
}

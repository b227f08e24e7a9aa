import DropoutNet

/// The Runs screen's order: a column and a direction. Runs without a value in the column
/// (no evaluation yet) go last either way.
struct RunsSort: Equatable {
    enum Column: Int, CaseIterable {
        case created, status, model, dataset, step, warm, coldUser, coldItem

        var title: String {
            switch self {
            case .created: return "run"
            case .status: return "status"
            case .model: return "model"
            case .dataset: return "dataset"
            case .step: return "step"
            case .warm: return "warm"
            case .coldUser: return "cold-u"
            case .coldItem: return "cold-i"
            }
        }

        /// The validation split a metric column reads.
        var split: String? {
            switch self {
            case .warm: return "validation_warm"
            case .coldUser: return "validation_cold_user"
            case .coldItem: return "validation_cold_item"
            default: return nil
            }
        }
    }

    /// Newest first, as the screen opens.
    var column = Column.created
    var descending = true

    func next() -> RunsSort {
        let all = Column.allCases
        let c = all[(column.rawValue + 1) % all.count]
        // Numbers read best high-first, names A–Z.
        return RunsSort(column: c, descending: [.created, .step, .warm, .coldUser, .coldItem].contains(c))
    }

    func reversed() -> RunsSort { RunsSort(column: column, descending: !descending) }

    func apply(_ runs: [RunRecord], best: [RunID: BestEvaluation]) -> [RunRecord] {
        func text(_ r: RunRecord) -> String? {
            switch column {
            case .created: return r.id.rawValue
            case .status: return r.status.rawValue
            case .model: return r.model
            case .dataset: return r.dataset.name
            default: return nil
            }
        }
        func number(_ r: RunRecord) -> Double? {
            switch column {
            case .step: return r.lastStep.map(Double.init)
            default: return column.split.flatMap { best[r.id]?.value(split: $0, key: "recall@20") }
            }
        }
        return runs.enumerated().sorted { a, b in
            if let x = text(a.element), let y = text(b.element), x != y { return descending ? x > y : x < y }
            let x = number(a.element), y = number(b.element)
            switch (x, y) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.element.id.rawValue > b.element.id.rawValue   // ties: newest first
            }
        }.map(\.element)
    }
}

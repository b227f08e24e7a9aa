import DropoutNet
import Foundation
import Numerics

/// The Explore screen's state: which users are listed, which is selected, and the top-K list
/// computed for it on the trainer thread (or on a background queue once the run has ended).
public final class Explorer: @unchecked Sendable {
    public enum Filter: String, CaseIterable, Sendable { case cold, warm, all }

    /// One recommended item.
    public struct Recommendation: Sendable, Equatable {
        public var item: Int
        public var score: Float
        public var hit: Bool
    }

    public struct Result: Sendable, Equatable {
        public var user: Int
        public var step: Int
        public var items: [Recommendation]
    }

    public let data: TrainingData
    public var filter: Filter = .cold { didSet { rebuild() } }
    public var list = ListState()
    public private(set) var users: [Int32] = []
    public private(set) var items: [ListItem] = []
    public static let topK = 20

    private let lock = NSLock()
    private var _result: Result?
    private var pending: Int?
    /// Bumped when a result arrives, so the app knows to redraw.
    public private(set) var version = 0
    private var computed = Date.distantPast
    public static let refreshInterval = 3.0

    public init(data: TrainingData) {
        self.data = data
        rebuild()
    }

    private func rebuild() {
        let cold = Set(data.split.coldUsers)
        switch filter {
        case .cold: users = data.split.coldUsers.sorted()
        case .warm: users = data.heldOut[.warm].map { $0.nonEmptyRows } ?? (0..<Int32(data.userCount)).filter { !cold.contains($0) }
        case .all: users = Array(0..<Int32(data.userCount))
        }
        items = users.map { u in
            ListItem("\(data.dataset.userIDs[Int(u)])  \(cold.contains(u) ? "cold" : "warm")  \(heldOut(Int(u)).count) held out",
                     role: cold.contains(u) ? .seriesColdUser : .text)
        }
        list = ListState()
    }

    /// The selected user's index, if any user matches the filter.
    public var selectedUser: Int? {
        list.selectedIndex(in: items).map { Int(users[$0]) }
    }

    /// Every held-out item of `user` (test and validation splits).
    public func heldOut(_ user: Int) -> [Int32] {
        var out: [Int32] = []
        for split in EvaluationSplit.allCases {
            if let lists = data.heldOut[split], user < lists.rows { out += lists[user] }
        }
        return Array(Set(out)).sorted()
    }

    public var result: Result? {
        lock.lock(); defer { lock.unlock() }
        return _result
    }

    /// Asks for the top-K of the selected user unless it is already shown for this step.
    public func request(session: TrainingSession, step: Int) {
        guard let user = selectedUser else { return }
        lock.lock()
        // The same user is refreshed at most every `refreshInterval` while training moves on, so
        // the explorer costs the trainer little.
        if pending == user || (_result?.user == user && (_result?.step == step || Date().timeIntervalSince(computed) < Explorer.refreshInterval)) {
            lock.unlock(); return
        }
        pending = user
        lock.unlock()
        let body: (Trainer) -> Void = { [weak self] trainer in self?.compute(user: user, trainer: trainer) }
        if session.isRunning {
            session.perform(body)
        } else if let trainer = session.trainer {
            DispatchQueue.global().async { body(trainer) }
        } else {
            lock.lock(); pending = nil; lock.unlock()
        }
    }

    /// Scores every item not among the user's training positives; runs where the model may be read.
    func compute(user: Int, trainer: Trainer) {
        let items = trainer.model.embedAllItems()
        let users = trainer.model.embedAllUsers()
        let result = Explorer.topK(user: user, users: users, items: items, data: data, step: trainer.step, held: Set(heldOut(user)))
        lock.lock()
        _result = result
        computed = Date()
        if pending == user { pending = nil }
        version += 1
        lock.unlock()
    }

    static func topK(user: Int, users: Matrix, items: Matrix, data: TrainingData, step: Int, held: Set<Int32>) -> Result {
        let seen = Set(user < data.trainPositives.rows ? Array(data.trainPositives[user]) : [])
        let u = users.row(user)
        var scored: [(Int, Float)] = []
        scored.reserveCapacity(items.rows)
        for i in 0..<items.rows where !seen.contains(Int32(i)) {
            let v = items.row(i)
            var s: Float = 0
            for d in 0..<items.cols { s += u[d] * v[d] }
            scored.append((i, s))
        }
        scored.sort { $0.1 > $1.1 }
        let top = scored.prefix(topK).map { Recommendation(item: $0.0, score: $0.1, hit: held.contains(Int32($0.0))) }
        return Result(user: user, step: step, items: Array(top))
    }
}

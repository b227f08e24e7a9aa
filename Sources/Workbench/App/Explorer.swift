import DropoutNet
import Foundation
import Numerics

/// The Explore screen's state: a user list and an item list (each with its filter, search and
/// selection), which of the two is shown, and the latest ranking for the selected user (its
/// top-K items) or item (its top-K users). Rankings are `ExplorerQueries`, computed wherever
/// `TrainingSession.withModel` runs them.
public final class Explorer: @unchecked Sendable {
    public enum Mode: String, Sendable { case users, items }

    public enum UserFilter: String, CaseIterable, Sendable {
        case cold, warm
        /// Warm users with at most `Explorer.fewShotLimit` training positives.
        case fewShot = "few-shot"
        case all
    }

    public enum ItemFilter: String, CaseIterable, Sendable { case cold, warm, all }

    /// A user's top-K items at a training step.
    public struct UserResult: Sendable, Equatable {
        public var user: Int
        public var step: Int
        public var items: [RankedItem]
    }

    /// An item's top-K users at a training step.
    public struct ItemResult: Sendable, Equatable {
        public var item: Int
        public var step: Int
        public var users: [RankedUser]
    }

    public static let topK = 20
    /// The few-shot filter's limit on training positives (users with 1…5).
    public static let fewShotLimit = 5
    public static let refreshInterval = 3.0

    public let data: TrainingData
    public var mode: Mode = .users
    public var userFilter: UserFilter = .cold { didSet { rebuildUsers() } }
    public var itemFilter: ItemFilter = .cold { didSet { rebuildItems() } }
    public var userList = ListState()
    public var itemList = ListState()
    /// The listed users / items (indices) and their rows, in the same order.
    public private(set) var users: [Int32] = []
    public private(set) var userRows: [ListItem] = []
    public private(set) var items: [Int32] = []
    public private(set) var itemRows: [ListItem] = []

    private let userHeldOut: [Int]
    private let itemHeldOut: [Int]
    private let coldUsers: Set<Int32>
    /// The dataset gives users no content: every cold user is the same input to the model, so
    /// every cold user gets the same ranking (the screen says so rather than let it look like a bug).
    public let usersHaveNoContent: Bool
    /// The row of the shown ranking that has the keys (Enter on the list gives them to it;
    /// Enter on a row jumps to that item or user, Esc gives them back). nil: the list has them.
    public internal(set) var rankingRow: Int?

    private enum Subject: Hashable { case user(Int), item(Int) }
    private let lock = NSLock()
    private var _userResult: UserResult?
    private var _itemResult: ItemResult?
    private var pending: Subject?
    private var computed: [Subject: Date] = [:]
    private var _version = 0

    public init(data: TrainingData) {
        self.data = data
        coldUsers = Set(data.split.coldUsers)
        userHeldOut = (0..<data.userCount).map { ExplorerQueries.heldOutItems(ofUser: $0, data: data).count }
        itemHeldOut = ExplorerQueries.heldOutUserCounts(data: data)
        usersHaveNoContent = data.userFeatures.dense.cols + data.userFeatures.sparse.cols == 0
        rebuildUsers()
        rebuildItems()
    }

    private func trainCount(_ u: Int) -> Int { u < data.trainPositives.rows ? data.trainPositives.count(u) : 0 }

    private func rebuildUsers() {
        let all = 0..<Int32(data.userCount)
        switch userFilter {
        case .cold: users = data.split.coldUsers.sorted()
        // Warm users worth exploring have something held out to hit.
        case .warm: users = all.filter { data.isKnownUser[Int($0)] && userHeldOut[Int($0)] > 0 }
        case .fewShot: users = all.filter { data.isKnownUser[Int($0)] && (1...Explorer.fewShotLimit).contains(trainCount(Int($0))) }
        case .all: users = Array(all)
        }
        userRows = users.map { u in
            let cold = coldUsers.contains(u) || !data.isKnownUser[Int(u)]
            return ListItem("\(data.dataset.userIDs[Int(u)])  \(cold ? "cold" : "warm")  \(trainCount(Int(u))) train  \(userHeldOut[Int(u)]) held out",
                            role: cold ? .seriesColdUser : .text)
        }
        userList = ListState()
    }

    private func rebuildItems() {
        let all = 0..<Int32(data.itemCount)
        switch itemFilter {
        case .cold: items = all.filter { !data.isKnownItem[Int($0)] }
        case .warm: items = all.filter { data.isKnownItem[Int($0)] }
        case .all: items = Array(all)
        }
        // Rows start with the id and end with the title, so `/` finds either.
        itemRows = items.map { i in
            let cold = !data.isKnownItem[Int(i)]
            let title = data.dataset.itemContent.title(Int(i)).map { "  \($0)" } ?? ""
            return ListItem("\(data.dataset.itemIDs[Int(i)])  \(cold ? "cold" : "warm")  \(itemHeldOut[Int(i)]) held out\(title)",
                            role: cold ? .seriesColdItem : .text)
        }
        itemList = ListState()
    }

    // MARK: the shown list

    /// The shown list's state (users or items, by `mode`).
    public var list: ListState {
        get { mode == .users ? userList : itemList }
        set { if mode == .users { userList = newValue } else { itemList = newValue } }
    }

    /// The shown list's rows.
    public var rows: [ListItem] { mode == .users ? userRows : itemRows }

    /// The shown list's filter name, with the few-shot limit spelled out.
    public var filterLabel: String {
        switch mode {
        case .users: return userFilter == .fewShot ? "few-shot: 1–\(Explorer.fewShotLimit) train" : userFilter.rawValue
        case .items: return itemFilter.rawValue
        }
    }

    /// Moves the shown list to its next filter.
    public func cycleFilter() {
        switch mode {
        case .users:
            let all = UserFilter.allCases
            userFilter = all[(all.firstIndex(of: userFilter)! + 1) % all.count]
        case .items:
            let all = ItemFilter.allCases
            itemFilter = all[(all.firstIndex(of: itemFilter)! + 1) % all.count]
        }
    }

    /// True while a `/` search is being typed (letters go to it, not to the app's keys).
    public var isEditingSearch: Bool { list.isEditingFilter }

    /// The screen's keys: `u` / `i` users or items, `f` next filter, `/` search, movement.
    /// Returns false for keys it does not use.
    @discardableResult
    public func handle(_ key: Key, visibleRows: Int) -> Bool {
        if let row = rankingRow {
            let count = shownRankingCount
            switch key {
            case .up, .character("k"): rankingRow = max(0, row - 1); return true
            case .down, .character("j"): rankingRow = min(max(0, count - 1), row + 1); return true
            case .enter: jumpToRankedRow(row); return true
            case .escape: rankingRow = nil; return true
            default: break
            }
        }
        if !isEditingSearch {
            switch key {
            case .character("u"): mode = .users; rankingRow = nil; return true
            case .character("i"): mode = .items; rankingRow = nil; return true
            case .character("f"): cycleFilter(); rankingRow = nil; return true
            case .enter where shownRankingCount > 0: rankingRow = 0; return true
            default: break
            }
        }
        let rows = self.rows
        var state = list
        let used = state.handle(key, items: rows, visibleRows: visibleRows)
        list = state
        return used
    }

    /// Rows of the ranking shown for the current selection (0 while it is being computed).
    var shownRankingCount: Int {
        switch mode {
        case .users: return userResult.flatMap { $0.user == selectedUser ? $0.items.count : nil } ?? 0
        case .items: return itemResult.flatMap { $0.item == selectedItem ? $0.users.count : nil } ?? 0
        }
    }

    /// Enter on a ranking row: a user's top-K item opens that item, an item's top-K user opens
    /// that user — listed under a filter that holds it, the search cleared.
    func jumpToRankedRow(_ row: Int) {
        rankingRow = nil
        switch mode {
        case .users:
            guard let r = userResult, r.user == selectedUser, r.items.indices.contains(row) else { return }
            select(item: r.items[row].item)
        case .items:
            guard let r = itemResult, r.item == selectedItem, r.users.indices.contains(row) else { return }
            select(user: r.users[row].user)
        }
    }

    /// Shows the items list with `item` selected (its filter widened to `all` when it hides it).
    public func select(item: Int) {
        mode = .items
        if !items.contains(Int32(item)) { itemFilter = .all }
        guard let position = items.firstIndex(of: Int32(item)) else { return }
        itemList = ListState(selected: position, offset: max(0, position - 3))
    }

    /// Shows the users list with `user` selected (its filter widened to `all` when it hides it).
    public func select(user: Int) {
        mode = .users
        if !users.contains(Int32(user)) { userFilter = .all }
        guard let position = users.firstIndex(of: Int32(user)) else { return }
        userList = ListState(selected: position, offset: max(0, position - 3))
    }

    /// The selected user's index, if any user matches the filter and search.
    public var selectedUser: Int? { userList.selectedIndex(in: userRows).map { Int(users[$0]) } }

    /// The selected item's index, if any item matches the filter and search.
    public var selectedItem: Int? { itemList.selectedIndex(in: itemRows).map { Int(items[$0]) } }

    private var heldOutCache: (item: Int, users: [Int32])?

    /// The users who took `item` in held-out data, remembered for the last item asked (the
    /// screen asks every frame; the answer scans every user's held-out lists).
    public func heldOutUsers(ofItem item: Int) -> [Int32] {
        if let c = heldOutCache, c.item == item { return c.users }
        let users = ExplorerQueries.heldOutUsers(ofItem: item, data: data)
        heldOutCache = (item, users)
        return users
    }

    // MARK: rankings

    public var userResult: UserResult? {
        lock.lock(); defer { lock.unlock() }
        return _userResult
    }

    public var itemResult: ItemResult? {
        lock.lock(); defer { lock.unlock() }
        return _itemResult
    }

    /// Bumped when a ranking arrives, so the app knows to redraw.
    public var version: Int {
        lock.lock(); defer { lock.unlock() }
        return _version
    }

    /// Asks for the ranking of the shown list's selection unless it is already shown for this
    /// step. The same subject is recomputed at most every `refreshInterval` while training moves
    /// on, so the explorer costs the trainer little.
    public func request(session: TrainingSession, step: Int) {
        let subject: Subject
        switch mode {
        case .users: guard let u = selectedUser else { return }; subject = .user(u)
        case .items: guard let i = selectedItem else { return }; subject = .item(i)
        }
        lock.lock()
        let shownStep: Int?
        switch subject {
        case let .user(u): shownStep = _userResult?.user == u ? _userResult?.step : nil
        case let .item(i): shownStep = _itemResult?.item == i ? _itemResult?.step : nil
        }
        let fresh = shownStep != nil && (shownStep == step || Date().timeIntervalSince(computed[subject] ?? .distantPast) < Explorer.refreshInterval)
        if pending == subject || fresh { lock.unlock(); return }
        pending = subject
        lock.unlock()
        // The session decides where the model may be read (the trainer thread between steps, or
        // its reader queue once the run has ended) and always runs the body once.
        session.withModel { [weak self] trainer in
            guard let self else { return }
            if let trainer { self.compute(subject, trainer: trainer) } else { self.clearPending(subject) }
        }
    }

    private func clearPending(_ subject: Subject) {
        lock.lock(); defer { lock.unlock() }
        if pending == subject { pending = nil }
    }

    /// Runs where `TrainingSession.withModel` puts it.
    private func compute(_ subject: Subject, trainer: Trainer) {
        let (users, items) = trainer.rankingEmbeddings()
        let step = trainer.step
        var user: UserResult?, item: ItemResult?
        switch subject {
        case let .user(u):
            user = UserResult(user: u, step: step, items: ExplorerQueries.topItems(
                forUser: u, data: data, userEmbeddings: users, itemEmbeddings: items, k: Explorer.topK))
        case let .item(i):
            item = ItemResult(item: i, step: step, users: ExplorerQueries.topUsers(
                forItem: i, data: data, userEmbeddings: users, itemEmbeddings: items, k: Explorer.topK))
        }
        lock.lock()
        if let user { _userResult = user }
        if let item { _itemResult = item }
        computed[subject] = Date()
        if pending == subject { pending = nil }
        _version += 1
        lock.unlock()
    }
}

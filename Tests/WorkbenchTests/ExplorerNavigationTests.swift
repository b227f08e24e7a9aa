import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// Issue 15's Explore workflow on a session trained briefly: a warm user's training items, lists
/// cut with "…and N more", Enter from a top-K row to that item and from an item's users to that
/// user, and the note when every cold user is ranked alike.
final class ExplorerNavigationTests: XCTestCase {
    private func waitForUserResult(_ app: WorkbenchApp, _ session: TrainingSession, user: Int) throws -> Explorer.UserResult {
        app.explorer.request(session: session, step: session.snapshot.step)
        let deadline = Date().addingTimeInterval(20)
        while app.explorer.userResult?.user != user && Date() < deadline { usleep(20_000) }
        return try XCTUnwrap(app.explorer.userResult)
    }

    func testEnterJumpsFromATopKRowToItsItemAndFromAnItemsUsersToThatUser() throws {
        let session = try WorkbenchAppTests.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        session.start()
        _ = session.wait(timeout: 30, until: { $0.step >= 20 })
        session.pause()
        _ = session.wait(timeout: 10, until: { $0.state == .paused })
        let data = session.data

        // A warm user with more than eight training items: the panel lists eight and the rest's count.
        app.handle(.key(.character("2")))
        app.handle(.key(.character("f")))
        XCTAssertEqual(app.explorer.userFilter, .warm)
        let position = try XCTUnwrap(app.explorer.users.firstIndex { data.trainPositives.count(Int($0)) > 8 })
        for _ in 0..<position { app.handle(.key(.down)) }
        let user = try XCTUnwrap(app.explorer.selectedUser)
        let result = try waitForUserResult(app, session, user: user)
        app.draw()
        var text = terminal.screen.textLines().joined(separator: "\n")
        let trained = data.trainPositives.count(user)
        let first = ExplorerQueries.itemLabel(Int(data.trainPositives[user].first!), data: data)
        XCTAssertTrue(text.contains("\(trained) positives (left out of its ranking): \(first)"), text)
        XCTAssertTrue(text.contains("…and \(trained - 8) more"), "the cut list says how many more:\n\(text)")

        // At 80×24 the top-20 does not fit: its last row says how many are left out.
        var small = ScreenBuffer(width: 80, height: 24)
        app.render(into: &small)
        let smallText = small.textLines().joined(separator: "\n")
        XCTAssertNotNil(smallText.range(of: #"…and \d+ more"#, options: .regularExpression), smallText)

        // Enter gives the keys to the ranking, ↓ moves, Enter opens the second item.
        app.handle(.key(.enter))
        XCTAssertEqual(app.explorer.rankingRow, 0)
        app.handle(.key(.down))
        app.draw()
        text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("▸2"), "the row with the keys is marked:\n\(text)")
        app.handle(.key(.enter))
        XCTAssertEqual(app.explorer.mode, .items)
        XCTAssertEqual(app.explorer.selectedItem, result.items[1].item)
        XCTAssertNil(app.explorer.rankingRow)

        // From the item's top users, Enter Enter opens the first of them.
        let item = result.items[1].item
        app.explorer.request(session: session, step: session.snapshot.step)
        let deadline = Date().addingTimeInterval(20)
        while app.explorer.itemResult?.item != item && Date() < deadline { usleep(20_000) }
        let users = try XCTUnwrap(app.explorer.itemResult).users
        app.handle(.key(.enter))
        app.handle(.key(.enter))
        XCTAssertEqual(app.explorer.mode, .users)
        XCTAssertEqual(app.explorer.selectedUser, users[0].user)
        // Esc gives the keys back to the list without jumping.
        app.handle(.key(.enter))
        app.handle(.key(.escape))
        XCTAssertNil(app.explorer.rankingRow)
        XCTAssertEqual(app.explorer.mode, .users)
        XCTAssertFalse(app.explorer.usersHaveNoContent, "sample-data's users have content")
    }

    /// A dataset without user content ranks every cold user alike; the panel says why.
    func testEveryColdUserRankedAlikeIsSaidOnScreen() throws {
        let data = try WorkbenchAppTests.makeSession().data
        var description = ExplorerQueries.describeUser(Int(data.split.coldUsers[0]), data: data)
        description.content = []
        description.encoded = []
        let ranking = ExploreView.Ranking(step: 40, rows: (0..<3).map { .init(hit: false, score: 1, label: "i\($0)", isCold: false, trainingPositives: 0) })
        let note = "every cold user gets this same ranking: the dataset has no user content, so the model sees nothing of a cold user"
        let panel = ExploreView.Panel(description: description, heldOutCount: 0, heldOutShown: [], ranking: ranking, sameForEveryColdUser: note)
        var b = ScreenBuffer(width: 120, height: 30)
        var state = ListState()
        ExploreView(mode: .users, filterLabel: "cold", count: 1, rows: [ListItem(description.id)], selection: .user(panel))
            .render(into: &b, area: b.bounds, theme: .builtinMono, state: &state)
        XCTAssertTrue(b.textLines().joined().contains("User \(description.id)"))
        let text = b.textLines().joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(text.contains("every cold user gets this same ranking"), text)
        XCTAssertTrue(text.contains("i0") && text.contains("i2"), "the ranking is still shown below the note: \(text)")
    }
}

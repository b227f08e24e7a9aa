import XCTest
@testable import DropoutNet

final class NativeLoaderTests: XCTestCase {
    func testBundledSampleDataLoadsWithContent() throws {
        let d = try DataFixture.load(DataFixture.sampleData)
        XCTAssertEqual(d.userCount, 4000)
        XCTAssertEqual(d.itemCount, 2500)
        XCTAssertGreaterThan(d.interactionCount, 140_000)
        XCTAssertGreaterThan(d.positiveCount, d.interactionCount / 5)
        XCTAssertLessThan(d.positiveCount, d.interactionCount)
        XCTAssertEqual(d.itemContent.columns.map(\.kind), [.display, .categorical, .multi, .numeric, .numeric, .text])
        XCTAssertNotNil(d.itemContent.title(0))
        XCTAssertEqual(d.userContent.columns.first(where: { $0.name == "interests" })?.kind, .multi)
    }

    func testMinimalDirectoryWithHeaderWeightsAndTimestamps() throws {
        let dir = try DataFixture.directory([
            "interactions.csv": "user,item,label,weight,timestamp\na,x,1,2.5,100\nb,x,0,,\na,y,1\r\n",
            "items.csv": "item,title,genre\nx,\"Hello, world\",drama\ny,Other,comedy\nz,Never shown,drama\n",
        ])
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.userIDs, ["a", "b"])
        XCTAssertEqual(d.itemIDs, ["x", "y", "z"])
        XCTAssertEqual(d.users, [0, 1, 0])
        XCTAssertEqual(d.items, [0, 0, 1])
        XCTAssertEqual(d.labels, [1, 0, 1])
        XCTAssertEqual(d.weights, [2.5, 1, 1])
        XCTAssertEqual(d.timestamps, [100, 0, 0])
        XCTAssertEqual(d.itemContent.title(0), "Hello, world")
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "genre" }?.kind, .categorical)
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "genre" }?.values, ["drama", "comedy", "drama"])
        XCTAssertEqual(d.userContent.columns.count, 0)
        XCTAssertEqual(d.userContent.count, 2)
    }
}

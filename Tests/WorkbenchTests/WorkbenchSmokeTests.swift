import XCTest
import Workbench

final class WorkbenchSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}

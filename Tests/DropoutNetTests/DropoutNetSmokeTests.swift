import XCTest
import DropoutNet

final class DropoutNetSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}

import XCTest
import NeuralNet

final class NeuralNetSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}

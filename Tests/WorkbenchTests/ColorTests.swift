import XCTest
import Workbench

final class ColorTests: XCTestCase {
    func testRGBMapsToNearest256Entry() {
        XCTAssertEqual(Color.rgb(255, 0, 0).terminalNumber(for: .palette256), 196)
        XCTAssertEqual(Color.rgb(0, 0, 0).terminalNumber(for: .palette256), 16)
        XCTAssertEqual(Color.rgb(95, 135, 175).terminalNumber(for: .palette256), 67, "an exact cube colour")
        XCTAssertEqual(Color.rgb(128, 128, 128).terminalNumber(for: .palette256), 244, "greys use the grey ramp")
        XCTAssertEqual(Color.rgb(0x1C, 0x1F, 0x24).terminalNumber(for: .palette256), 234, "near-black background")
        XCTAssertEqual(Color.rgb(0x61, 0xAF, 0xEF).terminalNumber(for: .palette256), 75)
    }

    func testNearestIsReallyTheNearestAmongCubeAndGreys() {
        // Exhaustive check on a coarse RGB grid: no palette entry 16–255 is closer than the pick.
        for r in stride(from: 0, through: 255, by: 17) {
            for g in stride(from: 0, through: 255, by: 51) {
                for b in stride(from: 0, through: 255, by: 85) {
                    let pick = XtermPalette.nearest256(UInt8(r), UInt8(g), UInt8(b))
                    func d(_ i: UInt8) -> Int {
                        let p = XtermPalette.rgb(of: i)
                        let (dr, dg, db) = (r - Int(p.0), g - Int(p.1), b - Int(p.2))
                        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
                    }
                    let best = (16...255).map { d(UInt8($0)) }.min()!
                    XCTAssertEqual(d(pick), best, "rgb(\(r),\(g),\(b)) → \(pick)")
                }
            }
        }
    }

    func testSixteenAndEightColourFallbacks() {
        XCTAssertEqual(Color.rgb(250, 10, 10).terminalNumber(for: .sixteen), 9)
        XCTAssertEqual(Color.rgb(250, 10, 10).terminalNumber(for: .eight), 1)
        XCTAssertEqual(Color.rgb(20, 20, 20).terminalNumber(for: .eight), 0)
        XCTAssertEqual(Color.indexed(196).terminalNumber(for: .sixteen), 9)
        XCTAssertEqual(Color.indexed(12).terminalNumber(for: .eight), 4)
        XCTAssertEqual(Color.indexed(46).terminalNumber(for: .eight), 2)
    }

    func testTrueColourDefaultAndNone() {
        XCTAssertEqual(Color.rgb(0x12, 0x34, 0x56).terminalNumber(for: .trueColor), 0x123456)
        XCTAssertEqual(Color.default.terminalNumber(for: .palette256), -1)
        XCTAssertEqual(Color.rgb(1, 2, 3).terminalNumber(for: .none), -1)
        XCTAssertEqual(ColorDepth(colors: 256), .palette256)
        XCTAssertEqual(ColorDepth(colors: 8), .eight)
        XCTAssertEqual(ColorDepth(colors: 0), ColorDepth.none)
    }

    func testThemeColourStrings() {
        XCTAssertEqual(Color(themeString: "#61afef"), .rgb(0x61, 0xAF, 0xEF))
        XCTAssertEqual(Color(themeString: "#fff"), .rgb(255, 255, 255))
        XCTAssertEqual(Color(themeString: ""), .default)
        XCTAssertNil(Color(themeString: "#12345"))
        XCTAssertNil(Color(themeString: "red"))
    }
}

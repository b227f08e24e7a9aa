import XCTest
import Workbench

final class ThemeTests: XCTestCase {
    var themesDir: String { packageRoot + "/themes" }

    func testEveryShippedThemeLoadsAndDefinesEveryRole() throws {
        for name in ["default", "light", "solarized-dark", "high-contrast", "mono"] {
            let path = "\(themesDir)/\(name).toml"
            let theme = try ThemeFile.load(path: path)
            XCTAssertEqual(theme.name, name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if name != "mono" {
                for role in ThemeRole.allCases {
                    let key = role.rawValue.split(separator: ".").last!
                    XCTAssertTrue(text.contains("\n\(key) = "), "\(name).toml does not set \(role.rawValue)")
                }
            }
        }
        XCTAssertTrue(try ThemeFile.load(path: "\(themesDir)/mono.toml").isMonochrome)
        XCTAssertEqual(try ThemeFile.load(path: "\(themesDir)/light.toml")[.seriesColdUser], .rgb(0x01, 0x84, 0xBC))
    }

    func testShippedDefaultMatchesTheCompiledInDefault() throws {
        XCTAssertEqual(try ThemeFile.load(path: "\(themesDir)/default.toml"), Theme.builtinDefault)
    }

    func testBadColourNamesFileLineAndKey() throws {
        let text = """
        name = "broken"
        text = "#d0d4da"
        dim = 244

        [series]
        warm = "#12345"
        """
        XCTAssertThrowsError(try ThemeFile.parse(text, file: "themes/broken.toml", defaultName: "broken")) { error in
            let e = error as! ThemeError
            XCTAssertEqual(e.file, "themes/broken.toml")
            XCTAssertEqual(e.line, 6)
            XCTAssertEqual(e.key, "series.warm")
            XCTAssertTrue(e.description.hasPrefix("themes/broken.toml:6: key 'series.warm': expected a colour"), e.description)
        }
    }

    func testUnknownKeyAndOutOfRangeIndexAreErrors() {
        XCTAssertThrowsError(try ThemeFile.parse("text = \"#ffffff\"\nfocsu = \"#ff0000\"\n", file: "t.toml", defaultName: "t")) {
            let e = $0 as! ThemeError
            XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.key, "focsu")
            XCTAssertTrue(e.message.contains("unknown theme key"))
        }
        XCTAssertThrowsError(try ThemeFile.parse("series.warm = 300\n", file: "t.toml", defaultName: "t")) {
            let e = $0 as! ThemeError
            XCTAssertEqual(e.line, 1)
            XCTAssertEqual(e.key, "series.warm")
        }
    }

    func testSyntaxErrorNamesLineAndKey() {
        XCTAssertThrowsError(try ThemeFile.parse("name = \"x\"\ntext = #fff\n", file: "x.toml", defaultName: "x")) {
            let e = $0 as! ThemeError
            XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.key, "text")
            XCTAssertTrue(e.message.contains("TOML syntax error"), e.message)
        }
    }

    func testMissingRolesKeepTheDefaultAndPaletteIndicesWork() throws {
        let t = try ThemeFile.parse("accent = 33\nbackground = \"\"\n", file: "p.toml", defaultName: "p")
        XCTAssertEqual(t[.accent], .indexed(33))
        XCTAssertEqual(t[.background], .default)
        XCTAssertEqual(t[.good], Theme.builtinDefault[.good])
        XCTAssertEqual(t.name, "p")
    }

    func testCatalogListsUserAndProjectThemesAndFallsBackOnErrors() throws {
        let home = try temporaryDirectory(self)
        let userDir = home + "/dropoutnet/themes"
        try FileManager.default.createDirectory(atPath: userDir, withIntermediateDirectories: true)
        try "name = \"mine\"\naccent = \"#ff0000\"\n".write(toFile: userDir + "/mine.toml", atomically: true, encoding: .utf8)
        try "accent = \"#zzzzzz\"\n".write(toFile: userDir + "/bad.toml", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.standard(environment: ["XDG_CONFIG_HOME": home], currentDirectory: packageRoot,
                                            executablePath: nil)
        XCTAssertEqual(Array(catalog.names.prefix(2)), ["default", "mono"])
        for name in ["light", "solarized-dark", "high-contrast", "mine", "bad"] {
            XCTAssertTrue(catalog.names.contains(name), "\(name) in \(catalog.names)")
        }
        XCTAssertEqual(catalog.load("mine").theme[.accent], .rgb(255, 0, 0))
        XCTAssertNil(catalog.load("mine").error)
        let bad = catalog.load("bad")
        XCTAssertEqual(bad.theme, Theme.builtinDefault, "a broken theme falls back to the default")
        XCTAssertEqual(bad.error?.line, 1)
        XCTAssertEqual(bad.error?.key, "accent")
        XCTAssertTrue(bad.error!.file.hasSuffix("bad.toml"))
        XCTAssertNotNil(catalog.load("nonexistent").error)
        XCTAssertEqual(catalog.next(after: "default"), "mono")
        XCTAssertEqual(catalog.next(after: catalog.names.last!), "default")
    }

    func testNoColorMakesEveryThemeMonochrome() {
        let catalog = ThemeCatalog.standard(environment: ["NO_COLOR": "1"], currentDirectory: packageRoot, executablePath: nil)
        XCTAssertTrue(catalog.noColor)
        let t = catalog.load("solarized-dark").theme
        XCTAssertTrue(t.isMonochrome)
        XCTAssertEqual(t[.accent], .default)
        XCTAssertFalse(ThemeCatalog.standard(environment: ["NO_COLOR": ""], currentDirectory: packageRoot,
                                             executablePath: nil).noColor, "an empty NO_COLOR does not count")
    }

    func testBuiltinsWorkWithoutAnyThemeDirectory() {
        let catalog = ThemeCatalog(directories: ["/nonexistent-dir"])
        XCTAssertEqual(catalog.names, ["default", "mono"])
        XCTAssertNil(catalog.load("default").error)
        XCTAssertTrue(catalog.load("mono").theme.isMonochrome)
    }
}

/// The fuzzer's settings-file crash (a table header without a name aborted the process inside
/// the TOML parser) through a theme file: a syntax error naming the line like any other.
final class ThemeFuzzRegressionTests: XCTestCase {
    func testTableHeaderWithoutANameIsASyntaxError() {
        XCTAssertThrowsError(try ThemeFile.parse("name = \"x\"\ntext = \"#ffffff\"\n[\n", file: "t.toml", defaultName: "t")) { error in
            XCTAssertEqual((error as? ThemeError)?.line, 3, "\(error)")
            XCTAssertTrue("\(error)".contains("expected a table name"), "\(error)")
        }
    }

    /// theme-toml, finding 1 (base64 of the fuzzer's input): toml++ aborted on `mono =[[[[[}`,
    /// a `}` where an array expects a value; decoded as the harness decoded it.
    func testACloseBraceWhereAnArrayExpectsAValueIsASyntaxError() throws {
        let input = try XCTUnwrap(Data(base64Encoded: "IyBEYXJrIHRvb2xvdXIgYXQgYWxsOiB0KyhPTE9SIHNlbGQgYShhcnQgYnkgYm9sgWdvb2QsIGRpbSwibW9ub2IKbW9ubyA9"
            + "W1tbW1t9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFtbW1tbW11dXV1dXV1d"
            + "XV1dXV1dXTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"
            + "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OV1dXV3//////wAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAXV1dXV1dXV1dXV1dXf/////////////////9////d1tbW1ueW1tbhltbW1tbW1tbW1tb/1NbW1s="))
        XCTAssertThrowsError(try ThemeFile.parse(String(decoding: input, as: UTF8.self), file: "t.toml", defaultName: "t")) { error in
            XCTAssertEqual((error as? ThemeError)?.line, 2, "\(error)")
            XCTAssertTrue("\(error)".contains("expected a value or ']'"), "\(error)")
        }
    }
}

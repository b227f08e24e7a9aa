import XCTest
import DropoutNet
import Numerics

final class WMFFactorsFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wmf-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func sample() -> WMFFactorsFile {
        let u = Matrix(rows: 3, cols: 2, values: [1, 2, 3, 4, 5, -6.5])
        let v = Matrix(rows: 2, cols: 2, values: [0.25, -1, 7, 8])
        return WMFFactorsFile(factors: WMFFactors(users: u, items: v),
                              options: WMFOptions(rank: 2, regularization: 0.5, alpha: 3, iterations: 4, solver: .cholesky, seed: 11),
                              splitIdentity: "random seed=1 cold_items=0.2 — ünïcode", loss: 12.5)
    }

    func testRoundTrip() throws {
        let url = dir.appendingPathComponent("f.wmf")
        try sample().write(to: url)
        try sample().write(to: url)  // overwriting an existing file works too
        let back = try WMFFactorsFile.read(from: url)
        XCTAssertEqual(back.factors.users.toArray(), sample().factors.users.toArray())
        XCTAssertEqual(back.factors.items.toArray(), sample().factors.items.toArray())
        XCTAssertEqual(back.factors.users.rows, 3)
        XCTAssertEqual(back.options.regularization, 0.5)
        XCTAssertEqual(back.options.alpha, 3)
        XCTAssertEqual(back.options.iterations, 4)
        XCTAssertEqual(back.options.solver, .cholesky)
        XCTAssertEqual(back.options.seed, 11)
        XCTAssertEqual(back.splitIdentity, sample().splitIdentity)
        XCTAssertEqual(back.loss, 12.5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["f.wmf"], "temporary file left behind")
    }

    func testDamagedFilesGiveClearErrors() throws {
        let good = sample().encoded()
        let path = "x.wmf"
        func error(_ d: Data) -> WMFFactorsFile.Error? {
            do { _ = try WMFFactorsFile.decode(d, path: path); return nil } catch { return error as? WMFFactorsFile.Error }
        }
        // Every truncation is an error, never a trap.
        for n in stride(from: 0, to: good.count, by: 3) {
            XCTAssertNotNil(error(good.prefix(n)), "prefix of \(n) bytes accepted")
        }
        if case .truncated(let p, let expected, let actual)? = error(good.prefix(good.count - 5)) {
            XCTAssertEqual(p, path); XCTAssertEqual(expected, good.count); XCTAssertEqual(actual, good.count - 5)
        } else { XCTFail("expected .truncated") }
        XCTAssertEqual(error(Data("hello, world".utf8)), .notAFactorsFile(path: path))

        var newer = good
        newer[8] = 9
        XCTAssertEqual(error(newer), .unsupportedVersion(path: path, found: 9, supported: WMFFactorsFile.version))

        var flipped = good
        flipped[good.count - 20] ^= 0x10  // inside V
        guard case .corrupt(_, let reason)? = error(flipped) else { return XCTFail("flipped byte accepted") }
        XCTAssertTrue(reason.contains("checksum"), reason)

        var huge = good
        for i in 12..<20 { huge[i] = 0xFF }  // users = 2^64 − 1
        XCTAssertNotNil(error(huge))

        XCTAssertTrue("\(error(good.prefix(40))!)".contains("x.wmf"))
        XCTAssertThrowsError(try WMFFactorsFile.read(from: dir.appendingPathComponent("missing.wmf"))) {
            XCTAssertTrue("\($0)".contains("missing.wmf"), "\($0)")
        }
    }
}

extension WMFFactorsFileTests {
    func testSplitIdentityTellsSplitsApart() throws {
        let d = Dataset(name: "tiny", userIDs: ["a", "b"], itemIDs: ["x", "y"], users: [0, 1, 1], items: [0, 0, 1], labels: [1, 1, 1])
        func split(_ train: [Int32]) -> Split {
            Split(train: train, validation: [], warmTest: [2], coldUserTest: [], coldItemTest: [], coldUsers: [], coldItems: [],
                  coldItemCandidates: [], origin: "test")
        }
        let a = WMFFactorsFile.splitIdentity(dataset: d, split: split([0, 1]))
        XCTAssertEqual(a, WMFFactorsFile.splitIdentity(dataset: d, split: split([0, 1])))
        XCTAssertNotEqual(a, WMFFactorsFile.splitIdentity(dataset: d, split: split([0])))
        var file = sample()
        file.splitIdentity = a
        XCTAssertNoThrow(try file.requireSplit(a, path: "f"))
        XCTAssertThrowsError(try file.requireSplit("other", path: "f")) {
            XCTAssertTrue("\($0)".contains("another dataset or split"), "\($0)")
        }
    }
}

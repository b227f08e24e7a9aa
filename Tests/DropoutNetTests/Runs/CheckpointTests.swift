import XCTest
@testable import DropoutNet

final class CheckpointTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func sample() throws -> Checkpoint {
        var settings = Settings()
        try settings.set("gamma", "7.5")
        var c = Checkpoint(header: CheckpointHeader(
            settings: settings, dataset: RunStoreTests.dataset, split: RunStoreTests.split, step: 1200,
            run: RunID("20261129-041500-ab12"), metrics: ["warm/recall@20": 0.3125, "cold_user/recall@20": .nan],
            metadata: ["user_encoder": .object(["vocab": .array([.string("a"), .string("b")])])],
            created: Date(timeIntervalSince1970: 1_800_000_000)))
        c.setTensor("user_tower.0.weight", shape: [3, 4], values: (0..<12).map { Float($0) * 0.5 - 2 })
        c.setTensor("user_tower.0.bn.running_var", shape: [4], values: [1, 2, 3, .infinity])
        c.setTensor("empty", shape: [0, 8], values: [])
        c.setInt32s("split.train", [0, 5, -1, Int32.max])
        c.setBlob("notes", Data("hello".utf8))
        return c
    }

    func testRoundTripKeepsEveryTensorBlobAndHeaderField() throws {
        let url = dir.appendingPathComponent("a.dnckpt")
        let original = try sample()
        try original.write(to: url)
        let loaded = try Checkpoint.read(from: url)
        XCTAssertEqual(loaded.tensors, original.tensors)
        XCTAssertEqual(loaded.blobs, original.blobs)
        XCTAssertEqual(try loaded.int32s("split.train"), [0, 5, -1, Int32.max])
        XCTAssertEqual(loaded.header.step, 1200)
        XCTAssertEqual(loaded.header.run, RunID("20261129-041500-ab12"))
        XCTAssertEqual(loaded.header.dataset, RunStoreTests.dataset)
        XCTAssertEqual(loaded.header.split, RunStoreTests.split)
        XCTAssertEqual(loaded.header.metrics["warm/recall@20"], 0.3125)
        XCTAssertTrue(loaded.header.metrics["cold_user/recall@20"]!.isNaN)
        XCTAssertEqual(loaded.header.metadata, original.header.metadata)
        XCTAssertEqual(loaded.header.created, original.header.created)
        XCTAssertEqual(try loaded.header.settingsValue().gamma, 7.5)
        XCTAssertEqual(loaded.header.codeVersion, DropoutNetVersion.string)
        // Written atomically: nothing but the checkpoint is left in the directory.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.dnckpt"])
    }

    /// A checkpoint written by an earlier build (the fuzz corpus's seed), read and encoded
    /// again, is the same file byte for byte: the layout on disk has not moved.
    func testReEncodingAnEarlierBuildsFileGivesTheSameBytes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("FuzzCorpus/checkpoint/tiny-easyrec.dnckpt")
        let bytes = try Data(contentsOf: url)
        XCTAssertEqual(try Checkpoint.decode(bytes, file: url.path).encoded(), bytes)
    }

    func testMissingEntriesAreNamed() throws {
        let c = try sample()
        XCTAssertThrowsError(try c.tensor("item_tower.9.weight", file: "x.dnckpt")) { error in
            XCTAssertEqual((error as? CheckpointError)?.problem, .missingEntry("item_tower.9.weight"))
        }
    }

    func testCRC32MatchesZlib() {
        let bytes = Array("123456789".utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { CRC32.checksum($0) }, 0xCBF4_3926)
    }

    func testTruncationAtEveryOffsetIsAnErrorNotATrap() throws {
        let bytes = try sample().encoded()
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try Checkpoint.decode(bytes.prefix(n), file: "cut.dnckpt")) { error in
                guard let e = error as? CheckpointError, case .truncated(let expected, let actual) = e.problem else {
                    return XCTFail("cut at \(n): \(error)")
                }
                XCTAssertEqual(actual, n)
                XCTAssertEqual(expected, n < 20 ? 24 : bytes.count)
                XCTAssertTrue(e.description.hasPrefix("cut.dnckpt: truncated"))
            }
        }
    }

    func testEveryFlippedByteIsDetected() throws {
        let bytes = try sample().encoded()
        for offset in 0..<bytes.count {
            for mask: UInt8 in [0x01, 0x80] {
                var copy = bytes
                copy[copy.startIndex + offset] ^= mask
                XCTAssertThrowsError(try Checkpoint.decode(copy, file: "flip.dnckpt"), "flip at \(offset)") { error in
                    XCTAssertTrue(error is CheckpointError, "flip at \(offset): \(error)")
                }
            }
        }
    }

    func testWrongVersionMagicAndTrailingBytesAreNamed() throws {
        var bytes = try sample().encoded()
        bytes[8] = 2
        XCTAssertThrowsError(try Checkpoint.decode(bytes, file: "v2.dnckpt")) { error in
            XCTAssertEqual((error as? CheckpointError)?.problem, .unsupportedVersion(found: 2, supported: 1))
            XCTAssertTrue("\(error)".contains("v2.dnckpt: checkpoint format version 2"))
        }
        XCTAssertThrowsError(try Checkpoint.decode(Data("train_input_path: \"x\"\n".utf8), file: "p.config")) { error in
            XCTAssertEqual((error as? CheckpointError)?.problem, .notACheckpoint)
        }
        XCTAssertThrowsError(try Checkpoint.decode(try sample().encoded() + Data([0]), file: "t.dnckpt")) { error in
            XCTAssertEqual((error as? CheckpointError)?.problem, .trailingBytes(1))
        }
        XCTAssertThrowsError(try Checkpoint.read(from: dir.appendingPathComponent("nope.dnckpt"))) { error in
            XCTAssertEqual((error as? CheckpointError)?.problem, .unreadable("no such file"))
        }
    }

    /// Payloads with a valid checksum but nonsense inside (a buggy writer) must still not trap.
    func testGarbageWithAValidChecksumIsMalformedNotATrap() throws {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<300 {
            var payload = Data((0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            if trial % 3 == 0 { payload = Data([2, 0, 0, 0]) + Data("{}".utf8) + payload }
            var file = Data("DNETCKPT".utf8)
            file.appendLE(UInt32(1))
            file.appendLE(UInt64(payload.count))
            file.append(payload)
            file.appendLE(payload.withUnsafeBytes { CRC32.checksum($0) })
            XCTAssertThrowsError(try Checkpoint.decode(file, file: "g.dnckpt")) { error in
                guard let e = error as? CheckpointError, case .malformed = e.problem else { return XCTFail("\(error)") }
            }
        }
    }
    /// Found by fuzzing: an empty tensor's shape [0, 2^63] passed the size check (the product
    /// is 0) and trapped converting the second dimension to Int. It is malformed, not a crash.
    func testAnEmptyTensorWithAnImpossibleDimensionIsMalformed() throws {
        var c = Checkpoint(header: try sample().header)
        c.setTensor("empty", shape: [0, 7], values: [])
        var file = try c.encoded()
        // The tensor is the payload's last entry: its second dimension is the 8 bytes before the CRC.
        let end = file.count - 4
        file.replaceSubrange((end - 8)..<end, with: withUnsafeBytes(of: (UInt64(1) << 63).littleEndian) { Data($0) })
        let payload = file[20..<end]
        file.replaceSubrange(end..<file.count, with: withUnsafeBytes(of: payload.withUnsafeBytes { CRC32.checksum($0) }.littleEndian) { Data($0) })
        XCTAssertThrowsError(try Checkpoint.decode(file, file: "f.dnckpt")) { error in
            guard let e = error as? CheckpointError, case .malformed(let why) = e.problem else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("dimension"), why)
        }
    }
}

import Foundation
import Numerics
import XCTest
@testable import DropoutNet

final class FeatureEncoderTests: XCTestCase {
    private func side(_ columns: [(String, SideContent.ColumnKind, [String])]) -> SideContent {
        SideContent(columns: columns.map { SideContent.Column(name: $0.0, kind: $0.1, values: $0.2) }, count: columns[0].2.count)
    }

    /// Row r's sparse entries by column name.
    private func entries(_ f: EncodedFeatures, _ r: Int) -> [String: Float] {
        var out: [String: Float] = [:]
        for e in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] { out[f.sparseNames[Int(f.sparse.columnIndices[e])]] = f.sparse.values[e] }
        return out
    }

    func testTfidfMatchesAHandComputation() {
        // N = 4 fitted documents. df: apple, banana, cherry, date 2 → idf ln(4/3) = 0.287682;
        // elder 1 → ln(4/2) = 0.693147; fig 3 → ln(4/4) = 0, dropped. Row 4 is cold.
        let content = side([("text", .text, ["apple apple banana fig", "banana cherry fig", "cherry date fig",
                                              "apple date elder", "apple kiwi kiwi"])])
        let fitRows = [true, true, true, true, false]
        let encoder = FeatureEncoder(fitting: content, fitRows: fitRows, options: EncoderOptions(textMinDocumentFrequency: 1))
        XCTAssertEqual(encoder.sparseNames, ["text:apple", "text:banana", "text:cherry", "text:date", "text:elder"])
        // By default text drops words of one training row.
        XCTAssertFalse(FeatureEncoder(fitting: content, fitRows: fitRows).sparseNames.contains("text:elder"))
        let f = encoder.encode(content)
        // d0: apple tf 2 → ln 3 · 0.287682, banana ln 2 · 0.287682, then L2-normalised.
        let d0 = entries(f, 0)
        XCTAssertEqual(d0.count, 2)
        XCTAssertEqual(d0["text:apple"]!, 0.845737, accuracy: 1e-5)
        XCTAssertEqual(d0["text:banana"]!, 0.533600, accuracy: 1e-5)
        // d3: three terms of tf 1; the rarer elder weighs more.
        let d3 = entries(f, 3)
        XCTAssertEqual(d3["text:apple"]!, 0.357936, accuracy: 1e-5)
        XCTAssertEqual(d3["text:date"]!, 0.357936, accuracy: 1e-5)
        XCTAssertEqual(d3["text:elder"]!, 0.862418, accuracy: 1e-5)
        // The cold row: kiwi was never fitted and encodes to nothing; apple alone has norm 1.
        XCTAssertEqual(entries(f, 4), ["text:apple": 1])
    }

    func testTagsKeepTheirWholeVocabulary() {
        // 12,000 distinct tags (more than the old 5,000 cap, which hashed them into 4,096 buckets):
        // row r has tags r and r+1 (mod 12,000) and a common one in every 4th row.
        let rows = 12_000
        let tags = (0..<rows).map { r in "t\(r)|t\((r + 1) % rows)" + (r % 4 == 0 ? "|common" : "") }
        let content = side([("tags", .multi, tags)])
        let encoder = FeatureEncoder(fitting: content, fitRows: [Bool](repeating: true, count: rows))
        XCTAssertEqual(encoder.sparseWidth, rows + 1, "every tag its own column")
        XCTAssertTrue(encoder.sparseNames.contains("tags:t11999") && encoder.sparseNames.contains("tags:common"))
        let f = encoder.encode(content)
        var columnsSeen = Set<Int32>()
        for r in 0..<rows {
            let e = entries(f, r)
            XCTAssertEqual(Set(e.keys), Set(tags[r].split(separator: "|").map { "tags:\($0)" }), "row \(r): no tag lost or merged")
            if r % 4 == 0 { XCTAssertLessThan(e["tags:common"]!, e["tags:t\(r)"]!, "a tag of 3,000 rows weighs less than one of 2") }
            for k in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] { columnsSeen.insert(f.sparse.columnIndices[k]) }
        }
        XCTAssertEqual(columnsSeen.count, rows + 1)
        // The old scheme (what old checkpoints were trained on) hashes the same column.
        let old = FeatureEncoder(fitting: content, fitRows: [Bool](repeating: true, count: rows), options: .hashedTags)
        XCTAssertEqual(old.sparseWidth, 4_096)
        XCTAssertEqual(old.sparseNames.first, "tags#0")
    }

    /// MovieLens tags and titles as text: `sci-fi` is one term and `the` none under the current
    /// scheme; a checkpoint of the previous scheme keeps the terms it was trained on.
    func testTextKeepsHyphenatedWordsWholeAndDropsStopWords() {
        XCTAssertEqual(TextTokenizer.words.terms("The Sci-Fi of X-Men -- well- -dark 2-pack"),
                       ["sci-fi", "x-men", "well", "dark", "2-pack"])
        XCTAssertEqual(TextTokenizer.alphanumericRuns.terms("The Sci-Fi of X-Men"), ["the", "sci", "fi", "of", "x", "men"].filter { $0.count >= 2 })
        let content = side([("tags", .text, ["sci-fi space", "sci-fi the dark", "the dark space", "space sci-fi dark", "the"])])
        let fitRows = [true, true, true, true, true]
        let current = FeatureEncoder(fitting: content, fitRows: fitRows, options: EncoderOptions(textMinDocumentFrequency: 1))
        XCTAssertEqual(current.options.scheme, .wholeWords)
        XCTAssertTrue(current.sparseNames.contains("tags:sci-fi"), "\(current.sparseNames)")
        XCTAssertFalse(current.sparseNames.contains { $0 == "tags:the" || $0 == "tags:sci" || $0 == "tags:fi" }, "\(current.sparseNames)")
        var previous = EncoderOptions(scheme: .fullVocabulary)
        previous.textMinDocumentFrequency = 1
        let old = FeatureEncoder(fitting: content, fitRows: fitRows, options: previous)
        XCTAssertTrue(old.sparseNames.contains("tags:sci") && old.sparseNames.contains("tags:fi"), "\(old.sparseNames)")
        XCTAssertFalse(old.sparseNames.contains("tags:sci-fi"))
    }

    func testFewValuedMultiColumnsStayMultiHot() {
        let content = side([("genres", .multi, ["Drama|Crime", "Comedy", "Drama", "Crime|Comedy"])])
        let f = FeatureEncoder(fitting: content, fitRows: [true, true, true, true]).encode(content)
        XCTAssertEqual(f.sparseNames, ["genres=Comedy", "genres=Crime", "genres=Drama"])
        XCTAssertEqual(entries(f, 0), ["genres=Crime": 1, "genres=Drama": 1])
    }

    func testIdfIsFittedOnTrainingRowsOnly() {
        // Rows 0–5 are fitted; rows 6–9 are cold, and the second content gives them "shared" many
        // times over. Fitted rows must encode the same either way, and "fresh" (cold only) to nothing.
        let fitted = ["shared alpha", "beta", "gamma shared", "delta", "alpha beta", "gamma"]
        let a = side([("text", .text, fitted + ["fresh", "alpha", "beta", "delta"])])
        let b = side([("text", .text, fitted + ["shared shared fresh", "shared", "shared alpha", "shared"])])
        let flags = (0..<10).map { $0 < 6 }
        let ea = FeatureEncoder(fitting: a, fitRows: flags), eb = FeatureEncoder(fitting: b, fitRows: flags)
        XCTAssertEqual(ea.sparseNames, eb.sparseNames)
        XCTAssertFalse(ea.sparseNames.contains("text:fresh"))
        let fa = ea.encode(a), fb = eb.encode(b)
        for r in 0..<6 { XCTAssertEqual(entries(fa, r), entries(fb, r)) }
        // Both encoders give a cold row the same weights for the same words.
        XCTAssertEqual(entries(ea.encode(b), 8), entries(fb, 8))
        XCTAssertTrue(entries(fa, 6).isEmpty)
    }

    /// Items of 6 topics, each with 4 of its topic's 30 tags; the first 240 are fitted.
    private func topicTags(cold: (Int) -> String?) -> SideContent {
        var rng = SplitMix64(seed: 21)
        let tags = (0..<300).map { i -> String in
            if i >= 240, let c = cold(i) { return c }
            return (0..<4).map { _ in "topic\(i % 6)_\(rng.nextInt(below: 30))" }.joined(separator: "|")
        }
        return side([("tags", .multi, tags), ("year", .numeric, (0..<300).map { String(1990 + $0 % 30) })])
    }

    func testSVDProjectionIsFittedOnTrainingRowsOnlyAndStandardised() {
        let flags = (0..<300).map { $0 < 240 }
        var options = EncoderOptions(multiHotCap: 10)
        options.svd = 8
        let plain = topicTags { _ in nil }
        let odd = topicTags { i in "topic0_1|topic0_2|unseen\(i)" }   // other cold rows
        let ea = FeatureEncoder(fitting: plain, fitRows: flags, options: options)
        let eb = FeatureEncoder(fitting: odd, fitRows: flags, options: options)
        let fa = ea.encode(plain), fb = eb.encode(odd)
        XCTAssertEqual(fa.sparse.cols, 0)
        XCTAssertEqual(fa.dense.cols, 1 + 8)
        XCTAssertEqual(fa.denseNames, ["year (z)"] + (0..<8).map { "content.svd[\($0)]" })
        XCTAssertEqual(ea.projection?.singularValues, eb.projection?.singularValues)
        XCTAssertEqual(fa.dense.rows(0..<240).toArray(), fb.dense.rows(0..<240).toArray(), "cold rows do not move the fit")
        // z-scored over the fitted rows and clipped.
        for j in 1..<9 {
            let col = (0..<240).map { Double(fa.dense[$0, j]) }
            let mean = col.reduce(0, +) / 240
            let sd = (col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 240).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 5e-2)
            XCTAssertLessThanOrEqual(sd, 1.0001)   // 1, less where ±5 clipped
            XCTAssertGreaterThan(sd, 0.5)
            XCTAssertLessThanOrEqual((0..<300).map { abs(fa.dense[$0, j]) }.max()!, ContentProjection.clip)
        }
        // Six topics: at least six independent directions.
        XCTAssertEqual(ea.projection!.singularValues.prefix(6).filter { $0 > 0 }.count, 6)
        // Deterministic: a second fit gives the same bits.
        let again = FeatureEncoder(fitting: plain, fitRows: flags, options: options).encode(plain)
        XCTAssertEqual(again.dense.toArray(), fa.dense.toArray())
    }

    func testSVDLeavesANarrowSparseBlockAlone() {
        var options = EncoderOptions()
        options.svd = 300
        let content = side([("genres", .multi, ["a|b", "b", "c", "a"])])
        let f = FeatureEncoder(fitting: content, fitRows: [true, true, true, true], options: options).encode(content)
        XCTAssertEqual(f.sparse.cols, 3)
        XCTAssertEqual(f.dense.cols, 0)
    }

    /// Unstandardised, column j of the fitted rows' projection is X·v_j = σ_j·u_j: its norm is
    /// σ_j, so strong directions stay strong (what the scoring priors' ridge relies on).
    func testAnUnstandardisedProjectionKeepsEachDirectionsSpread() {
        var rng = SplitMix64(seed: 3)
        let entries = (0..<200).map { r -> [(Int, Float)] in
            var cols = Set<Int>()
            while cols.count < 5 { cols.insert((r % 4) * 10 + rng.nextInt(below: 10)) }
            return cols.sorted().map { ($0, Float(1 + rng.nextInt(below: 3))) }
        }
        let x = SparseMatrix(rows: 200, cols: 40, entries: entries)
        let p = ContentProjection(fitting: x, rank: 4, seed: 1)
        let out = Matrix(rows: 200, cols: 4)
        p.project(x, into: out, column: 0, standardized: false)
        for j in 0..<4 {
            let norm = (0..<200).reduce(Float(0)) { $0 + out[$1, j] * out[$1, j] }.squareRoot()
            XCTAssertEqual(norm, p.singularValues[j], accuracy: 0.01 * p.singularValues[0])
        }
        XCTAssertGreaterThan(p.singularValues[0], p.singularValues[3])
    }

    func testOldCheckpointOptionsDecodeToTheOldScheme() throws {
        // What checkpoints recorded before encoding schemes existed.
        let old = #"{"textVocabularyCap":20000,"textMinDocumentFrequency":2,"categoricalCap":5000,"hashBuckets":4096}"#
        let decoded = try JSONDecoder().decode(EncoderOptions.self, from: Data(old.utf8))
        XCTAssertEqual(decoded, .hashedTags)
        XCTAssertEqual(decoded.scheme, .hashedTags)
        XCTAssertEqual(decoded.svd, 0)
        // Today's options survive the checkpoint's JSON (numbers pass through Double).
        var current = EncoderOptions()
        current.svd = 300
        let viaJSONValue = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(current))
        XCTAssertEqual(try JSONDecoder().decode(EncoderOptions.self, from: JSONEncoder().encode(viaJSONValue)), current)
    }

    func testCheckpointWithoutOptionsOrWithOldOnesGetsTheOldScheme() throws {
        let data = TrainingFixture.data
        var header = CheckpointHeader(settings: Settings(), dataset: DatasetIdentity(dataset: data.dataset, path: "fixture"),
                                      split: SplitIdentity(split: data.split), step: 0, run: nil, metrics: [:])
        XCTAssertEqual(ModelCheckpoint.encoderOptions(of: Checkpoint(header: header)), .hashedTags)
        header.metadata["encoder_options"] = .object(["textVocabularyCap": .number(20000), "textMinDocumentFrequency": .number(2),
                                                      "categoricalCap": .number(5000), "hashBuckets": .number(4096)])
        XCTAssertEqual(ModelCheckpoint.encoderOptions(of: Checkpoint(header: header)), .hashedTags)
    }

    func testContentSVDSettingReachesTheEncoderOptions() throws {
        var s = Settings()
        XCTAssertEqual(s.encoderOptions, EncoderOptions())
        try s.apply(assignment: "content.svd=300")
        XCTAssertEqual(s.value(of: "content.svd"), "300")
        XCTAssertEqual(s.encoderOptions.svd, 300)
        XCTAssertEqual(s.encoderOptions.scheme, .wholeWords)
        XCTAssertThrowsError(try s.apply(assignment: "content.svd=-1"))
        XCTAssertEqual(try Settings(json: s.json).contentSVD, 300)
    }
}

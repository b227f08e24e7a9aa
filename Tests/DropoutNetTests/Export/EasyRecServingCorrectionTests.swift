import XCTest
import Numerics
@testable import DropoutNet

/// `item_log_q.csv`: the logQ correction EasyRec's training lacks, handed to the embeddings
/// script so EasyRec's model is ranked as the workbench ranks its own.
final class EasyRecServingCorrectionTests: XCTestCase {
    static var data: TrainingData { EasyRecDataTests.data }

    func parse(_ text: String) -> [(id: String, logQ: Float)] {
        text.split(separator: "\n").map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (String(f[0]), Float(f[1])!)
        }
    }

    /// One line per item of the dataset, holding to the last bit the log q the workbench's
    /// softmax subtracts (every training row counts, hard negatives included).
    func testLogQIsTheWorkbenchSamplingPriorOfEveryItem() throws {
        let (_, files) = try EasyRecDataTests.export(EasyRecDataTests.statsSettings())
        let text = try XCTUnwrap(files.itemLogQ, "the defaults train with negatives.logq")
        let rows = parse(text)
        let d = Self.data.dataset
        XCTAssertEqual(rows.map(\.id), d.itemIDs)
        let prior = ItemSamplingPrior(batchRowsOf: Self.data)
        XCTAssertEqual(rows.map(\.logQ), prior.logProbability)
        // The counts behind it are train.csv's rows: the share of rows holding the item.
        var counts: [String: Int] = [:]
        let train = files.train.split(separator: "\n")
        for line in train { counts[String(line.split(separator: ",")[2]), default: 0] += 1 }
        for (id, logQ) in rows {
            let expected = log(Double(max(counts[id] ?? 0, 1)) / Double(train.count))
            XCTAssertEqual(Double(logQ), expected, accuracy: 1e-5, id)
        }
        // A cold item has no training row and counts once, as in the workbench.
        let cold = d.itemIDs[Int(Self.data.split.coldItems[0])]
        XCTAssertNil(counts[cold])
        XCTAssertEqual(Double(rows.first { $0.id == cold }!.logQ), -log(Double(train.count)), accuracy: 1e-5)
    }

    /// Without the correction in training (or without an in-batch softmax) EasyRec's cosine is
    /// already what the workbench ranks by: no file, and the header does not mention one.
    func testNoLogQWhenTheWorkbenchTrainsWithoutIt() throws {
        var s = EasyRecDataTests.statsSettings()
        let (_, on) = try EasyRecDataTests.export(s)
        XCTAssertTrue(on.config.text.contains(EasyRecExport.itemLogQFile))
        s.negativesLogQ = false
        let (_, off) = try EasyRecDataTests.export(s)
        XCTAssertNil(off.itemLogQ)
        XCTAssertFalse(off.config.text.contains(EasyRecExport.itemLogQFile))
        s.negativesLogQ = true
        s.loss = [.sigmoid]
        s.lossWeights = [1]
        XCTAssertNil(try EasyRecDataTests.export(s).1.itemLogQ, "no softmax, no sampled negatives to correct")
    }

    /// The note says what to do at serving, not only what goes wrong.
    func testNoteTellsHowToRankEasyRecsEmbeddings() throws {
        let notes = try EasyRecExport(settings: EasyRecDataTests.statsSettings(),
                                      schema: EasyRecSchema(dataset: Self.data.dataset, trainInteractions: Self.data.split.train.count))
            .render().notes.filter { $0.setting == "negatives.logq" }
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes[0].message.contains("γ·cosine + log q(item)"), notes[0].message)
    }
}

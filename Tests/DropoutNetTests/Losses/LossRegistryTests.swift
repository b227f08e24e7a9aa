import Numerics
import XCTest
@testable import DropoutNet

/// The loss registry (`LossKind.definition`) drives the step, the breakdown, the chart series,
/// the run store's parts and the EasyRec export: each kind's value lands in its own lane and
/// under its own name, and nothing else.
final class LossRegistryTests: XCTestCase {
    func testEveryKindHasItsOwnLane() {
        XCTAssertLessThanOrEqual(LossKind.allCases.count, LossValues<Float>.capacity)
        XCTAssertEqual(LossKind.allCases.map(\.index), Array(0..<LossKind.allCases.count))
        var v = LossValues<Double>()
        for (i, kind) in LossKind.allCases.enumerated() { v[kind] = Double(i + 1) }
        XCTAssertEqual(LossKind.allCases.map { v[$0] }, (1...LossKind.allCases.count).map(Double.init))
    }

    func testEachKindAloneFillsOnlyItsPartAndItsName() throws {
        let batch = LossBatch.random(batch: 12, dimension: 4, seed: 3)
        let users = TestNormalization.forward(batch.rawUsers), items = TestNormalization.forward(batch.rawItems)
        for kind in LossKind.allCases {
            let loss = TrainingLoss(maxBatchSize: 12, maxNegatives: 3)
            var p = LossParameters.only(kind, m: 3)
            p[weightOf: kind] = 0.5
            let r = try loss.compute(users: users, items: items, batch: batch, params: p)
            XCTAssertNotEqual(r[kind], 0, "\(kind)")
            XCTAssertGreaterThan(r.terms[kind], 0, "\(kind)")
            for other in LossKind.allCases where other != kind { XCTAssertEqual(r[other], 0, "\(kind) wrote \(other)'s part") }
            XCTAssertEqual(r.total, 0.5 * r[kind], accuracy: 1e-12)
            XCTAssertEqual(r.namedParts, [kind.rawValue: r[kind]])
            let point = LossSeries.Point(step: 1, r)
            XCTAssertEqual(Double(point[kind]), r[kind], accuracy: 1e-6)
            XCTAssertEqual(p.needsNegatives, kind.definition.input == .inBatchNegatives, "\(kind)")
        }
    }

    func testAKindListedTwiceAddsItsWeights() throws {
        var s = Settings()
        try s.set("loss", "pairwise,sigmoid,pairwise")
        try s.set("loss_weights", "1,0.5,0.25")
        let p = LossParameters(settings: s)
        XCTAssertEqual(p[weightOf: .pairwise], 1.25)
        XCTAssertEqual(p[weightOf: .sigmoid], 0.5)
        XCTAssertEqual(p[weightOf: .svsoftmax], 0)
    }

    func testEveryKindIsOfferedByThePickerAndDescribed() throws {
        let picker = try XCTUnwrap(Settings.entry("loss")?.knob)
        guard case let .picker(options) = picker.control else { return XCTFail("loss is not a picker") }
        XCTAssertEqual(options(Settings()), LossKind.allCases.map(\.rawValue))
        for kind in LossKind.allCases { XCTAssertFalse(kind.definition.help.isEmpty, "\(kind)") }
    }
}

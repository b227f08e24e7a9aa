import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// The user tower runs on a step's softmax anchors alone (`AnchorUserRows`): the same training
/// as the every-row pass wherever the two can agree, and the every-row pass whenever a loss
/// reads the other rows.
final class AnchorUserRowsTests: XCTestCase {
    func testAnchorsAreSpreadToTheirRowsAndTheirGradientsGatheredBack() {
        let rows = AnchorUserRows(maxBatch: 8, embeddingDim: 2)
        let labels: [Float] = [1, 0, 0, 1, 1], ids: [Int32] = [7, 8, 9, 10, 11]
        let saves = labels.withUnsafeBufferPointer { l in ids.withUnsafeBufferPointer { rows.collect(labels: l, userIDs: $0) } }
        XCTAssertTrue(saves)
        XCTAssertEqual(Array(rows.anchorIDs), [7, 10, 11])
        let out = rows.spreadToBatch(Matrix(rows: 3, cols: 2, values: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(out.toArray(), [1, 2, 0, 0, 0, 0, 3, 4, 5, 6])
        let grad = Matrix(rows: 8, cols: 2, values: (0..<16).map(Float.init))
        XCTAssertEqual(rows.gatherAnchors(grad).toArray(), [0, 1, 6, 7, 8, 9])

        for all in [[Float](repeating: 1, count: 5), [Float](repeating: 0, count: 5)] {
            let saves = all.withUnsafeBufferPointer { l in ids.withUnsafeBufferPointer { rows.collect(labels: l, userIDs: $0) } }
            XCTAssertFalse(saves, "a batch of anchors only, or of none, runs every row")
        }
    }

    /// Without batch norm and dropout (the two things that see the whole batch or draw per
    /// row) the anchors-only pass trains as the every-row pass: the same losses and weights, up
    /// to the rounding of products over fewer rows. So that rounding stays rounding: SGD, which
    /// passes it on linearly (Adam's first steps divide a gradient by its own size), and the
    /// plain softmax (the SV-softmax's margin test is a step, which a rounding can flip). And
    /// without momentum: a sparse content row only shown-not-clicked rows touch is still
    /// stepped by its momentum in the every-row pass, and left alone in the anchors-only one.
    func testTheAnchorsOnlyPassTrainsAsTheEveryRowPass() throws {
        var s = TrainingFixture.settings(epochs: 1)
        try s.set("loss", "softmax")
        s.batchNorm = false
        s.userDropout = 0
        s.itemDropout = 0
        s.optimizer = .sgd
        s.momentum = 0
        s.lr = 0.05
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = saved }
        func train(anchorsOnly: Bool) throws -> (losses: [Double], weights: [[Float]]) {
            let t = try Trainer(data: TrainingFixture.data, settings: s)
            t.userTowerOnAnchorsOnly = anchorsOnly
            let losses = try (0..<20).map { _ in try t.trainStep().total }
            return (losses, t.model.parameters.map { $0.value.toArray() })
        }
        let fast = try train(anchorsOnly: true), full = try train(anchorsOnly: false)
        XCTAssertGreaterThan(TrainingFixture.data.trainLabels.filter { $0 == 0 }.count, 0, "the fixture has shown-not-clicked rows")
        XCTAssertGreaterThan(abs(fast.losses.last! - fast.losses.first!), 0.01, "the steps train")
        for (a, b) in zip(fast.losses, full.losses) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b))) }
        for (a, b) in zip(fast.weights, full.weights) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5 * max(1, abs(y))) }
        }
    }

    /// A loss that reads every row's own score (pairwise) keeps the every-row pass: with it in
    /// the mix, turning the anchors-only pass off changes nothing, even with batch norm on.
    func testALossReadingEveryRowKeepsTheEveryRowPass() throws {
        var s = TrainingFixture.settings(epochs: 1)
        try s.set("loss", "svsoftmax,pairwise")
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = saved }
        func losses(anchorsOnly: Bool) throws -> [Double] {
            let t = try Trainer(data: TrainingFixture.data, settings: s)
            t.userTowerOnAnchorsOnly = anchorsOnly
            return try (0..<10).map { _ in try t.trainStep().total }
        }
        XCTAssertEqual(try losses(anchorsOnly: true), try losses(anchorsOnly: false))
    }
}

import Foundation
import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// One training step of a small EasyRec model against values computed independently in numpy
/// (float64): the loss, the embeddings and every parameter's gradient.
///
/// Tests/Fixtures/golden-step/step.json holds the settings, the data (content, WMF-style
/// preference vectors, training interactions), one batch and every trainable weight;
/// scripts/golden_step.py reads it, runs the forward and backward passes written out in numpy
/// (checked there against finite differences) and writes expected.json. The step covers the
/// preference and content sub-networks (a dense and a one-/multi-hot block), BatchNorm in training
/// mode, ReLU, the tower's linear output, L2 normalisation, the SV-softmax over stride-rolled
/// in-batch negatives with the logQ correction (some negatives mis-ranked, some not), a label-0
/// row that is a negative but not an anchor, and the L2 penalty on the dense kernels.
final class GoldenStepTests: XCTestCase {
    static let directory = TrainingFixture.packageRoot.appendingPathComponent("Tests/Fixtures/golden-step")

    /// Relative tolerance against float64: each value within 1e-4 of the reference, relative to
    /// the larger of its own size and 1% of its tensor's largest entry (a gradient entry that
    /// is the small difference of larger terms is as exact as those terms, not as itself).
    static let tolerance = 1e-4

    func testOneStepMatchesTheNumpyReference() throws {
        let fixture = try Self.json("step.json"), expected = try Self.json("expected.json")
        let step = try GoldenStep(fixture)
        for strategy in [InBatchNegatives.ScoringStrategy.direct, .gemm] {
            let result = try step.run(strategy)
            let label = "\(strategy) scoring"

            Self.assertClose(result.users, try Self.numbers(expected["users"]), "\(label): user embeddings")
            Self.assertClose(result.items, try Self.numbers(expected["items"]), "\(label): item embeddings")
            let loss = try XCTUnwrap(expected["loss"] as? [String: Any])
            Self.assertClose([result.loss.total], try Self.numbers(loss["total"]), "\(label): total loss")
            Self.assertClose([result.loss[.svsoftmax]], try Self.numbers(loss["svsoftmax"]), "\(label): SV-softmax")
            Self.assertClose([result.loss.l2], try Self.numbers(loss["l2"]), "\(label): L2 penalty")
            XCTAssertEqual(result.loss.anchors, 5, "\(label): the label-0 row is not an anchor")

            let gradients = try XCTUnwrap(expected["gradients"] as? [String: Any])
            XCTAssertEqual(Set(result.gradients.keys), Set(gradients.keys), "\(label): every trainable parameter has a reference gradient")
            for (name, want) in gradients {
                guard let got = result.gradients[name] else { continue }
                Self.assertClose(got, try Self.numbers(want), "\(label): gradient of \(name)")
            }
        }
    }

    /// The fixture's content columns encode to the inputs the reference used (the reference
    /// takes the encoded matrices as given).
    func testTheFixturesContentEncodesToTheReferencesInputs() throws {
        let fixture = try Self.json("step.json")
        let step = try GoldenStep(fixture)
        for (side, features) in [("users", step.data.userFeatures), ("items", step.data.itemFeatures)] {
            let encoded = try XCTUnwrap((fixture[side] as? [String: Any])?["encoded"] as? [String: Any])
            XCTAssertEqual(features.sparseNames, encoded["sparse_names"] as? [String], side)
            // Float32 values, written exactly in the fixture: equal, not close.
            XCTAssertEqual(features.dense.toArray(), try Self.numbers(encoded["dense"]).map(Float.init), "\(side) dense")
            var sparse = [Float](repeating: 0, count: features.sparse.rows * features.sparse.cols)
            for r in 0..<features.sparse.rows {
                for e in features.sparse.rowPointers[r]..<features.sparse.rowPointers[r + 1] {
                    sparse[r * features.sparse.cols + Int(features.sparse.columnIndices[e])] = features.sparse.values[e]
                }
            }
            XCTAssertEqual(sparse, try Self.numbers(encoded["sparse"]).map(Float.init), "\(side) sparse")
        }
    }

    // MARK: comparison and JSON helpers

    static func assertClose(_ got: [Double], _ want: [Double], _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, "\(what): \(got.count) values, expected \(want.count)", file: file, line: line)
        let largest = want.map(abs).max() ?? 0
        for (k, (g, w)) in zip(got, want).enumerated() {
            let scale = max(abs(w), 0.01 * largest)
            XCTAssertLessThanOrEqual(abs(g - w), tolerance * scale,
                                     "\(what)[\(k)]: \(g), numpy \(w)", file: file, line: line)
        }
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], name)
    }

    /// Every number in a (nested) JSON array, flattened row by row; a single number as [x].
    static func numbers(_ value: Any?) throws -> [Double] {
        switch value {
        case let n as NSNumber: return [n.doubleValue]
        case let a as [Any]: return try a.flatMap { try numbers($0) }
        default: throw GoldenStepError("expected numbers, got \(String(describing: value))")
        }
    }
}

struct GoldenStepError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The fixture as the Swift side builds it: settings, data, model with the fixture's weights, and
/// the batch; `run` does the trainer's step (forward, loss with its L2 term, backward).
struct GoldenStep {
    let settings: Settings
    let data: TrainingData
    let preference: (users: Matrix, items: Matrix)
    let weights: [String: (shape: [Int], values: [Float])]
    let userIDs, itemIDs: [Int32]
    let labels: [Float]

    struct Result {
        var users: [Double]
        var items: [Double]
        var loss: LossBreakdown
        var gradients: [String: [Double]]
    }

    init(_ fixture: [String: Any]) throws {
        var s = Settings()
        let raw = try XCTUnwrap(fixture["settings"] as? [String: String])
        for (key, value) in raw.sorted(by: { $0.key < $1.key }) { try s.set(key, value) }
        try s.validate()
        settings = s

        func side(_ name: String) throws -> [String: Any] { try XCTUnwrap(fixture[name] as? [String: Any], name) }
        let users = try side("users"), items = try side("items")
        let userIDs = try XCTUnwrap(users["ids"] as? [String]), itemIDs = try XCTUnwrap(items["ids"] as? [String])
        func content(_ side: [String: Any], _ kinds: [String: SideContent.ColumnKind], count: Int) throws -> SideContent {
            let columns = try XCTUnwrap(side["content"] as? [String: [String]])
            return SideContent(columns: try kinds.keys.sorted().map { name in
                .init(name: name, kind: kinds[name]!, values: try XCTUnwrap(columns[name], name))
            }, count: count)
        }
        let interactions = try XCTUnwrap(fixture["interactions"] as? [[Int]])
        let dataset = Dataset(name: "golden-step", userIDs: userIDs, itemIDs: itemIDs,
                              users: interactions.map { Int32($0[0]) }, items: interactions.map { Int32($0[1]) },
                              labels: interactions.map { UInt8($0[2]) },
                              userContent: try content(users, ["v": .vector, "g": .categorical], count: userIDs.count),
                              itemContent: try content(items, ["v": .vector, "tags": .multi], count: itemIDs.count))
        let split = Split(train: (0..<Int32(interactions.count)).map { $0 }, validation: [], warmTest: [], coldUserTest: [],
                          coldItemTest: [], coldUsers: [], coldItems: [], coldItemCandidates: [], origin: "golden-step")
        data = try TrainingData.prepare(dataset: dataset, split: split)

        func matrix(_ value: Any?) throws -> Matrix {
            let rows = try XCTUnwrap(value as? [[Double]])
            return Matrix(rows.map { $0.map(Float.init) })
        }
        preference = (try matrix(users["preference"]), try matrix(items["preference"]))

        let shapes = try XCTUnwrap(fixture["weight_shapes"] as? [String: [Int]])
        let values = try XCTUnwrap(fixture["weights"] as? [String: [Double]])
        var weights: [String: (shape: [Int], values: [Float])] = [:]
        for (name, shape) in shapes { weights[name] = (shape, try XCTUnwrap(values[name], name).map(Float.init)) }
        self.weights = weights

        let batch = try XCTUnwrap(fixture["batch"] as? [String: [Int]])
        self.userIDs = try XCTUnwrap(batch["users"]).map(Int32.init)
        self.itemIDs = try XCTUnwrap(batch["items"]).map(Int32.init)
        labels = try XCTUnwrap(batch["labels"]).map(Float.init)
    }

    func run(_ strategy: InBatchNegatives.ScoringStrategy) throws -> Result {
        let s = settings
        let model = try TwoTowerModel(data: data, settings: s, wmf: preference, maxBatch: labels.count)
        let trainable = model.trainableParameters
        XCTAssertEqual(Set(trainable.map(\.name)), Set(weights.keys), "the fixture sets every trainable weight, and only those")
        for p in trainable {
            guard let w = weights[p.name] else { continue }
            XCTAssertEqual(w.shape, [p.value.rows, p.value.cols], p.name)
            guard w.values.count == p.value.count else { continue }
            w.values.withUnsafeBufferPointer { p.value.data.update(from: $0.baseAddress!, count: $0.count) }
        }

        let loss = TrainingLoss(maxBatchSize: labels.count, maxNegatives: s.negativesM,
                                samplingPrior: ItemSamplingPrior(positiveCounts: data.itemPopularity))
        loss.negatives.strategy = strategy
        let gradUsers = Matrix(rows: labels.count, cols: model.embeddingDim)
        let gradItems = Matrix(rows: labels.count, cols: model.embeddingDim)
        var rng = SplitMix64(seed: 1)
        // The trainer's order: forward, zero the gradients, loss (adds 2λW), backward.
        let (u, v) = userIDs.withUnsafeBufferPointer { up in
            itemIDs.withUnsafeBufferPointer { ip in
                model.forward(userIDs: up, itemIDs: ip, userDropout: Float(s.userDropout), itemDropout: Float(s.itemDropout),
                              scaling: s.dropoutScaling, training: true, rng: &rng)
            }
        }
        model.zeroGrad()
        let breakdown = try labels.withUnsafeBufferPointer { l in
            try userIDs.withUnsafeBufferPointer { up in
                try itemIDs.withUnsafeBufferPointer { ip in
                    try loss.compute(users: u, items: v, labels: l, userIDs: up, itemIDs: ip, params: LossParameters(settings: s),
                                     rng: &rng, gradUsers: gradUsers, gradItems: gradItems, kernels: model.kernels)
                }
            }
        }
        XCTAssertEqual(loss.negatives.usesGEMM, strategy == .gemm)
        let embeddings = (u.toArray().map(Double.init), v.toArray().map(Double.init))
        model.backward(gradUsers: gradUsers, gradItems: gradItems)
        var gradients: [String: [Double]] = [:]
        for p in trainable { gradients[p.name] = p.grad.toArray().map(Double.init) }
        return Result(users: embeddings.0, items: embeddings.1, loss: breakdown, gradients: gradients)
    }
}

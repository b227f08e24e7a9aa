import Numerics
import XCTest
@testable import DropoutNet

/// What the scoring-prior tests share: towers that rank at random, a dot product over rows,
/// and fixture settings that train on small WMF vectors.
enum PriorFixtures {
    /// Every user's and item's `width`-wide embedding drawn uniformly from [0, 1) (from
    /// [−½, ½) when `centered`).
    static func randomEmbeddings(_ data: TrainingData, width: Int, seed: UInt64, centered: Bool = false) -> (Matrix, Matrix) {
        var rng = SplitMix64(seed: seed)
        let shift: Float = centered ? 0.5 : 0
        let u = Matrix(rows: data.userCount, cols: width), v = Matrix(rows: data.itemCount, cols: width)
        for i in 0..<u.count { u.data[i] = rng.nextFloat() - shift }
        for i in 0..<v.count { v.data[i] = rng.nextFloat() - shift }
        return (u, v)
    }

    /// The first user and item with training interactions and the first without.
    static func firstWarmAndCold(_ data: TrainingData) throws -> (warmUser: Int, coldUser: Int, warmItem: Int, coldItem: Int) {
        (try XCTUnwrap((0..<data.userCount).first { data.isKnownUser[$0] }), try XCTUnwrap((0..<data.userCount).first { !data.isKnownUser[$0] }),
         try XCTUnwrap((0..<data.itemCount).first { data.isKnownItem[$0] }), try XCTUnwrap((0..<data.itemCount).first { !data.isKnownItem[$0] }))
    }

    /// Row `r` of `a` dotted with row `s` of `b`.
    static func dot(_ a: Matrix, _ r: Int, _ b: Matrix, _ s: Int) -> Float { PriorWeight.dot(a.row(r), b.row(s), a.cols) }

    /// The fixture's settings with rank-8 WMF preference inputs on both sides (one epoch).
    static func wmfSettings() -> Settings { TrainingFixture.wmfSettings(iterations: 4) }

    /// `t` written to a checkpoint and read back: the checkpoint and the trainer it restores,
    /// whose ranking embeddings (priors included) must equal `t`'s.
    static func roundTrip(_ t: Trainer, file: String) throws -> (checkpoint: Checkpoint, restored: Trainer) {
        let identity = DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture")
        let c = try Checkpoint.decode(try ModelCheckpoint.make(trainer: t, dataset: identity, run: nil, metrics: [:]).encoded(), file: file)
        let restored = try ModelCheckpoint.trainer(from: c, data: TrainingFixture.data, file: file)
        XCTAssertEqual(restored.rankingEmbeddings().users.toArray(), t.rankingEmbeddings().users.toArray(), file)
        XCTAssertEqual(restored.rankingEmbeddings().items.toArray(), t.rankingEmbeddings().items.toArray(), file)
        return (c, restored)
    }
}

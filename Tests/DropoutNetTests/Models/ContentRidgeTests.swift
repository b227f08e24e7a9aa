import Numerics
import XCTest
@testable import DropoutNet

/// `ContentRidge`: the least-squares map from content to target vectors that starts the classic
/// model's linear cold path (`classic.content_start = ridge`).
final class ContentRidgeTests: XCTestCase {
    /// A content table with a dense block of `dense` columns and a sparse block of `sparse`.
    private func features(rows: Int, dense: Int, sparse: Int, perRow: Int, seed: UInt64) -> EncodedFeatures {
        var rng = SplitMix64(seed: seed)
        let d = Matrix(rows: rows, cols: dense)
        for i in 0..<d.count { d.data[i] = rng.nextFloat() * 2 - 1 }
        let entries: [[(Int, Float)]] = (0..<rows).map { _ in
            (0..<perRow).map { _ in (rng.nextInt(below: sparse), 0.2 + rng.nextFloat()) }
        }
        return EncodedFeatures(dense: d, sparse: SparseMatrix(rows: rows, cols: sparse, entries: entries),
                               denseNames: (0..<dense).map { "d\($0)" }, sparseNames: (0..<sparse).map { "s\($0)" })
    }

    /// The CG solution equals the direct solve of (XᵀX + λI)W = Xᵀ(Y − ȳ) built densely.
    func testConjugateGradientsMatchTheNormalEquations() throws {
        let f = features(rows: 60, dense: 3, sparse: 9, perRow: 3, seed: 1)
        let r = 2, lambda = 0.5
        var rng = SplitMix64(seed: 2)
        let y = Matrix(rows: 60, cols: r)
        for i in 0..<y.count { y.data[i] = rng.nextFloat() }
        let rows = (0..<60).map(Int32.init)
        let fit = ContentRidge.Problem(features: f, rows: rows).solve(targets: y, lambda: lambda, start: nil, maxIterations: 200)
        // Dense X (60 × 12) and the normal equations, solved by Cholesky per output column.
        let x = f.sparse.toDense(), k = 12
        func xRow(_ i: Int, _ j: Int) -> Double { j < 3 ? Double(f.dense[i, j]) : Double(x[i, j - 3]) }
        var a = [Float](repeating: 0, count: k * k)
        for p in 0..<k { for q in 0..<k { a[p * k + q] = Float((0..<60).reduce(0.0) { $0 + xRow($1, p) * xRow($1, q) } + (p == q ? lambda : 0)) } }
        Cholesky.factor(&a, k)
        for c in 0..<r {
            let mean = (0..<60).reduce(0.0) { $0 + Double(y[$1, c]) } / 60
            XCTAssertEqual(Double(fit.intercept[c]), mean, accuracy: 1e-5)
            var b = (0..<k).map { p in Float((0..<60).reduce(0.0) { $0 + xRow($1, p) * (Double(y[$1, c]) - mean) }) }
            a.withUnsafeBufferPointer { u in Cholesky.solve(u.baseAddress!, &b, k) }
            for p in 0..<k {
                let got = p < 3 ? fit.dense[p, c] : fit.sparse[p - 3, c]
                XCTAssertEqual(got, b[p], accuracy: 2e-3 * max(1, abs(b[p])), "column \(c), weight \(p)")
            }
        }
    }

    /// With targets that are a linear map of the content plus a little noise, the fitted map
    /// predicts rows it never saw, and λ comes out small (the grid's held-out error says so).
    func testAPlantedMapIsRecoveredOnRowsOutsideTheFit() throws {
        let n = 400, r = 4
        let f = features(rows: n, dense: 4, sparse: 30, perRow: 4, seed: 5)
        var rng = SplitMix64(seed: 6)
        let wd = Matrix(rows: 4, cols: r), ws = Matrix(rows: 30, cols: r)
        for i in 0..<wd.count { wd.data[i] = rng.nextFloat() * 2 - 1 }
        for i in 0..<ws.count { ws.data[i] = rng.nextFloat() * 2 - 1 }
        let truth = ContentRidge(dense: wd, sparse: ws, intercept: [0.5, -1, 2, 0], lambda: 0, holdoutError: nil, rows: 0)
        let all = (0..<n).map(Int32.init)
        let y = truth.predict(features: f, ids: all)
        for i in 0..<y.count { y.data[i] += 0.01 * (rng.nextFloat() - 0.5) }
        let fitRows = Array(all[..<300]), unseen = Array(all[300...])
        let fit = ContentRidge.fit(features: f, targets: y, rows: fitRows, seed: 7)
        XCTAssertNotNil(fit.holdoutError)
        XCTAssertLessThan(fit.holdoutError!, 0.05)
        let p = fit.predict(features: f, ids: unseen), t = truth.predict(features: f, ids: unseen)
        var err = 0.0, spread = 0.0
        for i in 0..<p.rows { for j in 0..<r { err += Double((p[i, j] - t[i, j]) * (p[i, j] - t[i, j])); spread += Double(t[i, j] * t[i, j]) } }
        XCTAssertLessThan(err / spread, 0.02, "relative error on unseen rows")
    }

    /// With targets unrelated to the content, held-out error prefers a large ridge: the map
    /// shrinks towards the mean instead of fitting noise.
    func testNoiseTargetsChooseALargeRidge() throws {
        let n = 300
        let f = features(rows: n, dense: 2, sparse: 50, perRow: 3, seed: 8)
        var rng = SplitMix64(seed: 9)
        let y = Matrix(rows: n, cols: 3)
        for i in 0..<y.count { y.data[i] = rng.nextFloat() }
        let rows = (0..<n).map(Int32.init)
        let noisy = ContentRidge.fit(features: f, targets: y, rows: rows, seed: 1)
        let scale = ContentRidge.Problem(features: f, rows: rows).meanDiagonal
        XCTAssertGreaterThanOrEqual(noisy.lambda, scale * 3, "noise: λ \(noisy.lambda), mean diagonal \(scale)")
    }

    /// The classic defaults have a linear cold path; a tower started from a ridge map gives a
    /// cold item exactly the map's prediction, and warm items keep their WMF factors.
    func testAClassicTowerStartsItsColdPathAtTheRidgeMap() throws {
        var s = Settings.classicDefaults
        s.userTower = [16]; s.itemTower = [16]; s.embeddingDim = 16; s.wmfRank = 16
        s.wmfIterations = 4; s.batchSize = 64; s.classicTopK = 10; s.evalEvery = 0
        XCTAssertEqual(s.classicContentStart, .ridge)
        let data = TrainingFixture.data
        let t = try Trainer(data: data, settings: s)
        XCTAssertTrue(t.model.item.hasLinearColdPath)
        let item = try XCTUnwrap(t.coldPathStarts.first { $0.side == "item" }?.map)
        XCTAssertEqual(t.coldPathStarts.map(\.side), ["user", "item"], "the fixture's users have content too")
        let cold = (0..<data.itemCount).filter { !data.isKnownItem[$0] }
        XCTAssertFalse(cold.isEmpty)
        let embedded = t.model.embedAllItems()
        let predicted = item.predict(features: data.itemFeatures, ids: cold.map(Int32.init))
        for (k, i) in cold.enumerated() {
            for j in 0..<16 { XCTAssertEqual(embedded[i, j], predicted[k, j], accuracy: 1e-4, "cold item \(i), factor \(j)") }
        }
        let raw = try XCTUnwrap(t.rawWMFFactors).items
        let warm = try XCTUnwrap((0..<data.itemCount).first { data.itemPopularity[$0] > 0 })
        XCTAssertEqual(embedded.rowArray(warm), raw.rowArray(warm))
        s.classicContentStart = .random
        XCTAssertTrue(try Trainer(data: data, settings: s).coldPathStarts.isEmpty)
        s.classicContentStart = .ridge
        s.itemTower = [32, 16]; s.userTower = [32, 16]
        XCTAssertTrue(try Trainer(data: data, settings: s).coldPathStarts.isEmpty, "a tanh layer: not linear, left alone")
    }
}

import Foundation
import Numerics
@testable import DropoutNet

/// A small in-memory world for trainer and session tests: users and items in groups that the
/// content reveals, positives mostly within a group, shown-not-clicked rows across groups.
enum TrainingFixture {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func dataset(users: Int = 600, items: Int = 1000, interactions: Int = 20000, seed: UInt64 = 3) -> Dataset {
        var rng = SplitMix64(seed: seed)
        let groups = 5
        var us: [Int32] = [], its: [Int32] = [], labels: [UInt8] = []
        for _ in 0..<interactions {
            let u = rng.nextInt(below: users), i = rng.nextInt(below: items)
            let match = u % groups == i % groups
            let p: Float = match ? 0.8 : 0.08
            us.append(Int32(u)); its.append(Int32(i)); labels.append(rng.nextFloat() < p ? 1 : 0)
        }
        let userContent = SideContent(columns: [
            .init(name: "group", kind: .categorical, values: (0..<users).map { "g\($0 % groups)" }),
            .init(name: "noise", kind: .numeric, values: (0..<users).map { _ in String(rng.nextFloat()) }),
        ], count: users)
        let itemContent = SideContent(columns: [
            .init(name: "genre", kind: .categorical, values: (0..<items).map { "g\($0 % groups)" }),
            .init(name: "tags", kind: .multi, values: (0..<items).map { "t\($0 % 3)|x\($0 % groups)" }),
        ], count: items)
        return Dataset(name: "fixture", userIDs: (0..<users).map { "u\($0)" }, itemIDs: (0..<items).map { "i\($0)" },
                       users: us, items: its, labels: labels, userContent: userContent, itemContent: itemContent)
    }

    static let data: TrainingData = {
        let d = dataset()
        let split = try! Splitter.make(d, SplitOptions())
        return try! TrainingData.prepare(dataset: d, split: split)
    }()

    /// Small towers so a step takes well under a millisecond; no content-only baseline (a second
    /// training) unless a test asks for it.
    static func settings(epochs: Int = 3, seed: UInt64 = 11) -> Settings {
        var s = Settings()
        s.batchSize = 64
        s.contentDNN = [16]
        s.preferenceDNN = [8]
        s.userTower = [32, 16]
        s.itemTower = [32, 16]
        s.embeddingDim = 16
        s.evalEvery = 50
        // Every due evaluation, whatever the machine's speed: tests compare evaluation steps.
        s.evalBudget = 0
        s.epochs = epochs
        s.seed = seed
        s.contentOnlyBaseline = .off
        return s
    }

    /// `settings(epochs: 1)` with rank-8 WMF preference inputs on both sides.
    static func wmfSettings(iterations: Int) -> Settings {
        var s = settings(epochs: 1)
        s.userPreference = .wmf
        s.itemPreference = .wmf
        s.wmfRank = 8
        s.wmfIterations = iterations
        return s
    }
}

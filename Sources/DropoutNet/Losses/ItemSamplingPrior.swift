import Foundation

/// log p(item) for the logQ correction: p is the item's share of training positives.
///
/// In-batch negatives are items of other rows, so an item turns up as a negative about as often
/// as it is a positive: negatives are drawn by popularity. Subtracting log p from each logit
/// (Yi et al., RecSys 2019) keeps the model from learning to bury popular items. An item with no
/// training positive (it can still appear on a shown-not-clicked row) counts as one positive so
/// its correction stays finite.
public struct ItemSamplingPrior: Sendable, Equatable {
    /// `logProbability[item]` = log(max(count, 1) / total positives).
    public let logProbability: [Float]
    /// Used for ids outside the table (as if the item had one positive).
    public let logProbabilityOfUnseen: Float

    public init(positiveCounts: [Int]) {
        let total = max(1, positiveCounts.reduce(0, +))
        let logTotal = log(Double(total))
        logProbability = positiveCounts.map { Float(log(Double(max($0, 1))) - logTotal) }
        logProbabilityOfUnseen = Float(-logTotal)
    }

    /// Counts positives (label > 0) per item among `interactions` of `dataset` (e.g. `split.train`).
    public init(dataset: Dataset, interactions: [Int32]) {
        var counts = [Int](repeating: 0, count: dataset.itemCount)
        for i in interactions where dataset.labels[Int(i)] > 0 {
            let item = Int(dataset.items[Int(i)])
            if item >= 0 && item < counts.count { counts[item] += 1 }
        }
        self.init(positiveCounts: counts)
    }

    @inline(__always)
    public func logP(_ item: Int32) -> Float {
        let i = Int(item)
        return i >= 0 && i < logProbability.count ? logProbability[i] : logProbabilityOfUnseen
    }
}

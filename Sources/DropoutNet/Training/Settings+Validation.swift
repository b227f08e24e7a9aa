extension Settings {
    /// Checks combinations a single key cannot: loss weights per loss, in-batch shifts vs batch
    /// size, grouped batches only for the EasyRec model.
    public func validate() throws {
        if lossWeights.count != loss.count {
            throw SettingsError(key: "loss_weights", message: "expected \(loss.count) weights (one per loss), got \(lossWeights.count)")
        }
        if model == .classic, let other = loss.first(where: { $0 != .mse }) {
            throw SettingsError(key: "loss", message: "model=classic regresses the towers' dot product onto WMF scores: its loss is mse, got \(other.rawValue)")
        }
        if model == .classic && batching == .grouped {
            throw SettingsError(key: "batching", message: "model=classic builds its batches per user from WMF scores (classic.top_k); batching=grouped applies to the EasyRec model")
        }
        if model == .easyrec, usesInBatchNegatives {
            try InBatchShiftCheck.validate(n: negativesN, m: negativesM, batch: batchSize, mode: negativesShifts)
        }
    }

    /// Whether a loss of the mix reads the rolled in-batch negatives (so N and M must fit the batch).
    public var usesInBatchNegatives: Bool { loss.contains { $0.definition.input == .inBatchNegatives } }
}

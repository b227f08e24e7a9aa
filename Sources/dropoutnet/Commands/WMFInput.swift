import DropoutNet
import Foundation

/// `--wmf FILE` of `train` and `tui`: WMF factors written by `dropoutnet pretrain wmf`, used
/// instead of fitting them when the run starts (the classic model's targets, `wmf` inputs).
enum WMFInput {
    /// Reads the factors, refuses factors fitted on another dataset or split (they would have
    /// seen test positives), and records the fit's options in `settings` (`wmf.*`) so the run
    /// describes the factors it used.
    static func load(_ path: String, data: TrainingData, settings: inout Settings) throws -> WMFFactors {
        let file: WMFFactorsFile
        do {
            file = try WMFFactorsFile.read(from: URL(fileURLWithPath: path))
            try file.requireSplit(WMFFactorsFile.splitIdentity(dataset: data.dataset, split: data.split), path: path)
        } catch let e as WMFFactorsFile.Error {
            throw UsageError(e.description)
        }
        let f = file.factors
        guard f.users.rows == data.userCount, f.items.rows == data.itemCount else {
            throw UsageError("\(path): factors for \(f.users.rows) users × \(f.items.rows) items; the data has \(data.userCount) × \(data.itemCount)")
        }
        settings.wmfRank = f.rank
        settings.wmfReg = Double(file.options.regularization)
        settings.wmfAlpha = Double(file.options.alpha)
        settings.wmfIterations = file.options.iterations
        return f
    }
}

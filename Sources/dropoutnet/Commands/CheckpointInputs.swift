import DropoutNet
import Foundation

/// What `eval` and `recommend` rebuild from a checkpoint: the dataset it names (or `--data`),
/// the exact split stored in it, and the prepared training data.
enum CheckpointInputs {
    static func load(checkpoint path: String, dataOptions: DataOptions, quiet: Bool) throws -> (Checkpoint, TrainingData) {
        let c = try Checkpoint.read(from: URL(fileURLWithPath: path))
        let split = try ModelCheckpoint.split(of: c, file: path)
        guard SplitIdentity(split: split).hash == c.header.split.hash else {
            throw CheckpointError(file: path, problem: .malformed("the stored split does not match its recorded identity \(c.header.split.hash)"))
        }
        let dir = dataOptions.data ?? c.header.dataset.path
        guard FileManager.default.fileExists(atPath: dir) else {
            throw UsageError("\(path): the checkpoint was trained on data at '\(dir)', which does not exist here; pass --data DIR")
        }
        let start = Date()
        let dataset = try DatasetLoader.load(directory: dir, format: dataOptions.format, useCache: !dataOptions.noCache)
        try split.validate(against: dataset)
        let data = try TrainingData.prepare(dataset: dataset, split: split, encoderOptions: ModelCheckpoint.encoderOptions(of: c))
        try ModelCheckpoint.checkDataset(of: c, data: data, file: path)
        let seconds = Date().timeIntervalSince(start)
        if !quiet && seconds > 1 {
            Console.note(String(format: "loaded %@ and the checkpoint's split (%.1f s)", dataset.name, seconds))
        }
        return (c, data)
    }
}

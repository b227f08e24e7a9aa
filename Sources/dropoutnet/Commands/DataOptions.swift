import ArgumentParser
import DropoutNet
import Foundation

extension DataFormat: ExpressibleByArgument {}

/// DATA OPTIONS of DESIGN §10, shared by every command that reads data.
struct DataOptions: ParsableArguments {
    @Option(help: "Data directory (default: the bundled sample-data).")
    var data: String?

    @Option(help: "Data format: auto, native, movielens or citeulike.")
    var format: DataFormat = .auto

    @Option(name: .customLong("cold-items"), help: "Fraction of items held out entirely (cold-item test).")
    var coldItems: Double = SplitOptions().coldItems

    @Option(name: .customLong("cold-users"), help: "Fraction of users held out entirely (cold-user test).")
    var coldUsers: Double = SplitOptions().coldUsers

    @Option(name: .customLong("warm-test"), help: "Fraction of the remaining positives held out (warm test).")
    var warmTest: Double = SplitOptions().warmTest

    @Option(help: "Fraction carved from each of cold items, cold users and warm positives for validation (with --split-dir: from train.csv, when the directory has no validation.csv).")
    var validation: Double = SplitOptions().validation

    @Option(name: .customLong("split-seed"), help: "Seed of the random split.")
    var splitSeed: UInt64 = SplitOptions().seed

    @Flag(name: .customLong("no-cache"), help: "Parse the data without reading or writing the binary cache (kept under $XDG_CACHE_HOME/dropoutnet).")
    var noCache = false

    @Option(name: .customLong("split-dir"), help: "Directory of predefined split files (train.csv, test.csv[, validation.csv, test_item_ids.csv]).")
    var splitDir: String?

    var splitOptions: SplitOptions {
        SplitOptions(coldItems: coldItems, coldUsers: coldUsers, warmTest: warmTest, validation: validation,
                     seed: splitSeed, splitDir: splitDir)
    }

    /// The data directory: `--data`, else the bundled sample-data found next to the current
    /// directory or above the executable (a `swift run` or an installed package).
    func directory() throws -> String {
        if let data { return data }
        if let found = DataOptions.bundledSampleData() { return found }
        throw UsageError("no --data given and the bundled sample-data/ was not found; pass --data DIR")
    }

    static func bundledSampleData() -> String? {
        let fm = FileManager.default
        var starts = [fm.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.append(exe)
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path { starts.append(bundle) }
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("sample-data")
                if fm.fileExists(atPath: candidate.appendingPathComponent("interactions.csv").path) { return candidate.path }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// Loads the dataset and makes its split; notes on stderr when loading was slow.
    func load(quiet: Bool = false) throws -> (dataset: Dataset, split: Split) {
        let dir = try directory()
        let start = Date()
        let dataset = try DatasetLoader.load(directory: dir, format: format, useCache: !noCache)
        let loaded = Date().timeIntervalSince(start)
        let split = try Splitter.make(dataset, splitOptions)
        let total = Date().timeIntervalSince(start)
        if !quiet && total > 1 {
            Console.note(String(format: "loaded %@: %d users, %d items, %d interactions (%.1f s, split %.1f s)",
                                dataset.name, dataset.userCount, dataset.itemCount, dataset.interactionCount, loaded, total - loaded))
        }
        return (dataset, split)
    }

    /// Loads, splits and prepares everything the trainer and evaluator consume, with content
    /// encoded as `encoderOptions` says (a run's `Settings.encoderOptions`).
    func prepare(encoderOptions: EncoderOptions, quiet: Bool = false) throws -> TrainingData {
        let (dataset, split) = try load(quiet: quiet)
        return try TrainingData.prepare(dataset: dataset, split: split, encoderOptions: encoderOptions)
    }
}

/// `--set content.KEY=VALUE` for commands that encode content but train nothing (`data inspect`,
/// `data export-split`): the `content.*` settings decide how content is encoded.
struct ContentSettingsOptions: ParsableArguments {
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: "content.KEY=VALUE (repeatable): how content is encoded, e.g. --set content.svd=300.")
    var assignments: [String] = []

    func encoderOptions() throws -> EncoderOptions {
        var settings = Settings()
        for a in assignments {
            let key = a.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard key.hasPrefix("content.") else {
                throw SettingsError(key: key, message: "this command takes only content.* settings (how content is encoded)")
            }
            try settings.apply(assignment: a)
        }
        return settings.encoderOptions
    }
}

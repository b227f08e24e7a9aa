import DropoutNet
import Foundation
import Workbench

/// Every kind of file the program reads from a user, as a libFuzzer target. One binary serves
/// them all; `DROPOUTNET_FUZZ_TARGET` picks the kind (`scripts/fuzz.sh` sets it).
///
/// A target feeds the input through the same public entry point a command uses (a data
/// directory through `DatasetLoader.load`, a split directory through `Splitter.make`, …), so
/// what it finds is what a user could hit. A thrown error is the expected answer to bad input;
/// only a crash (a trap, an out-of-bounds access, a hang) is a finding. Inputs of several files
/// are the files' contents separated by NUL bytes, in the order of `files`; a missing part is an
/// absent file.
enum FuzzTarget: String, CaseIterable {
    case native, movielens, citeulike
    case datasetTOML = "dataset-toml"
    case settingsTOML = "settings-toml"
    case themeTOML = "theme-toml"
    case checkpoint
    case splitDirectory = "split-dir"

    /// The files an input is cut into (NUL-separated), for directory targets.
    var files: [String] {
        switch self {
        case .native: return ["interactions.csv", "users.csv", "items.csv"]
        case .movielens: return ["ratings.csv", "movies.csv", "tags.csv"]
        case .citeulike: return ["users.dat", "mult.dat", "vocabulary.dat", "item-tag.dat", "tags.dat"]
        case .datasetTOML: return ["dataset.toml"]
        case .splitDirectory: return ["train.csv", "test.csv", "validation.csv", "test_item_ids.csv"]
        case .settingsTOML, .themeTOML, .checkpoint: return []
        }
    }

    /// Runs one input; errors are swallowed after their text is built (a description that
    /// traps is a finding too).
    func run(_ input: Data, in scratch: Scratch) {
        do {
            switch self {
            case .native, .movielens, .citeulike:
                let dir = try scratch.directory(files: files, input: input)
                let format: DataFormat = self == .native ? .native : self == .movielens ? .movielens : .citeulike
                try prepare(DatasetLoader.load(directory: dir, format: format, useCache: false, cache: nil))
            case .datasetTOML:
                // A fixed small data directory; only its dataset.toml varies.
                let dir = try scratch.directory(files: files, input: input, fixed: Fixtures.nativeFiles)
                try prepare(DatasetLoader.load(directory: dir, format: .native, useCache: false, cache: nil))
            case .splitDirectory:
                let dir = try scratch.directory(files: files, input: input)
                let split = try Splitter.make(Fixtures.dataset, SplitOptions(splitDir: dir))
                try split.validate(against: Fixtures.dataset)
                _ = try TrainingData.prepare(dataset: Fixtures.dataset, split: split)
            case .settingsTOML:
                _ = try SettingsFile.parse(String(decoding: input, as: UTF8.self), file: "settings.toml")
            case .themeTOML:
                _ = try ThemeFile.parse(String(decoding: input, as: UTF8.self), file: "theme.toml", defaultName: "fuzz")
            case .checkpoint:
                // A file as is when it starts with the magic; otherwise the input is the payload,
                // framed with a correct length and CRC so mutations reach the payload's parser.
                let file = input.starts(with: Array("DNETCKPT".utf8)) ? input : CheckpointFrame.wrap(payload: input)
                let c = try Checkpoint.decode(file, file: "model.dnckpt")
                _ = try ModelCheckpoint.settings(of: c, file: "model.dnckpt")
                _ = try ModelCheckpoint.split(of: c, file: "model.dnckpt")
                _ = ModelCheckpoint.encoderOptions(of: c)
                _ = ModelCheckpoint.coldUserPrior(of: c)
                _ = try ModelCheckpoint.rawWMF(of: c, file: "model.dnckpt")
            }
        } catch {
            _ = "\(error)"
        }
    }

    /// What a command does next with a loaded dataset: a random split and the encoded inputs.
    private func prepare(_ d: Dataset) throws {
        let split = try Splitter.make(d, SplitOptions())
        _ = try TrainingData.prepare(dataset: d, split: split)
    }
}

/// The small native dataset the `dataset-toml` and `split-dir` targets read beside their input.
enum Fixtures {
    static let nativeFiles: [String: String] = [
        "interactions.csv": "user,item,label\nu1,i1,1\nu1,i2,0\nu2,i2,1\nu2,i3,1\nu3,i1,1\nu3,i3,0\nu4,i4,1\n",
        "users.csv": "user,age,region\nu1,18-24,west\nu2,25-34,north\nu3,18-24,east\nu4,35-44,west\n",
        "items.csv": "item,title,genre,tags,year,blurb\ni1,A,Drama,x|y,1999,a tale of stars\ni2,B,Comedy,y,2005,"
            + "a tale of cats\ni3,C,Drama,,2010,stars and cats\ni4,D,Horror,z,1980,night\n",
    ]

    static let dataset: Dataset = {
        let dir = Scratch.make("fixture")
        for (name, text) in nativeFiles { try! Scratch.write(text.utf8, to: dir + "/" + name) }
        return try! DatasetLoader.load(directory: dir, format: .native, useCache: false, cache: nil)
    }()
}

/// A private directory the directory targets rewrite for every input.
final class Scratch {
    let path: String
    private var written: Set<String> = []

    init() { path = Scratch.make("input") }

    /// In memory (`/dev/shm`) where there is one: the files are rewritten for every input.
    static func make(_ name: String) -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = base + "/dropoutnet-fuzz-\(getpid())-\(name)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Plain write(2): Foundation's `Data.write` fsyncs, which made a run wait on the disk.
    static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let data = Array(bytes)
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, data.count - offset) }
            guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
            offset += n
        }
    }

    /// Writes the input's parts as `files` (and `fixed` files as given); removes files of the
    /// previous input that this one lacks. Returns the directory.
    func directory(files: [String], input: Data, fixed: [String: String] = [:]) throws -> String {
        let parts = input.split(separator: 0, maxSplits: files.count - 1, omittingEmptySubsequences: false)
        var now: Set<String> = []
        for (name, part) in zip(files, parts) {
            try Scratch.write(part, to: path + "/" + name)
            now.insert(name)
        }
        for (name, text) in fixed where !now.contains(name) {
            try Scratch.write(text.utf8, to: path + "/" + name)
            now.insert(name)
        }
        for stale in written.subtracting(now) { unlink(path + "/" + stale) }
        written = now
        return path
    }
}

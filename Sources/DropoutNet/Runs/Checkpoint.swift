import Foundation

/// A saved model: a JSON header (settings, dataset and split identity, step, metrics, code
/// version, model-specific metadata) plus named byte blobs and named Float32 tensors.
///
/// The container knows nothing about the model: a model saves its weights, batch-norm
/// statistics and optimizer state as named tensors and its encoder vocabularies as metadata or
/// blobs, and restores itself by name. Everything `eval` and `recommend` need to reproduce a
/// run's numbers lives in one file. The byte layout is in `Checkpoint+Binary.swift`.
public struct Checkpoint: Sendable {
    /// The on-disk format version this build writes and reads.
    public static let formatVersion: UInt32 = 1
    public static let fileExtension = "dnckpt"

    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]
        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not match \(values.count) values")
            self.shape = shape; self.values = values
        }
    }

    public var header: CheckpointHeader
    public internal(set) var tensors: [String: Tensor] = [:]
    public internal(set) var blobs: [String: Data] = [:]

    public init(header: CheckpointHeader) { self.header = header }

    /// Stores a tensor under `name` (replacing one of the same name).
    public mutating func setTensor(_ name: String, shape: [Int], values: [Float]) {
        tensors[name] = Tensor(shape: shape, values: values)
    }

    /// Stores raw bytes under `name` (e.g. a JSON-encoded vocabulary too large for the header).
    public mutating func setBlob(_ name: String, _ data: Data) { blobs[name] = data }

    /// Stores Int32 values (split index lists, id maps) as a little-endian blob.
    public mutating func setInt32s(_ name: String, _ values: [Int32]) {
        blobs[name] = values.map { $0.littleEndian }.withUnsafeBytes { Data($0) }
    }

    /// The tensor called `name`, or a `CheckpointError` naming `file` when absent.
    public func tensor(_ name: String, file: String = "checkpoint") throws -> Tensor {
        guard let t = tensors[name] else { throw CheckpointError(file: file, problem: .missingEntry(name)) }
        return t
    }

    public func blob(_ name: String, file: String = "checkpoint") throws -> Data {
        guard let b = blobs[name] else { throw CheckpointError(file: file, problem: .missingEntry(name)) }
        return b
    }

    public func int32s(_ name: String, file: String = "checkpoint") throws -> [Int32] {
        let data = try blob(name, file: file)
        guard data.count % 4 == 0 else {
            throw CheckpointError(file: file, problem: .malformed("blob '\(name)' is \(data.count) bytes, not a whole number of Int32 values"))
        }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
    }

    /// Writes the checkpoint atomically (temp file, fsync, rename): a failed write leaves the
    /// file that was there.
    public func write(to url: URL, using writer: AtomicWriter = .standard) throws {
        try writer.write(to: url) { emit in try stream(emit) }
    }

    /// Reads and verifies a checkpoint; every problem is a `CheckpointError` naming the file.
    public static func read(from url: URL) throws -> Checkpoint {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? error.localizedDescription : "no such file"
            throw CheckpointError(file: url.path, problem: .unreadable(reason))
        }
        return try decode(data, file: url.path)
    }
}

/// The JSON part of a checkpoint.
public struct CheckpointHeader: Codable, Equatable, Sendable {
    /// `DropoutNetVersion.string` of the build that wrote it (informational: compatibility is
    /// decided by the format version).
    public var codeVersion: String
    public var created: Date
    public var run: RunID?
    public var step: Int
    /// Settings as typed JSON keyed by `--set` keys (see `Settings.json`).
    public var settings: JSONValue
    public var dataset: DatasetIdentity
    public var split: SplitIdentity
    /// Metrics at this step, e.g. "warm/recall@20".
    public var metrics: [String: Double]
    /// Model-specific metadata (feature encoder state, tensor layout, …) chosen by the model code.
    public var metadata: [String: JSONValue]

    public init(settings: Settings, dataset: DatasetIdentity, split: SplitIdentity, step: Int, run: RunID? = nil,
                metrics: [String: Double] = [:], metadata: [String: JSONValue] = [:], created: Date = Date()) {
        codeVersion = DropoutNetVersion.string
        self.created = created
        self.run = run
        self.step = step
        self.settings = settings.json
        self.dataset = dataset
        self.split = split
        self.metrics = metrics
        self.metadata = metadata
    }

    /// The settings as a `Settings` value.
    public func settingsValue() throws -> Settings { try Settings(json: settings) }
}

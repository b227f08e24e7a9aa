/// Why a checkpoint file cannot be used. Always names the file; the CLI prints it and exits 2.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public enum Problem: Equatable, Sendable {
        case unreadable(String)
        case notACheckpoint
        case unsupportedVersion(found: UInt32, supported: UInt32)
        case truncated(expectedBytes: Int, actualBytes: Int)
        case trailingBytes(Int)
        case checksumMismatch(stored: UInt32, computed: UInt32)
        case malformed(String)
        case missingEntry(String)
        case incompatible(String)
    }

    public let file: String
    public let problem: Problem

    public init(file: String, problem: Problem) { self.file = file; self.problem = problem }

    public var description: String {
        let what: String
        switch problem {
        case .unreadable(let reason): what = "cannot read: \(reason)"
        case .notACheckpoint: what = "not a DropoutNet checkpoint (wrong magic bytes)"
        case .unsupportedVersion(let found, let supported):
            what = "checkpoint format version \(found); this build of dropoutnet reads version \(supported) — use the version that wrote it, or retrain"
        case .truncated(let expected, let actual):
            what = "truncated: \(actual) bytes, expected \(expected) (an interrupted copy or write?)"
        case .trailingBytes(let n): what = "corrupted: \(n) unexpected bytes after the end of the checkpoint"
        case .checksumMismatch(let stored, let computed):
            what = "corrupted: checksum mismatch (stored CRC-32 \(hex(stored)), contents give \(hex(computed)))"
        case .malformed(let detail): what = "corrupted: \(detail)"
        case .missingEntry(let name): what = "has no entry '\(name)' (written by a different model or version?)"
        case .incompatible(let detail): what = detail
        }
        return "\(file): \(what)"
    }

    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - s.count) + s
    }
}

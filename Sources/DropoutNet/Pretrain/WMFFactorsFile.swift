import Foundation
import Numerics

/// The factors file written by `dropoutnet pretrain wmf` and read by the classic DropoutNet and
/// the `wmf` preference input: U, V, the options they were fitted with, and the identity of
/// the split they were fitted on (a string chosen by the caller, e.g. the split's origin and
/// hash), so a model never silently uses factors that saw its test interactions.
///
/// Layout, little-endian, version 1:
/// ```
/// "DNWMFAC\0"  magic (8 bytes)        u32 version
/// u64 users    u64 items    u64 rank
/// f64 regularization  f64 alpha  u64 iterations  u32 solver (0 cg, 1 cholesky)  u32 cg steps
/// u64 seed     f64 final loss (NaN if unknown)
/// u32 n, n bytes UTF-8 split identity
/// users·rank f32 (U, row-major)      items·rank f32 (V, row-major)
/// u64 FNV-1a of every byte before it
/// ```
/// Written atomically (temporary file in the same directory, then rename).
public struct WMFFactorsFile: @unchecked Sendable {
    public static let magic: [UInt8] = Array("DNWMFAC".utf8) + [0]
    public static let version: UInt32 = 1

    public var factors: WMFFactors
    public var options: WMFOptions
    public var splitIdentity: String
    /// The training loss after the last iteration, if known.
    public var loss: Double?

    public init(factors: WMFFactors, options: WMFOptions, splitIdentity: String, loss: Double? = nil) {
        self.factors = factors
        self.options = options
        self.splitIdentity = splitIdentity
        self.loss = loss
    }

    public enum Error: Swift.Error, CustomStringConvertible, Equatable {
        case notAFactorsFile(path: String)
        case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
        case truncated(path: String, expectedBytes: Int, actualBytes: Int)
        case corrupt(path: String, reason: String)
        case io(path: String, reason: String)
        case splitMismatch(path: String, fitted: String, expected: String)

        public var description: String {
            switch self {
            case .notAFactorsFile(let p):
                return "\(p): not a WMF factors file (bad magic bytes; write one with `dropoutnet pretrain wmf`)"
            case .unsupportedVersion(let p, let f, let s):
                return "\(p): WMF factors file version \(f) is not supported (this build reads version \(s)); re-run `dropoutnet pretrain wmf`"
            case .truncated(let p, let e, let a):
                return "\(p): WMF factors file is truncated: expected \(e) bytes, found \(a)"
            case .corrupt(let p, let r):
                return "\(p): WMF factors file is corrupt: \(r)"
            case .io(let p, let r):
                return "\(p): \(r)"
            case .splitMismatch(let p, let f, let e):
                return "\(p): the WMF factors were fitted on another dataset or split (\(f)), not on this one (\(e)); "
                    + "run `dropoutnet pretrain wmf` with the same data options"
            }
        }
    }

    /// The identity to record for factors fitted on `split` of `dataset`: the dataset's and the
    /// split's fingerprints (the run store's) and the split's origin, readable in error messages.
    public static func splitIdentity(dataset: Dataset, split: Split) -> String {
        let d = DatasetIdentity(dataset: dataset, path: "")
        let s = SplitIdentity(split: split)
        return "dataset \(d.name) \(d.fingerprint), split \(s.hash) (\(s.origin))"
    }

    /// Throws `.splitMismatch` unless the factors were fitted on the split with this identity:
    /// factors fitted on other training interactions have seen the test positives.
    public func requireSplit(_ identity: String, path: String) throws {
        guard identity == splitIdentity else {
            throw Error.splitMismatch(path: path, fitted: splitIdentity, expected: identity)
        }
    }

    // MARK: writing

    public func encoded() -> Data {
        var out = Data()
        let u = factors.users, v = factors.items
        out.reserveCapacity(128 + splitIdentity.utf8.count + 4 * (u.count + v.count))
        out.append(contentsOf: WMFFactorsFile.magic)
        out.wmfAppend(WMFFactorsFile.version)
        out.wmfAppend(UInt64(u.rows)); out.wmfAppend(UInt64(v.rows)); out.wmfAppend(UInt64(factors.rank))
        out.wmfAppend(Double(options.regularization).bitPattern)
        out.wmfAppend(Double(options.alpha).bitPattern)
        out.wmfAppend(UInt64(options.iterations))
        switch options.solver {
        case .conjugateGradient(let steps): out.wmfAppend(UInt32(0)); out.wmfAppend(UInt32(steps))
        case .cholesky: out.wmfAppend(UInt32(1)); out.wmfAppend(UInt32(0))
        }
        out.wmfAppend(options.seed)
        out.wmfAppend((loss ?? .nan).bitPattern)
        let id = Array(splitIdentity.utf8)
        out.wmfAppend(UInt32(id.count))
        out.append(contentsOf: id)
        for m in [u, v] {
            let bytes = UnsafeRawBufferPointer(start: m.data, count: m.count * 4)
            #if _endian(big)
            for i in 0..<m.count { out.wmfAppend(m.data[i].bitPattern) }
            #else
            out.append(contentsOf: bytes)
            #endif
        }
        out.wmfAppend(fnv1a(out))
        return out
    }

    /// Writes the file atomically: a crash never leaves a half-written factors file.
    public func write(to url: URL) throws {
        let data = encoded()
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try data.write(to: tmp)
            // rename(2) replaces an existing file atomically (Foundation's replaceItemAt does not
            // on every platform).
            guard rename(tmp.path, url.path) == 0 else {
                throw Error.io(path: url.path, reason: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
            }
        } catch let error as Error {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw Error.io(path: url.path, reason: "cannot write WMF factors: \(error.localizedDescription)")
        }
    }

    // MARK: reading

    public static func read(from url: URL) throws -> WMFFactorsFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Error.io(path: url.path, reason: "cannot read WMF factors: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path)
    }

    public static func decode(_ data: Data, path: String) throws -> WMFFactorsFile {
        var reader = ByteReader(bytes: [UInt8](data), path: path)
        guard data.count >= magic.count, Array(data.prefix(magic.count)) == magic else {
            throw Error.notAFactorsFile(path: path)
        }
        reader.offset = magic.count
        let version: UInt32 = try reader.read()
        guard version == WMFFactorsFile.version else {
            throw Error.unsupportedVersion(path: path, found: version, supported: WMFFactorsFile.version)
        }
        let users: UInt64 = try reader.read(), items: UInt64 = try reader.read(), rank: UInt64 = try reader.read()
        let reg = Double(bitPattern: try reader.read()), alpha = Double(bitPattern: try reader.read())
        let iterations: UInt64 = try reader.read()
        let solverCode: UInt32 = try reader.read(), steps: UInt32 = try reader.read()
        let seed: UInt64 = try reader.read()
        let loss = Double(bitPattern: try reader.read())
        let idLength: UInt32 = try reader.read()
        let idBytes = try reader.bytes(Int(idLength))
        guard let splitIdentity = String(bytes: idBytes, encoding: .utf8) else {
            throw Error.corrupt(path: path, reason: "split identity is not UTF-8")
        }
        // Sizes from a damaged header must not trap or allocate absurdly: check them against
        // the file's length before allocating.
        let limit = UInt64(Int32.max)
        guard rank >= 1, rank <= 1 << 16, users <= limit, items <= limit, iterations <= limit else {
            throw Error.corrupt(path: path, reason: "implausible shape \(users) users × \(items) items × rank \(rank)")
        }
        let (uCount, o1) = users.multipliedReportingOverflow(by: rank)
        let (vCount, o2) = items.multipliedReportingOverflow(by: rank)
        guard !o1, !o2, uCount <= UInt64(Int.max / 8), vCount <= UInt64(Int.max / 8) else {
            throw Error.corrupt(path: path, reason: "factor sizes overflow")
        }
        let expected = reader.offset + 4 * Int(uCount) + 4 * Int(vCount) + 8
        guard data.count >= expected else {
            throw Error.truncated(path: path, expectedBytes: expected, actualBytes: data.count)
        }
        guard data.count == expected else {
            throw Error.corrupt(path: path, reason: "\(data.count - expected) unexpected trailing bytes")
        }
        let stored = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: expected - 8, as: UInt64.self) }
        guard UInt64(littleEndian: stored) == fnv1a(data.prefix(expected - 8)) else {
            throw Error.corrupt(path: path, reason: "checksum mismatch (the file was damaged after it was written)")
        }
        let solver: WMFSolver
        switch solverCode {
        case 0: solver = .conjugateGradient(steps: max(Int(steps), 1))
        case 1: solver = .cholesky
        default: throw Error.corrupt(path: path, reason: "unknown solver code \(solverCode)")
        }
        let u = Matrix(rows: Int(users), cols: Int(rank)), v = Matrix(rows: Int(items), cols: Int(rank))
        for m in [u, v] { try reader.floats(into: m.data, count: m.count) }
        let options = WMFOptions(rank: Int(rank), regularization: Float(reg), alpha: Float(alpha),
                                 iterations: Int(iterations), solver: solver, seed: seed)
        return WMFFactorsFile(factors: WMFFactors(users: u, items: v), options: options,
                              splitIdentity: splitIdentity, loss: loss.isNaN ? nil : loss)
    }
}

/// 64-bit FNV-1a: detects a damaged file; not a cryptographic signature.
private func fnv1a<D: DataProtocol>(_ data: D) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for region in data.regions {
        region.withUnsafeBytes { raw in
            for byte in raw {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
    }
    return h
}

/// Bounds-checked little-endian reads; running past the end is a `truncated` error.
private struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    init(bytes: [UInt8], path: String) { self.bytes = bytes; self.path = path }

    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else {
            throw WMFFactorsFile.Error.truncated(path: path, expectedBytes: offset + max(n, 0), actualBytes: bytes.count)
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func read<T: FixedWidthInteger>() throws -> T {
        let size = MemoryLayout<T>.size
        let slice = try bytes(size)
        var v: T = 0
        for (i, b) in slice.enumerated() { v |= T(b) << (8 * i) }
        return v
    }

    mutating func floats(into p: UnsafeMutablePointer<Float>, count: Int) throws {
        let slice = try bytes(4 * count)
        slice.withUnsafeBytes { raw in
            for i in 0..<count {
                p[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
    }
}

fileprivate extension Data {
    mutating func wmfAppend<T: FixedWidthInteger>(_ v: T) {
        var le = v.littleEndian
        Swift.withUnsafeBytes(of: &le) { append(contentsOf: $0) }
    }
}

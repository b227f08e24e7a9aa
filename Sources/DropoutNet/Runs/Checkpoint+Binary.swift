import Foundation

/// The byte layout of a checkpoint (all integers little-endian):
///
/// ```
/// magic      8 bytes  "DNETCKPT"
/// version    u32      Checkpoint.formatVersion
/// length     u64      payload length L
/// payload    L bytes:
///   header   u32 n, n bytes of UTF-8 JSON (CheckpointHeader)
///   blobs    u32 count, then per blob:   u16 n, name, u64 size, bytes
///   tensors  u32 count, then per tensor: u16 n, name, u8 rank, rank × u64 dims, Float32 values
/// crc        u32      CRC-32 (zlib) of the payload
/// ```
/// Magic and version come first so a foreign or newer file is named as such before anything
/// else is looked at; the explicit length tells truncation from corruption; the checksum catches
/// flipped bits anywhere in the payload.
extension Checkpoint {
    static let magic = Array("DNETCKPT".utf8)
    static let prefixLength = 20  // magic + version + length

    /// The file's bytes (what `write(to:)` streams to disk).
    public func encoded() throws -> Data {
        var file = Data()
        try stream { file.append(contentsOf: $0) }
        return file
    }

    /// Emits the file's bytes in order, entry by entry, the checksum computed on the way: a
    /// checkpoint is written without ever being held whole in memory (at MovieLens-25M scale
    /// it is ~300 MB, and assembling it, then copying it into the file, was a run's peak).
    func stream(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let headerJSON = try encoder.encode(header)
        let blobNames = blobs.keys.sorted(), tensorNames = tensors.keys.sorted()
        // The payload's length comes before it, so it is counted first.
        var length = 4 + headerJSON.count + 4 + 4
        for name in blobNames { length += 2 + name.utf8.count + 8 + blobs[name]!.count }
        for name in tensorNames {
            let t = tensors[name]!
            length += 2 + name.utf8.count + 1 + 8 * t.shape.count + 4 * t.values.count
        }
        var prefix = Data(Checkpoint.magic)
        prefix.appendLE(Checkpoint.formatVersion)
        prefix.appendLE(UInt64(length))
        try prefix.withUnsafeBytes { try emit($0) }

        var crc: UInt32 = 0, written = 0
        func payload(_ bytes: UnsafeRawBufferPointer) throws {
            crc = CRC32.checksum(bytes, initial: crc)
            written += bytes.count
            try emit(bytes)
        }
        func payload(_ data: Data) throws { try data.withUnsafeBytes { try payload($0) } }
        var head = Data()
        head.appendLE(UInt32(headerJSON.count))
        head.append(headerJSON)
        head.appendLE(UInt32(blobs.count))
        try payload(head)
        for name in blobNames {
            var entry = Data()
            entry.appendName(name)
            entry.appendLE(UInt64(blobs[name]!.count))
            try payload(entry)
            try payload(blobs[name]!)
        }
        var count = Data()
        count.appendLE(UInt32(tensors.count))
        try payload(count)
        for name in tensorNames {
            let t = tensors[name]!
            var entry = Data()
            entry.appendName(name)
            entry.append(UInt8(t.shape.count))
            for d in t.shape { entry.appendLE(UInt64(d)) }
            try payload(entry)
            #if _endian(little)
            try t.values.withUnsafeBytes { try payload($0) }
            #else
            try payload(Data(t.values.flatMap { v -> [UInt8] in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }))
            #endif
        }
        precondition(written == length, "checkpoint payload is \(written) bytes, counted \(length)")
        var tail = Data()
        tail.appendLE(crc)
        try tail.withUnsafeBytes { try emit($0) }
    }

    /// Parses and verifies checkpoint bytes; `file` names the source in errors.
    public static func decode(_ data: Data, file: String) throws -> Checkpoint {
        func fail(_ p: CheckpointError.Problem) -> CheckpointError { CheckpointError(file: file, problem: p) }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Checkpoint in
            let magicBytes = Array(raw.prefix(magic.count))
            guard magicBytes == Array(magic.prefix(magicBytes.count)) else { throw fail(.notACheckpoint) }
            guard raw.count >= prefixLength else { throw fail(.truncated(expectedBytes: prefixLength + 4, actualBytes: raw.count)) }
            let version = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            guard version == formatVersion else { throw fail(.unsupportedVersion(found: version, supported: formatVersion)) }
            let length = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
            guard length <= UInt64(Int.max - prefixLength - 4) else { throw fail(.malformed("payload length \(length) is impossible")) }
            let expected = prefixLength + Int(length) + 4
            if raw.count < expected { throw fail(.truncated(expectedBytes: expected, actualBytes: raw.count)) }
            if raw.count > expected { throw fail(.trailingBytes(raw.count - expected)) }
            let payload = UnsafeRawBufferPointer(rebasing: raw[prefixLength..<(prefixLength + Int(length))])
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: expected - 4, as: UInt32.self))
            let computed = CRC32.checksum(payload)
            guard stored == computed else { throw fail(.checksumMismatch(stored: stored, computed: computed)) }

            // The checksum matched, so what follows only fails on a file written by a buggy
            // writer; still every read is bounds-checked.
            var reader = ByteReader(bytes: payload, fail: { fail(.malformed($0)) })
            let headerLength = Int(try reader.u32())
            let headerBytes = try reader.bytes(headerLength, what: "header")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let header: CheckpointHeader
            do {
                header = try decoder.decode(CheckpointHeader.self, from: Data(headerBytes))
            } catch {
                throw fail(.malformed("header JSON does not decode: \(error)"))
            }
            var checkpoint = Checkpoint(header: header)
            let blobCount = try reader.u32()
            for _ in 0..<blobCount {
                let name = try reader.name()
                let size = try reader.u64()
                guard size <= UInt64(reader.remaining) else { throw fail(.malformed("blob '\(name)' runs past the end")) }
                checkpoint.blobs[name] = Data(try reader.bytes(Int(size), what: "blob '\(name)'"))
            }
            let tensorCount = try reader.u32()
            for _ in 0..<tensorCount {
                let name = try reader.name()
                let rank = Int(try reader.u8())
                var shape: [Int] = []
                var count: UInt64 = 1
                for _ in 0..<rank {
                    let d = try reader.u64()
                    let (product, overflow) = count.multipliedReportingOverflow(by: d)
                    guard !overflow, product <= UInt64(reader.remaining / 4) else {
                        throw fail(.malformed("tensor '\(name)' shape runs past the end"))
                    }
                    // After a zero dimension the product stays 0 whatever follows, so each
                    // dimension is bounded too (found by fuzzing: 2^63 trapped in `Int(d)`).
                    guard d <= UInt64(Int32.max) else {
                        throw fail(.malformed("tensor '\(name)' has a dimension of \(d)"))
                    }
                    count = product
                    shape.append(Int(d))
                }
                let bytes = try reader.bytes(Int(count) * 4, what: "tensor '\(name)'")
                let values = (0..<Int(count)).map {
                    Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                }
                checkpoint.tensors[name] = Tensor(shape: shape, values: values)
            }
            guard reader.remaining == 0 else { throw fail(.malformed("\(reader.remaining) unread bytes at the end of the payload")) }
            return checkpoint
        }
    }
}

/// A bounds-checked little-endian reader over a byte buffer.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let fail: (String) -> CheckpointError
    var offset = 0
    var remaining: Int { bytes.count - offset }

    mutating func bytes(_ n: Int, what: String) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw fail("\(what) runs past the end of the payload") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    mutating func u8() throws -> UInt8 { try bytes(1, what: "a byte")[0] }
    mutating func u16() throws -> UInt16 { UInt16(littleEndian: try bytes(2, what: "a length").loadUnaligned(as: UInt16.self)) }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try bytes(4, what: "a count").loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try bytes(8, what: "a size").loadUnaligned(as: UInt64.self)) }

    mutating func name() throws -> String {
        let n = Int(try u16())
        let b = try bytes(n, what: "a name")
        let s = String(decoding: b, as: UTF8.self)
        guard s.utf8.elementsEqual(b) else { throw fail("a name is not valid UTF-8") }
        return s
    }
}

extension Data {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        var le = v.littleEndian
        Swift.withUnsafeBytes(of: &le) { append(contentsOf: $0) }
    }

    mutating func appendName(_ name: String) {
        let utf8 = Array(name.utf8)
        precondition(utf8.count <= Int(UInt16.max), "checkpoint entry name too long")
        appendLE(UInt16(utf8.count))
        append(contentsOf: utf8)
    }
}

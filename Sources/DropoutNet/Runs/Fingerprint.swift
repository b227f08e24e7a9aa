/// Cheap content hashes: a 64-bit fingerprint for dataset and split identity, and CRC-32 for
/// checkpoint integrity.
///
/// The fingerprint only has to tell "same data" from "different data" for the run store; it
/// mixes 8 bytes at a time so hashing 25 M interactions stays well under a second. CRC-32 is the
/// zlib polynomial, so a checkpoint's checksum can be checked with any zlib (`zlib.crc32`).
public struct Fingerprint: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(bytes: UnsafeRawBufferPointer) {
        var h = state
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        // Length separates [a, b] + [c] from [a] + [b, c].
        h = (h ^ UInt64(n)) &* 0x0000_0100_0000_01b3
        state = h
    }

    public mutating func add<T>(_ array: [T]) { array.withUnsafeBytes { add(bytes: $0) } }

    public mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(_ value: Int) { add([Int64(value)]) }

    /// The final value as 16 lowercase hex digits.
    public var hex: String {
        var h = state
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33; h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// CRC-32 (IEEE 802.3, as zlib), table driven.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        var c = ~initial
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        }
        return ~c
    }
}

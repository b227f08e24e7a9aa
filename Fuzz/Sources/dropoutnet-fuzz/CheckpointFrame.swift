import DropoutNet
import Foundation

/// The checkpoint envelope (magic, version, payload length, CRC-32 of the payload; see
/// `Checkpoint+Binary.swift`), put around fuzzed payloads: without it nearly every mutation
/// would stop at the checksum and the payload's parser would never be reached.
enum CheckpointFrame {
    static func wrap(payload: Data) -> Data {
        var file = Data("DNETCKPT".utf8)
        append(&file, Checkpoint.formatVersion)
        append(&file, UInt64(payload.count))
        file.append(payload)
        append(&file, crc32(payload))
        return file
    }

    private static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// CRC-32 as zlib computes it (reflected, polynomial 0xEDB88320).
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}

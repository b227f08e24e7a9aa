import Foundation

/// Number parsing straight from bytes (no `String` per field), for the hot loaders.
enum NumberParsing {
    /// A base-10 integer with optional sign, or nil.
    @inline(__always)
    static func int64(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < b.count && (b[i] == 0x2D || b[i] == 0x2B) { negative = b[i] == 0x2D; i += 1 }
        guard i < b.count, b.count - i <= 18 else { return b.count - i > 18 ? slowInt(b) : nil }
        var v: Int64 = 0
        while i < b.count {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
            i += 1
        }
        return negative ? -v : v
    }

    private static func slowInt(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        Int64(String(decoding: b, as: UTF8.self))
    }

    /// A finite decimal number (`3`, `-0.5`, `4.0`, `1e-3`), or nil.
    @inline(__always)
    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        // Fast path: [sign] digits [. digits], the shape of ratings and weights.
        var i = 0
        var negative = false
        if i < b.count && (b[i] == 0x2D || b[i] == 0x2B) { negative = b[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        while i < b.count, case let d = b[i] &- 0x30, d < 10 { mantissa = mantissa &* 10 &+ UInt64(d); digits += 1; i += 1 }
        if i < b.count && b[i] == 0x2E {
            i += 1
            while i < b.count, case let d = b[i] &- 0x30, d < 10 { mantissa = mantissa &* 10 &+ UInt64(d); digits += 1; scale += 1; i += 1 }
        }
        if i == b.count && digits > 0 && digits <= 17 {
            let v = Double(mantissa) / pow10[scale]
            return negative ? -v : v
        }
        guard !b.isEmpty, b.count < 64 else { return nil }
        let s = String(decoding: b, as: UTF8.self)
        guard s.allSatisfy({ $0.isASCII && !$0.isWhitespace }), let v = Double(s), v.isFinite else { return nil }
        return v
    }

    private static let pow10: [Double] = (0...40).map { pow(10.0, Double($0)) }
}

/// FarmHash's `Fingerprint64` (farmhashna's 64-bit hash), the function behind TensorFlow's
/// `string_to_hash_bucket_fast`: EasyRec's hashed `IdFeature` / `TagFeature` columns put a
/// value in bucket `fingerprint64(utf8) % hash_bucket_size`. The export computes the same
/// buckets so it can choose bucket counts where no two written values collide — a collision
/// would make EasyRec's embedding lookup different from the workbench's one-hot.
///
/// Cross-checked against TensorFlow by `scripts/check_easyrec_hash.py`; the unit tests pin
/// values TensorFlow computed.
public enum FarmHash {
    public static func fingerprint64(_ s: String) -> UInt64 { fingerprint64(Array(s.utf8)) }

    public static func fingerprint64(_ s: [UInt8]) -> UInt64 {
        s.withUnsafeBufferPointer { hash64($0) }
    }

    /// TensorFlow's `string_to_hash_bucket_fast(value, buckets)`.
    public static func bucket(_ value: String, buckets: Int) -> Int {
        precondition(buckets > 0, "a hash needs at least one bucket")
        return Int(fingerprint64(value) % UInt64(buckets))
    }

    // MARK: - farmhashna

    static let k0: UInt64 = 0xc3a5_c85c_97cb_3127
    static let k1: UInt64 = 0xb492_b66f_be98_f273
    static let k2: UInt64 = 0x9ae1_6a3b_2f90_404f

    private typealias Bytes = UnsafeBufferPointer<UInt8>

    @inline(__always) private static func fetch64(_ s: Bytes, _ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(s[i + k]) << (8 * UInt64(k)) }
        return v
    }

    @inline(__always) private static func fetch32(_ s: Bytes, _ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<4 { v |= UInt64(s[i + k]) << (8 * UInt64(k)) }
        return v
    }

    @inline(__always) private static func rotate(_ v: UInt64, _ shift: UInt64) -> UInt64 {
        shift == 0 ? v : (v >> shift) | (v << (64 - shift))
    }

    @inline(__always) private static func shiftMix(_ v: UInt64) -> UInt64 { v ^ (v >> 47) }

    @inline(__always) private static func hashLen16(_ u: UInt64, _ v: UInt64, _ mul: UInt64) -> UInt64 {
        var a = (u ^ v) &* mul
        a ^= a >> 47
        var b = (v ^ a) &* mul
        b ^= b >> 47
        return b &* mul
    }

    private static func hashLen0to16(_ s: Bytes) -> UInt64 {
        let len = UInt64(s.count)
        if s.count >= 8 {
            let mul = k2 &+ len &* 2
            let a = fetch64(s, 0) &+ k2
            let b = fetch64(s, s.count - 8)
            let c = rotate(b, 37) &* mul &+ a
            let d = (rotate(a, 25) &+ b) &* mul
            return hashLen16(c, d, mul)
        }
        if s.count >= 4 {
            let mul = k2 &+ len &* 2
            let a = fetch32(s, 0)
            return hashLen16(len &+ (a << 3), fetch32(s, s.count - 4), mul)
        }
        if s.count > 0 {
            let a = UInt32(s[0]), b = UInt32(s[s.count >> 1]), c = UInt32(s[s.count - 1])
            let y = a &+ (b << 8)
            let z = len &+ (UInt64(c) << 2)
            return shiftMix((UInt64(y) &* k2) ^ (z &* k0)) &* k2
        }
        return k2
    }

    private static func hashLen17to32(_ s: Bytes) -> UInt64 {
        let len = s.count
        let mul = k2 &+ UInt64(len) &* 2
        let a = fetch64(s, 0) &* k1
        let b = fetch64(s, 8)
        let c = fetch64(s, len - 8) &* mul
        let d = fetch64(s, len - 16) &* k2
        return hashLen16(rotate(a &+ b, 43) &+ rotate(c, 30) &+ d, a &+ rotate(b &+ k2, 18) &+ c, mul)
    }

    private static func hashLen33to64(_ s: Bytes) -> UInt64 {
        let len = s.count
        let mul = k2 &+ UInt64(len) &* 2
        let a = fetch64(s, 0) &* k2
        let b = fetch64(s, 8)
        let c = fetch64(s, len - 8) &* mul
        let d = fetch64(s, len - 16) &* k2
        let y = rotate(a &+ b, 43) &+ rotate(c, 30) &+ d
        let z = hashLen16(y, a &+ rotate(b &+ k2, 18) &+ c, mul)
        let e = fetch64(s, 16) &* mul
        let f = fetch64(s, 24)
        let g = (y &+ fetch64(s, len - 32)) &* mul
        let h = (z &+ fetch64(s, len - 24)) &* mul
        return hashLen16(rotate(e &+ f, 43) &+ rotate(g, 30) &+ h, e &+ rotate(f &+ a, 18) &+ g, mul)
    }

    /// A 16-byte hash of 32 bytes at `i` and two seeds (farmhash's WeakHashLen32WithSeeds).
    @inline(__always) private static func weak32(_ s: Bytes, _ i: Int, _ a0: UInt64, _ b0: UInt64) -> (UInt64, UInt64) {
        let w = fetch64(s, i), x = fetch64(s, i + 8), y = fetch64(s, i + 16), z = fetch64(s, i + 24)
        var a = a0 &+ w
        var b = rotate(b0 &+ a &+ z, 21)
        let c = a
        a = a &+ x
        a = a &+ y
        b = b &+ rotate(a, 44)
        return (a &+ z, b &+ c)
    }

    private static func hash64(_ s: Bytes) -> UInt64 {
        let len = s.count
        if len <= 16 { return hashLen0to16(s) }
        if len <= 32 { return hashLen17to32(s) }
        if len <= 64 { return hashLen33to64(s) }
        let seed: UInt64 = 81
        var x = seed
        var y = seed &* k1 &+ 113
        var z = shiftMix(y &* k2 &+ 113) &* k2
        var v: (UInt64, UInt64) = (0, 0), w: (UInt64, UInt64) = (0, 0)
        x = x &* k2 &+ fetch64(s, 0)
        let end = ((len - 1) / 64) * 64
        let last64 = end + ((len - 1) & 63) - 63
        var p = 0
        repeat {
            x = rotate(x &+ y &+ v.0 &+ fetch64(s, p + 8), 37) &* k1
            y = rotate(y &+ v.1 &+ fetch64(s, p + 48), 42) &* k1
            x ^= w.1
            y = y &+ v.0 &+ fetch64(s, p + 40)
            z = rotate(z &+ w.0, 33) &* k1
            v = weak32(s, p, v.1 &* k1, x &+ w.0)
            w = weak32(s, p + 32, z &+ w.1, y &+ fetch64(s, p + 16))
            swap(&z, &x)
            p += 64
        } while p != end
        let mul = k1 &+ ((z & 0xff) << 1)
        p = last64
        w.0 = w.0 &+ UInt64((len - 1) & 63)
        v.0 = v.0 &+ w.0
        w.0 = w.0 &+ v.0
        x = rotate(x &+ y &+ v.0 &+ fetch64(s, p + 8), 37) &* mul
        y = rotate(y &+ v.1 &+ fetch64(s, p + 48), 42) &* mul
        x ^= w.1 &* 9
        y = y &+ v.0 &* 9 &+ fetch64(s, p + 40)
        z = rotate(z &+ w.0, 33) &* mul
        v = weak32(s, p, v.1 &* mul, x &+ w.0)
        w = weak32(s, p + 32, z &+ w.1, y &+ fetch64(s, p + 16))
        swap(&z, &x)
        return hashLen16(hashLen16(v.0, w.0, mul) &+ shiftMix(y) &* k0 &+ z, hashLen16(v.1, w.1, mul) &+ x, mul)
    }
}

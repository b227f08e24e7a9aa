/// Interns id strings read as raw bytes into dense 0-based integers, in order of first sight.
///
/// An open-addressing hash table over a byte arena: looking up an id costs a hash and a
/// `memcmp`, with no `String` built per line. New ids are validated as UTF-8 once, when
/// first seen, which is where a non-UTF-8 id is reported.
struct IDTable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Slot → id + 1 (0 = empty).
    private var slots: [Int32]
    private var mask: Int

    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    var count: Int { offsets.count - 1 }

    /// The id of `key`, or nil if it was never interned.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s == 0 { return nil }
            let id = Int(s - 1)
            if hashes[id] == h && equals(id, key) { return Int32(id) }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `key`, interning it if new. `isNew` tells the caller to validate it.
    @inline(__always)
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>, isNew: inout Bool) -> Int32 {
        let h = Self.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s == 0 { break }
            let id = Int(s - 1)
            if hashes[id] == h && equals(id, key) { isNew = false; return Int32(id) }
            slot = (slot + 1) & mask
        }
        isNew = true
        let id = count
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        hashes.append(h)
        slots[slot] = Int32(id + 1)
        if count * 2 > slots.count { grow() }
        return Int32(id)
    }

    mutating func intern(_ key: String) -> Int32 {
        var isNew = false
        var k = key
        return k.withUTF8 { intern($0, isNew: &isNew) }
    }

    func find(_ key: String) -> Int32? {
        var k = key
        return k.withUTF8 { find($0) }
    }

    /// All interned ids as strings, in id order.
    func strings() -> [String] {
        arena.withUnsafeBufferPointer { a in
            (0..<count).map { String(decoding: UnsafeBufferPointer(rebasing: a[offsets[$0]..<offsets[$0 + 1]]), as: UTF8.self) }
        }
    }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id], end = offsets[id + 1]
        guard end - start == key.count else { return false }
        if key.isEmpty { return true }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for id in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a folded with a final avalanche so short, similar ids ("u1", "u2") spread well.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

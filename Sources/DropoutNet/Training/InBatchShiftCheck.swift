/// The rule of DESIGN §4.4: with stride shifts s_k = k·N mod B, no s_k may be 0 (a row would be
/// its own negative) — lives here so the settings parser, the picker and the trainer agree.
public enum InBatchShiftCheck {
    public static func validate(n: Int, m: Int, batch: Int, mode: Settings.ShiftMode) throws {
        if m == 0 { return }
        if batch < 2 { throw SettingsError(key: "batch_size", message: "in-batch negatives need a batch of at least 2") }
        if mode == .random {
            if m > batch - 1 { throw SettingsError(key: "negatives.m", message: "M = \(m) random shifts need M ≤ batch_size − 1 = \(batch - 1)") }
            return
        }
        for k in 1...m where (k * n) % batch == 0 {
            throw SettingsError(key: "negatives.m",
                                message: "N = \(n), M = \(m) with batch_size \(batch): shift \(k)·\(n) = \(k * n) is a multiple of the batch, so row i would be its own negative; choose M < \(firstZeroShift(n: n, batch: batch))")
        }
    }

    /// The smallest k ≥ 1 with k·N ≡ 0 (mod B): M must stay below it.
    public static func firstZeroShift(n: Int, batch: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        return batch / gcd(n % batch == 0 ? batch : n % batch, batch)
    }
}

/// How to split a dataset (DESIGN §3.4): random fractions with a seed, or predefined files.
///
/// Fractions are of the whole: `coldItems` of all items and `coldUsers` of all users are held
/// out entirely; `warmTest` of the remaining positives are held out for warm evaluation.
/// `validation` is carved from each of the three in the same proportion: a further
/// `validation` share of items and of users becomes cold validation entities, and of warm
/// positives warm validation pairs. Model selection uses those; test numbers are never tuned on.
public struct SplitOptions: Sendable, Equatable, Codable {
    public var coldItems: Double = 0.1
    public var coldUsers: Double = 0.1
    public var warmTest: Double = 0.2
    public var validation: Double = 0.05
    public var seed: UInt64 = 1
    /// A directory of predefined split files (`train.csv`, `test.csv`, optional
    /// `validation.csv`, `test_item_ids.csv`); when set, the fractions are ignored but
    /// `validation`, which carves a validation split from `train.csv` when the directory has
    /// none (`ValidationCarve`).
    public var splitDir: String?

    public init(coldItems: Double = 0.1, coldUsers: Double = 0.1, warmTest: Double = 0.2, validation: Double = 0.05,
                seed: UInt64 = 1, splitDir: String? = nil) {
        self.coldItems = coldItems; self.coldUsers = coldUsers; self.warmTest = warmTest
        self.validation = validation; self.seed = seed; self.splitDir = splitDir
    }

    /// Rejects fractions outside [0, 1) and combinations that leave nothing to train on.
    public func validate() throws {
        for (name, v) in [("cold-items", coldItems), ("cold-users", coldUsers), ("warm-test", warmTest), ("validation", validation)] {
            guard v.isFinite, v >= 0, v < 1 else {
                throw DataError(file: "--\(name)", "expected a fraction in [0, 1), got \(v)")
            }
        }
        guard coldItems + validation < 1 else { throw DataError(file: "--cold-items", "cold-items + validation must stay below 1, got \(coldItems + validation)") }
        guard coldUsers + validation < 1 else { throw DataError(file: "--cold-users", "cold-users + validation must stay below 1, got \(coldUsers + validation)") }
        guard warmTest + validation < 1 else { throw DataError(file: "--warm-test", "warm-test + validation must stay below 1, got \(warmTest + validation)") }
    }
}

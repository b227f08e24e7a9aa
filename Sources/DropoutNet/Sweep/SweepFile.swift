import Foundation
import TOMLKit

/// Reads a sweep definition (TOML). Every mistake is a `SettingsFileError` naming the file, the
/// line and column of the key at fault, and what was expected — exit 2 at the CLI, like a bad
/// settings file.
///
/// ```toml
/// searcher = "tpe"            # random | grid | tpe | pbt
/// seed = 7
/// [budget]
/// trials = 20                 # and/or minutes = 30
/// [objective]
/// weights = { warm = 1, cold_user = 1, cold_item = 1 }   # or split = "cold_item"
/// k = 20
/// [asha]                      # leave out for no early stopping
/// min_steps = 200
/// reduction_factor = 3
/// [pbt]                       # searcher = "pbt" only: population-based training
/// population = 4              # members training at once (the sweep's trials)
/// interval = 2                # exploit and explore every this many validations
/// resample = 0.25             # chance that explore redraws a choice
/// [base]                      # settings every trial starts from, as in a settings file
/// epochs = 4
/// [parameters]
/// item_dropout = { low = 0.0, high = 1.0 }
/// lr = { low = 1e-4, high = 1e-2, log = true }
/// "negatives.m" = { low = 2, high = 32 }
/// loss = { choices = ["svsoftmax", "pairwise", ["svsoftmax", "pairwise"]] }
/// ```
public enum SweepFile {
    public static func load(_ url: URL) throws -> SweepDefinition {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw SettingsFileError(file: url.path, line: nil, column: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path)
    }

    static let topKeys = ["searcher", "seed", "parallel", "budget", "objective", "asha", "tpe", "pbt", "base", "parameters"]
    /// Settings a sweep cannot vary: the model picks every other default, and `content.*`
    /// re-encodes the data (sweep those with one sweep per value).
    static let fixedKeys: Set<String> = ["model", "preference"]

    public static func parse(_ text: String, file: String) throws -> SweepDefinition {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw SettingsFileError(file: file, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
        let r = Reader(file: file, locator: TOMLKeyLocator(text))
        for key in table.keys where !topKeys.contains(key) {
            throw r.error([key], "unknown key '\(key)'; expected one of \(topKeys.joined(separator: ", "))")
        }
        var d = SweepDefinition(parameters: [], source: text)
        if let v = table["searcher"] {
            guard let s = v.string, let kind = SweepDefinition.SearcherKind(rawValue: s) else {
                throw r.error(["searcher"], "expected \(SweepDefinition.SearcherKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            d.searcher = kind
        }
        if let v = table["seed"] { d.seed = UInt64(try r.int(v, ["seed"], min: 0)) }
        if let v = table["parallel"] { d.parallel = try r.int(v, ["parallel"], min: 1) }

        d.base = try base(table["base"], r)
        if let v = table["budget"] {
            let t = try r.table(v, ["budget"], keys: ["trials", "minutes"])
            if let x = t["trials"] { d.trials = try r.int(x, ["budget", "trials"], min: 1) }
            if let x = t["minutes"] {
                let m = try r.number(x, ["budget", "minutes"])
                guard m > 0 else { throw r.error(["budget", "minutes"], "expected a number of minutes above 0") }
                d.minutes = m
            }
        }
        if let v = table["tpe"] {
            let t = try r.table(v, ["tpe"], keys: ["startup", "candidates"])
            if let x = t["startup"] { d.tpeStartup = try r.int(x, ["tpe", "startup"], min: 1) }
            if let x = t["candidates"] { d.tpeCandidates = try r.int(x, ["tpe", "candidates"], min: 1) }
        }
        if let v = table["pbt"] {
            let t = try r.table(v, ["pbt"], keys: ["population", "interval", "resample"])
            if let x = t["population"] { d.pbt.population = try r.int(x, ["pbt", "population"], min: 2) }
            if let x = t["interval"] { d.pbt.interval = try r.int(x, ["pbt", "interval"], min: 1) }
            if let x = t["resample"] {
                let p = try r.number(x, ["pbt", "resample"])
                guard (0...1).contains(p) else { throw r.error(["pbt", "resample"], "expected a probability between 0 and 1") }
                d.pbt.resample = p
            }
        }
        d.objective = try objective(table["objective"], base: d.base, r)
        if let v = table["asha"] {
            let t = try r.table(v, ["asha"], keys: ["min_steps", "reduction_factor"])
            let minSteps = try t["min_steps"].map { try r.int($0, ["asha", "min_steps"], min: 1) } ?? d.base.evalEvery
            guard d.base.evalEvery > 0 else {
                throw r.error(["asha"], "ASHA judges trials on the validation curve: eval_every must be above 0 in [base]")
            }
            let eta = try t["reduction_factor"].map { try r.int($0, ["asha", "reduction_factor"], min: 2) } ?? 3
            d.asha = ASHA(minSteps: minSteps, reductionFactor: eta)
        }
        guard let p = table["parameters"] else { throw r.error([], "no [parameters]: name at least one setting to search") }
        d.parameters = try parameters(try r.table(p, ["parameters"], keys: nil), base: d.base, liveOnly: d.searcher == .pbt, r)
        if d.parameters.isEmpty { throw r.error(["parameters"], "expected at least one setting to search") }
        if d.searcher == .pbt { try checkPopulationBased(d, table, r) }
        if d.trials == nil && d.searcher != .pbt && d.minutes == nil && d.searcher != .grid {
            throw r.error([], "no budget: give [budget] trials = N and/or minutes = M")
        }
        return d
    }

    /// What population-based training needs: settings the trainer re-reads while it runs (the
    /// ones the workbench's knobs turn), a validation curve to rank members on, and no ASHA or
    /// trial count (its members are its trials).
    private static func checkPopulationBased(_ d: SweepDefinition, _ table: TOMLTable, _ r: Reader) throws {
        if let asha = table["asha"] {
            throw r.error(["asha"] + (asha.table?.keys.first.map { [$0] } ?? []), "population-based training replaces its weaker members instead of stopping them: leave out [asha]")
        }
        if d.trials != nil {
            throw r.error(["budget", "trials"], "a population-based sweep's trials are its members: set [pbt] population instead")
        }
        guard d.base.evalEvery > 0 else {
            throw r.error(["searcher"], "population-based training ranks its members on the validation curve: eval_every must be above 0 in [base]")
        }
    }

    // MARK: Sections

    private static func base(_ value: TOMLValueConvertible?, _ r: Reader) throws -> Settings {
        var pairs: [([String], String)] = []
        if let value { try r.flatten(try r.table(value, ["base"], keys: nil), path: ["base"], into: &pairs) }
        var model = Settings.ModelKind.easyrec
        for (path, text) in pairs where path == ["base", "model"] {
            guard let m = Settings.ModelKind(rawValue: text) else {
                throw r.error(path, "setting 'model': expected \(Settings.ModelKind.allCases.map(\.rawValue).joined(separator: " | "))")
            }
            model = m
        }
        var s = Settings.defaults(for: model)
        // A sweep compares runs: the content-only baseline (a second training each) is off
        // unless the file asks for it.
        s.contentOnlyBaseline = .off
        for (path, text) in Settings.applicationOrder(pairs.map { ($0.0.dropFirst().joined(separator: "."), ($0.0, $0.1)) }).map(\.1) {
            do { try s.set(path.dropFirst().joined(separator: "."), text) } catch let e as SettingsError {
                throw r.error(path, e.description)
            }
        }
        do { try s.validate() } catch let e as SettingsError { throw r.error(["base"], e.description) }
        return s
    }

    private static func objective(_ value: TOMLValueConvertible?, base: Settings, _ r: Reader) throws -> SweepObjective {
        guard let value else {
            guard base.k.contains(20) else { throw r.error([], "the objective's default recall@20 needs 20 in the base's k; give [objective] k") }
            return .mean
        }
        let t = try r.table(value, ["objective"], keys: ["split", "weights", "k"])
        let splits = SweepObjective.splits
        var o = SweepObjective.mean
        if let s = t["split"] {
            guard let name = s.string, splits.contains(name) else {
                throw r.error(["objective", "split"], "expected one of \(splits.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            o.weights = [(name, 1)]
        }
        if let w = t["weights"] {
            if t["split"] != nil { throw r.error(["objective", "weights"], "give either split or weights, not both") }
            let wt = try r.table(w, ["objective", "weights"], keys: splits)
            var weights: [(split: String, weight: Double)] = []
            for name in splits {
                guard let x = wt[name] else { continue }
                let v = try r.number(x, ["objective", "weights", name])
                guard v >= 0 else { throw r.error(["objective", "weights", name], "expected a weight ≥ 0") }
                weights.append((name, v))
            }
            guard weights.contains(where: { $0.weight > 0 }) else {
                throw r.error(["objective", "weights"], "expected at least one weight above 0")
            }
            o.weights = weights
        }
        if let k = t["k"] { o.k = try r.int(k, ["objective", "k"], min: 1) }
        guard base.k.contains(o.k) else {
            throw r.error(t["k"] == nil ? ["objective"] : ["objective", "k"],
                          "recall@\(o.k) is not measured: the base's k is \(base.k.map(String.init).joined(separator: ", "))")
        }
        return o
    }

    private static func parameters(_ table: TOMLTable, base: Settings, liveOnly: Bool, _ r: Reader) throws -> [SweepParameter] {
        var specs: [([String], TOMLTable)] = []
        func collect(_ t: TOMLTable, _ path: [String]) throws {
            for key in t.keys {
                guard let v = t[key] else { continue }
                guard let sub = v.table else {
                    throw r.error(path + [key], "expected a table such as { low = 0.0, high = 1.0 } or { choices = [...] }")
                }
                let specKeys: Set<String> = ["low", "high", "log", "int", "choices", "points"]
                if sub.keys.contains(where: specKeys.contains) { specs.append((path + [key], sub)) } else { try collect(sub, path + [key]) }
            }
        }
        try collect(table, ["parameters"])
        // In the file's order (TOMLKit sorts keys).
        specs.sort { (r.locator.position(of: $0.0)?.line ?? 0) < (r.locator.position(of: $1.0)?.line ?? 0) }
        return try specs.map { try parameter($0.0, $0.1, base: base, liveOnly: liveOnly, r) }
    }

    private static func parameter(_ path: [String], _ t: TOMLTable, base: Settings, liveOnly: Bool, _ r: Reader) throws -> SweepParameter {
        let key = path.dropFirst().joined(separator: ".")
        guard let entry = Settings.entry(key), entry.isStored else {
            throw r.error(path, "unknown setting '\(key)'; `dropoutnet settings` lists them")
        }
        if liveOnly && !entry.isLive {
            let live = Settings.table.filter { $0.isLive && $0.isStored }.map(\.key).joined(separator: ", ")
            throw r.error(path, "'\(key)' cannot change while training, and population-based training changes settings mid-run; live settings: \(live)")
        }
        if fixedKeys.contains(key) || key.hasPrefix("content.") {
            throw r.error(path, "'\(key)' cannot be swept: it changes the data or every other default; run one sweep per value")
        }
        for k in t.keys where !["low", "high", "log", "int", "choices", "points"].contains(k) {
            throw r.error(path + [k], "unknown key '\(k)'; expected low, high, log, int, points or choices")
        }
        func probe(_ text: String, at p: [String]) throws {
            var s = base
            do { try s.set(key, text) } catch let e as SettingsError { throw r.error(p, e.description) }
        }
        let points = try t["points"].map { try r.int($0, path + ["points"], min: 1) } ?? 3
        if let c = t["choices"] {
            if t["low"] != nil || t["high"] != nil { throw r.error(path, "give either low/high or choices, not both") }
            guard let a = c.array, !a.isEmpty else { throw r.error(path + ["choices"], "expected a non-empty array of values") }
            let texts = try a.map { try r.text($0, path + ["choices"]) }
            for text in texts { try probe(text, at: path + ["choices"]) }
            return SweepParameter(key: key, domain: .choices(texts), gridPoints: points)
        }
        guard let lowValue = t["low"], let highValue = t["high"] else {
            throw r.error(path, "expected low and high (a range) or choices")
        }
        let low = try r.number(lowValue, path + ["low"]), high = try r.number(highValue, path + ["high"])
        guard low < high else { throw r.error(path + ["high"], "expected high above low (\(SweepParameter.text(low)))") }
        let log = try t["log"].map { try r.bool($0, path + ["log"]) } ?? false
        if log && low <= 0 { throw r.error(path + ["low"], "a log range needs low above 0") }
        // Whole numbers when asked, or when the setting takes nothing else.
        var integer = try t["int"].map { try r.bool($0, path + ["int"]) } ?? false
        if t["int"] == nil {
            var x = low + (high - low) * 0.37
            if x == x.rounded() { x += min(0.5, (high - low) / 4) }
            var s = base
            let fractionRefused = (try? s.set(key, SweepParameter.text(x))) == nil
            integer = fractionRefused && (try? s.set(key, String(Int(low.rounded(.up))))) != nil
        }
        if integer && (low != low.rounded() || high != high.rounded()) {
            throw r.error(path, "'\(key)' takes whole numbers: expected whole low and high")
        }
        try probe(SweepParameter.text(low), at: path + ["low"])
        try probe(SweepParameter.text(high), at: path + ["high"])
        return SweepParameter(key: key, domain: .range(low: low, high: high, log: log, integer: integer), gridPoints: points)
    }
}

/// Typed reads of TOML values, each failure located by its key path.
private struct Reader {
    let file: String
    let locator: TOMLKeyLocator

    func error(_ path: [String], _ message: String) -> SettingsFileError {
        let p = path.isEmpty ? nil : locator.position(of: path)
        return SettingsFileError(file: file, line: p?.line, column: p?.column, message: message)
    }

    func table(_ v: TOMLValueConvertible, _ path: [String], keys: [String]?) throws -> TOMLTable {
        guard let t = v.table else { throw error(path, "expected a table") }
        if let keys {
            for k in t.keys where !keys.contains(k) {
                throw error(path + [k], "unknown key '\(k)'; expected \(keys.joined(separator: ", "))")
            }
        }
        return t
    }

    func int(_ v: TOMLValueConvertible, _ path: [String], min: Int) throws -> Int {
        guard let i = v.int, i >= min else { throw error(path, "expected a whole number ≥ \(min)") }
        return i
    }

    func number(_ v: TOMLValueConvertible, _ path: [String]) throws -> Double {
        if let d = v.double, d.isFinite { return d }
        if let i = v.int { return Double(i) }
        throw error(path, "expected a number")
    }

    func bool(_ v: TOMLValueConvertible, _ path: [String]) throws -> Bool {
        guard let b = v.bool else { throw error(path, "expected true or false") }
        return b
    }

    /// A value in `--set` text form (arrays comma-separated).
    func text(_ v: TOMLValueConvertible, _ path: [String]) throws -> String {
        if let b = v.bool { return String(b) }
        if let i = v.int { return String(i) }
        if let d = v.double { return SweepParameter.text(d) }
        if let s = v.string { return s }
        if let a = v.array { return try a.map { try text($0, path) }.joined(separator: ",") }
        throw error(path, "expected a number, text, true/false or an array")
    }

    /// A settings table's leaves as (key path, text), tables flattened into dotted keys.
    func flatten(_ t: TOMLTable, path: [String], into pairs: inout [([String], String)]) throws {
        for key in t.keys {
            guard let v = t[key] else { continue }
            if let sub = v.table { try flatten(sub, path: path + [key], into: &pairs) } else { pairs.append((path + [key], try text(v, path + [key]))) }
        }
    }
}

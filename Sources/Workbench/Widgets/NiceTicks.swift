import Foundation

/// Axis ticks at "nice" values (1, 2 or 5 × 10^k; Heckbert, Graphics Gems I, 1990) and their
/// labels.
public enum NiceTicks {
    /// A nice number near `x`: rounded (for steps) or the next one up (for ranges).
    static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exp = floor(log10(x))
        let f = x / pow(10, exp)
        let nf: Double
        if round { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nf * pow(10, exp)
    }

    /// Ticks covering `lo...hi` with about `count` intervals; the first and last tick enclose the
    /// range (loose labels), so a chart scaled to them never touches its frame.
    public static func linear(_ lo: Double, _ hi: Double, count: Int) -> (ticks: [Double], step: Double) {
        var lo = lo, hi = hi
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let range = nice(hi - lo, round: false)
        let step = nice(range / Double(max(1, count)), round: true)
        let first = floor(lo / step) * step
        let last = ceil(hi / step) * step
        var ticks: [Double] = []
        var v = first
        var k = 0
        while v <= last + step * 0.5 && k < 1000 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
            v = first + Double(k) * step
        }
        return (ticks, step)
    }

    /// Decade ticks (exponents of 10) enclosing `loExp...hiExp` (log10 values).
    public static func logarithmic(_ loExp: Double, _ hiExp: Double) -> [Double] {
        var a = floor(loExp), b = ceil(hiExp)
        if a == b { a -= 1; b += 1 }
        return stride(from: a, through: b, by: 1).map { $0 }
    }

    /// A label for `value` on an axis whose ticks are `step` apart: as few decimals as the step
    /// needs, `k`/`M` for large round numbers.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1_000_000, step >= 100_000 { return trim(String(format: "%.1f", value / 1_000_000)) + "M" }
        if a >= 10_000, step >= 1000 { return trim(String(format: "%.1f", value / 1000)) + "k" }
        if a < 1e-4 || a >= 1e7 { return String(format: "%.0e", value) }
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return String(format: "%.\(min(decimals, 6))f", value)
    }

    /// Ticks at 1, 2 and 5 × 10^k (as log10 values) enclosing `loExp...hiExp`: for a range of
    /// about a decade or less, where decade ticks alone would leave most of the plot empty.
    public static func logarithmic125(_ loExp: Double, _ hiExp: Double) -> [Double] {
        let steps = [1.0, 2, 5].map(log10)
        var ticks: [Double] = []
        var decade = floor(loExp)
        while ticks.last.map({ $0 < hiExp - 1e-9 }) ?? true, decade <= ceil(hiExp) + 1 {
            for s in steps { ticks.append(decade + s) }
            decade += 1
        }
        ticks.append(decade)
        let first = ticks.lastIndex { $0 <= loExp + 1e-9 } ?? 0
        let last = ticks.firstIndex { $0 >= hiExp - 1e-9 } ?? ticks.count - 1
        var out = Array(ticks[first...max(first, last)])
        if out.count < 2 { out.append(out[0] + log10(2)) }
        return out
    }

    /// A label for the value 10^exponent (a 1-2-5 tick): "0.2", "5", "20".
    public static func logLabel(_ exponent: Double) -> String {
        let v = pow(10, exponent)
        let rounded = (v / pow(10, floor(log10(v) + 1e-9))).rounded() * pow(10, floor(log10(v) + 1e-9))
        let decimals = max(0, Int(-floor(log10(rounded) + 1e-9)))
        if rounded >= 1e5 || rounded < 1e-4 { return String(format: "%.0e", rounded) }
        return String(format: "%.\(decimals)f", rounded)
    }

    /// A label for 10^exponent.
    public static func powerLabel(_ exponent: Double) -> String {
        let e = Int(exponent)
        if e >= 0 && e <= 4 { return String(Int(pow(10, Double(e)))) }
        if e < 0 && e >= -3 { return String(format: "%.\(-e)f", pow(10, Double(e))) }
        return "1e\(e)"
    }

    static func trim(_ s: String) -> String { s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
}

import Foundation

/// One setting a sweep searches: a `--set` key with a numeric range or a list of choices.
///
/// Values travel as the setting's text form (what `--set` reads), so a sampled trial is applied
/// to `Settings` exactly as a user would type it, and is recorded in the run store as such. The
/// searchers work on `coordinate(of:)`: the value on a linear axis (log10 for a log range), where
/// "close" means "similar" — what Parzen estimators and importance bins need.
public struct SweepParameter: Sendable, Equatable {
    public enum Domain: Sendable, Equatable {
        /// low…high; `log`: sampled uniformly in log10; `integer`: rounded to whole numbers.
        case range(low: Double, high: Double, log: Bool, integer: Bool)
        /// One of these values (text forms, e.g. "svsoftmax" or "svsoftmax,pairwise").
        case choices([String])
    }

    public let key: String
    public let domain: Domain
    /// Values per range on the grid (`grid` searcher); choices are all taken.
    public let gridPoints: Int

    public init(key: String, domain: Domain, gridPoints: Int = 3) {
        self.key = key
        self.domain = domain
        self.gridPoints = max(1, gridPoints)
    }

    /// The ends of the coordinate axis of a range (nil for choices).
    public var axis: ClosedRange<Double>? {
        guard case let .range(low, high, log, _) = domain else { return nil }
        return log ? Foundation.log10(low)...Foundation.log10(high) : low...high
    }

    /// The value at coordinate `x` of the axis (clamped), in text form: 4 significant digits, so
    /// leaderboards stay readable and the value reads back to the same number.
    public func value(atCoordinate x: Double) -> String {
        guard case let .range(low, high, log, integer) = domain, let axis else { return "" }
        let c = min(max(x, axis.lowerBound), axis.upperBound)
        var v = log ? pow(10, c) : c
        v = min(max(v, low), high)
        if integer { return String(Int(v.rounded())) }
        return SweepParameter.text(Double(String(format: "%.4g", v)) ?? v)
    }

    /// A value drawn uniformly (on the axis) from `u` in [0, 1), or a choice's index.
    public func value(unit u: Double) -> String {
        switch domain {
        case .choices(let c):
            return c[min(c.count - 1, Int(u * Double(c.count)))]
        case .range:
            guard let axis else { return "" }
            if case let .range(low, high, false, true) = domain {
                // Every whole number equally likely, ends included.
                let n = Int(high) - Int(low) + 1
                return String(Int(low) + min(n - 1, Int(u * Double(n))))
            }
            return value(atCoordinate: axis.lowerBound + u * (axis.upperBound - axis.lowerBound))
        }
    }

    /// Where `text` lies on the axis (nil for choices or a value that is not a number).
    public func coordinate(of text: String) -> Double? {
        guard case let .range(_, _, log, _) = domain, let v = Double(text) else { return nil }
        return log ? (v > 0 ? Foundation.log10(v) : nil) : v
    }

    /// The grid's values: every choice, or `gridPoints` evenly spaced on the axis (whole
    /// numbers deduplicated).
    public var gridValues: [String] {
        switch domain {
        case .choices(let c): return c
        case .range:
            guard let axis else { return [] }
            let n = gridPoints
            var out: [String] = []
            for i in 0..<n {
                let x = n == 1 ? (axis.lowerBound + axis.upperBound) / 2
                    : axis.lowerBound + Double(i) / Double(n - 1) * (axis.upperBound - axis.lowerBound)
                let v = value(atCoordinate: x)
                if !out.contains(v) { out.append(v) }
            }
            return out
        }
    }

    /// A number's shortest text that reads back to it ("0.5", "0.0003", "12").
    static func text(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}

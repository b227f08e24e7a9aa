/// How much of a split one part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less if the space runs out).
    case fixed(Int)
    /// This percentage of the whole length (rounded down).
    case percent(Int)
    /// A share of what is left after fixed and percent parts, by weight.
    case fill(Int)
}

extension Rect {
    /// Splits into stacked rows, top to bottom.
    public func split(rows constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout.lengths(total: height, constraints: constraints, spacing: spacing).map {
            Rect(x: x, y: y + $0.offset, width: width, height: $0.length)
        }
    }

    /// Splits into side-by-side columns, left to right.
    public func split(columns constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout.lengths(total: width, constraints: constraints, spacing: spacing).map {
            Rect(x: x + $0.offset, y: y, width: $0.length, height: height)
        }
    }
}

/// The arithmetic behind `Rect.split`: fixed and percent parts first (clipped to the space),
/// then `fill` parts share the rest by weight; rounding leftovers go to the last fill part.
public enum Layout {
    public static func lengths(total: Int, constraints: [Constraint], spacing: Int = 0)
        -> [(offset: Int, length: Int)]
    {
        guard !constraints.isEmpty else { return [] }
        let available = max(0, total - spacing * (constraints.count - 1))
        var lengths = [Int](repeating: 0, count: constraints.count)
        var used = 0
        var fillWeight = 0
        for (i, c) in constraints.enumerated() {
            switch c {
            case let .fixed(n): lengths[i] = min(max(0, n), available - used)
            case let .percent(p): lengths[i] = min(available * max(0, p) / 100, available - used)
            case let .fill(w): fillWeight += max(0, w); continue
            }
            used += lengths[i]
        }
        let rest = available - used
        if fillWeight > 0 {
            var given = 0
            var lastFill = -1
            for (i, c) in constraints.enumerated() {
                if case let .fill(w) = c {
                    lengths[i] = rest * max(0, w) / fillWeight
                    given += lengths[i]
                    if w > 0 { lastFill = i }
                }
            }
            if lastFill >= 0 { lengths[lastFill] += rest - given }
        }
        var result: [(offset: Int, length: Int)] = []
        var offset = 0
        for l in lengths {
            result.append((offset: min(offset, total), length: l))
            offset += l + spacing
        }
        return result
    }
}

/// The loss of every step, in bounded memory: when the series is full, neighbouring points are
/// averaged in pairs and each point stands for twice as many steps. A run of millions of steps
/// stays a few thousand points, cheap to copy into every published snapshot, and the chart still
/// spans the whole run.
public struct LossSeries: Sendable, Equatable {
    /// One point: the mean of `span` consecutive steps ending at `step`. Parts are unweighted.
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var total: Float
        /// Each loss kind's unweighted value.
        public var parts: LossValues<Float>
        public var l2: Float

        public init(step: Int, _ b: LossBreakdown) {
            self.step = step
            total = Float(b.total)
            parts = LossValues()
            parts.lanes = SIMD8<Float>(b.parts.lanes)
            l2 = Float(b.l2)
        }

        /// The unweighted value of one loss kind.
        public subscript(kind: LossKind) -> Float { parts[kind] }

        fileprivate static func mean(_ a: Point, _ b: Point, weightA wa: Float, weightB wb: Float) -> Point {
            var p = b
            let s = 1 / (wa + wb)
            p.total = (a.total * wa + b.total * wb) * s
            p.parts.lanes = (a.parts.lanes * wa + b.parts.lanes * wb) * s
            p.l2 = (a.l2 * wa + b.l2 * wb) * s
            return p
        }
    }

    /// The stored points, oldest first (each the mean of `span` steps, except the partial tail).
    public private(set) var points: [Point] = []
    /// Steps per stored point (a power of two).
    public private(set) var span = 1
    /// The last raw step recorded (not averaged), for the header's "loss" figure.
    public private(set) var last: Point?
    /// Points kept before halving; even.
    public let capacity: Int
    private var pending: Point?
    private var pendingCount = 0

    public init(capacity: Int = 2048) {
        precondition(capacity >= 4)
        self.capacity = capacity & ~1
        points.reserveCapacity(self.capacity)
    }

    /// All points including the partial bucket being filled.
    public var displayPoints: [Point] {
        guard let pending else { return points }
        return points + [pending]
    }

    public mutating func append(step: Int, _ breakdown: LossBreakdown) {
        let p = Point(step: step, breakdown)
        last = p
        if let q = pending {
            pending = Point.mean(q, p, weightA: Float(pendingCount), weightB: 1)
        } else {
            pending = p
        }
        pendingCount += 1
        if pendingCount < span { return }
        points.append(pending!)
        pending = nil
        pendingCount = 0
        if points.count >= capacity { halve() }
    }

    private mutating func halve() {
        var merged: [Point] = []
        merged.reserveCapacity(capacity)
        var i = 0
        while i + 1 < points.count {
            merged.append(Point.mean(points[i], points[i + 1], weightA: 1, weightB: 1))
            i += 2
        }
        if i < points.count { merged.append(points[i]) }
        points = merged
        span *= 2
    }

    public mutating func removeAll() {
        points.removeAll(keepingCapacity: true)
        span = 1
        last = nil
        pending = nil
        pendingCount = 0
    }
}

/// The trials no other trial beats on both warm and cold validation recall: the trade-off that
/// preference dropout makes (cold-start recall bought with warm recall), as a set to choose from
/// rather than one winner.
public enum ParetoFront {
    /// Indices of the points not dominated by another (another at least as good on both axes
    /// and better on one), both axes maximised, ordered by `x` ascending. Equal points are all
    /// on the front.
    public static func indices(of points: [(x: Double, y: Double)]) -> [Int] {
        var front: [Int] = []
        for (i, p) in points.enumerated() where p.x.isFinite && p.y.isFinite {
            let dominated = points.contains { q in
                q.x.isFinite && q.y.isFinite && q.x >= p.x && q.y >= p.y && (q.x > p.x || q.y > p.y)
            }
            if !dominated { front.append(i) }
        }
        return front.sorted { (points[$0].x, points[$0].y) < (points[$1].x, points[$1].y) }
    }
}

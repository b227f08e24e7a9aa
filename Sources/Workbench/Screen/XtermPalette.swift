/// The standard xterm-256 palette and nearest-colour searches in it.
///
/// Theme colours are `#rrggbb`, but `init_color` is unavailable on many terminals (tmux's
/// default `tmux-256color` among them), so each RGB colour is mapped to the nearest existing
/// palette entry instead of redefining one.
public enum XtermPalette {
    /// xterm's default values for the 16 system colours. Terminals differ here, which is why
    /// 256-colour mapping searches only entries 16–255 (the cube and the grey ramp are standard).
    static let system: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of palette entry `index`.
    public static func rgb(of index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { return system[i] }
        if i >= 232 {
            let v = UInt8(8 + 10 * (i - 232))
            return (v, v, v)
        }
        let c = i - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    /// The palette entry (16–255) nearest to `(r, g, b)`: the nearest 6×6×6 cube point or the
    /// nearest of the 24 greys, whichever is closer (in `distance`'s weighting). O(1).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for k in 1..<6 where abs(cubeLevels[k] - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = k }
            return best
        }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * lr + 6 * lg + lb
        // The weighted distance to a grey v is a parabola with its minimum at the weighted mean,
        // so the grey-ramp step nearest to that mean is the nearest grey.
        let mean = Double(2 * Int(r) + 4 * Int(g) + 3 * Int(b)) / 9
        let greyStep = min(23, max(0, Int(((mean - 8) / 10).rounded())))
        let grey = 232 + greyStep
        return distance(r, g, b, UInt8(grey)) < distance(r, g, b, UInt8(cube)) ? UInt8(grey) : UInt8(cube)
    }

    /// The nearest of the first `count` system colours (8 or 16).
    public static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> UInt8 {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<min(count, 16) {
            let d = distance(r, g, b, UInt8(i))
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return UInt8(best)
    }

    /// Squared distance in RGB, weighted towards green as the eye is (a cheap "redmean"-free
    /// approximation that is good enough for picking among palette entries).
    static func distance(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ index: UInt8) -> Int {
        let p = rgb(of: index)
        let dr = Int(r) - Int(p.0), dg = Int(g) - Int(p.1), db = Int(b) - Int(p.2)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}

/// A grid of braille dots, 2 wide × 4 tall per cell, with one colour role per cell.
///
/// Unicode braille: U+2800 plus one bit per dot. Dot (column, row) → bit:
/// (0,0)=0x01 (0,1)=0x02 (0,2)=0x04 (1,0)=0x08 (1,1)=0x10 (1,2)=0x20 (0,3)=0x40 (1,3)=0x80.
/// When two series share a cell the dots merge and the later series' colour wins.
public struct BrailleCanvas {
    public let columns: Int
    public let rows: Int
    /// Dot bits per cell, row-major.
    public private(set) var bits: [UInt8]
    /// Colour role per cell (`nil` = no dots yet).
    public private(set) var roles: [ThemeRole?]
    /// Whether the cell's colour came from a dimmed series (drawn with the dim attribute).
    public private(set) var dimmed: [Bool]

    static let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        roles = [ThemeRole?](repeating: nil, count: self.columns * self.rows)
        dimmed = [Bool](repeating: false, count: self.columns * self.rows)
    }

    /// Dot grid width and height.
    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// Sets the dot at (x, y) in dot coordinates (y = 0 is the top); clipped.
    @inline(__always)
    public mutating func set(_ x: Int, _ y: Int, role: ThemeRole, dim: Bool = false) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y >> 2) * columns + (x >> 1)
        bits[i] |= BrailleCanvas.dotBits[y & 3][x & 1]
        roles[i] = role
        dimmed[i] = dim
    }

    /// A straight line of dots from (x0, y0) to (x1, y1), Bresenham.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, role: ThemeRole, dim: Bool = false,
                              pattern: LinePattern = .solid) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            if pattern.keeps(x) { set(x, y, role: role, dim: dim) }
            if x == x1 && y == y1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// A vertical run of dots in column x from row y0 to y1 (inclusive, either order).
    @inline(__always)
    public mutating func vertical(_ x: Int, _ y0: Int, _ y1: Int, role: ThemeRole, dim: Bool = false, pattern: LinePattern = .solid) {
        guard pattern.keeps(x) else { return }
        for y in min(y0, y1)...max(y0, y1) { set(x, y, role: role, dim: dim) }
    }

    /// The braille character of cell (column, row).
    public func scalar(column: Int, row: Int) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + UInt32(bits[row * columns + column]))!
    }

    /// Writes the non-empty cells into `buffer` with their role colours, top-left at `origin`.
    public func render(into buffer: inout ScreenBuffer, x originX: Int, y originY: Int, theme: Theme) {
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                guard bits[i] != 0, let role = roles[i] else { continue }
                let style = dimmed[i] ? theme.style(role).adding(.dim) : theme.style(role)
                buffer.set(x: originX + c, y: originY + r, Unicode.Scalar(0x2800 + UInt32(bits[i]))!, style: style)
            }
        }
    }
}

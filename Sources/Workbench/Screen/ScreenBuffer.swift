/// The whole screen (or a test area) as a grid of cells, row-major.
///
/// Widgets render into a buffer; the terminal backend writes only the cells that differ from
/// the previous frame (`ScreenDiff`). Writes outside the buffer are clipped silently, so widgets
/// never need to check bounds themselves.
public struct ScreenBuffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells: `cells[y * width + x]`.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: fill, count: self.width * self.height)
    }

    public init(size: Size) { self.init(width: size.width, height: size.height) }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    @inline(__always)
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// The cell at (x, y); reading outside returns a blank cell.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set { if contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    /// Resets every cell to `cell` (keeps the size).
    public mutating func clear(_ cell: Cell = .blank) {
        for i in cells.indices { cells[i] = cell }
    }

    /// Changes the size; the content is cleared.
    public mutating func resize(to size: Size, fill: Cell = .blank) {
        width = size.width
        height = size.height
        cells = [Cell](repeating: fill, count: width * height)
    }

    /// Fills `rect` (clipped) with `scalar` in `style`.
    public mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar = " ", style: Style) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            var i = y * width + r.x
            for _ in 0..<r.width {
                cells[i].scalar = scalar
                cells[i].apply(style)
                i += 1
            }
        }
    }

    /// Applies `style` to the cells of `rect` without changing their characters.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].apply(style) }
        }
    }

    /// Sets one cell's character and style (clipped).
    @inline(__always)
    public mutating func set(x: Int, y: Int, _ scalar: Unicode.Scalar, style: Style) {
        guard contains(x: x, y: y) else { return }
        let i = y * width + x
        cells[i].scalar = scalar
        cells[i].apply(style)
    }

    /// Writes `text` from (x, y) on one line, clipped to `maxWidth` columns and to the buffer.
    ///
    /// Double-width characters take two cells and are not split at the clip edge; control and
    /// zero-width scalars are skipped. Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(x.addingReportingOverflow(maxWidth).overflow ? Int.max : x + maxWidth, width)
        var col = x
        for scalar in text.unicodeScalars {
            let w = DisplayWidth.of(scalar)
            if w == 0 { continue }
            if col + w > limit { break }
            if col >= 0 {
                let i = y * width + col
                cells[i].scalar = scalar
                cells[i].apply(style)
                if w == 2 {
                    cells[i + 1].scalar = Cell.continuationScalar
                    cells[i + 1].apply(style)
                }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes `text` in `rect`'s first row, aligned, clipped to the rectangle's width.
    @discardableResult
    public mutating func write(_ text: String, in rect: Rect, alignment: TextAlignment = .left, style: Style) -> Int {
        guard !rect.isEmpty else { return 0 }
        let w = DisplayWidth.of(text)
        let x: Int
        switch alignment {
        case .left: x = rect.x
        case .right: x = rect.x + max(0, rect.width - w)
        case .center: x = rect.x + max(0, (rect.width - w) / 2)
        }
        return write(text, x: x, y: rect.y, style: style, maxWidth: rect.maxX - x)
    }
}

public enum TextAlignment: Sendable {
    case left, center, right
}

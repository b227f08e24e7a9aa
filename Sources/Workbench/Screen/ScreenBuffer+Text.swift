/// Text snapshots of a buffer, for tests and debugging: widgets are checked by comparing the
/// rendered buffer with lines of expected text (as ratatui's `assert_buffer_lines` does).
extension ScreenBuffer {
    /// Builds a buffer from lines of text (width = the widest line), unstyled.
    public init(lines: [String]) {
        let w = lines.map { DisplayWidth.of($0) }.max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y, style: .plain) }
    }

    /// The buffer as lines of text, trailing spaces kept (so widths are visible in failures).
    public func textLines() -> [String] {
        (0..<height).map { line($0) }
    }

    /// One row as text.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String.UnicodeScalarView()
        for x in 0..<width {
            let c = cells[y * width + x]
            if !c.isContinuation { s.append(c.scalar) }
        }
        return String(s)
    }

    /// Text of `rect`'s rows.
    public func textLines(in rect: Rect) -> [String] {
        let r = rect.intersection(bounds)
        return (r.y..<r.maxY).map { y in
            var s = String.UnicodeScalarView()
            for x in r.x..<r.maxX where !cells[y * width + x].isContinuation { s.append(cells[y * width + x].scalar) }
            return String(s)
        }
    }

    /// Compares the text with `expected` lines; nil when equal, otherwise a readable report that
    /// quotes both versions of every differing row.
    public func textDifference(from expected: [String]) -> String? {
        let actual = textLines()
        if actual == expected { return nil }
        var report = "buffer \(width)×\(height) differs from the expected \(expected.count) lines:\n"
        for i in 0..<max(actual.count, expected.count) {
            let a = i < actual.count ? "\"\(actual[i])\"" : "(none)"
            let e = i < expected.count ? "\"\(expected[i])\"" : "(none)"
            report += a == e ? "  \(i): \(a)\n" : "> \(i): got      \(a)\n       expected \(e)\n"
        }
        return report
    }

    /// The position (column, row) of the first occurrence of `text`, or nil.
    public func findText(_ text: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let l = line(y)
            if let r = l.range(of: text) {
                return (DisplayWidth.of(String(l[..<r.lowerBound])), y)
            }
        }
        return nil
    }
}

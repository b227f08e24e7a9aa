/// One choice of a picker; a disabled choice says why (e.g. "needs N ≥ 64").
public struct PickerOption: Sendable, Equatable {
    public var label: String
    public var disabledReason: String?
    public init(_ label: String, disabledReason: String? = nil) {
        self.label = label
        self.disabledReason = disabledReason
    }
    public var isEnabled: Bool { disabledReason == nil }
}

/// A choice among valid values only: `N   16 [32] 64 128`. Moving skips disabled options;
/// when the whole picker is disabled its reason is shown instead of accepting changes.
public struct Picker: Widget, Sendable {
    public var label: String
    public var options: [PickerOption]
    public var selected: Int
    public var focused: Bool
    /// Set when the picker cannot be changed now, with the reason shown to the user.
    public var disabledReason: String?
    public var labelWidth: Int?

    public init(label: String, options: [PickerOption], selected: Int, focused: Bool = false,
                disabledReason: String? = nil, labelWidth: Int? = nil) {
        self.label = label
        self.options = options
        self.selected = selected
        self.focused = focused
        self.disabledReason = disabledReason
        self.labelWidth = labelWidth
    }

    /// The index after moving `delta` enabled options (clamped at the ends; unchanged when the
    /// picker is disabled or nothing is enabled in that direction).
    public func moved(by delta: Int) -> Int {
        guard disabledReason == nil, delta != 0, !options.isEmpty else { return selected }
        var i = selected
        var remaining = abs(delta)
        let dir = delta > 0 ? 1 : -1
        var candidate = selected
        while remaining > 0 {
            i += dir
            guard i >= 0, i < options.count else { break }
            if options[i].isEnabled {
                candidate = i
                remaining -= 1
            }
        }
        return candidate
    }

    var labelColumns: Int { labelWidth ?? DisplayWidth.of(label) + 2 }

    /// Column ranges of each option when rendered in `area`.
    public func optionColumns(in area: Rect) -> [Range<Int>] {
        var x = area.x + labelColumns
        return options.map { o in
            let w = DisplayWidth.of(o.label) + 2
            defer { x += w }
            return x..<(x + w)
        }
    }

    /// The enabled option under column `x` (a mouse click), if any.
    public func option(atColumn x: Int, in area: Rect) -> Int? {
        guard disabledReason == nil else { return nil }
        for (i, r) in optionColumns(in: area).enumerated() where r.contains(x) { return options[i].isEnabled ? i : nil }
        return nil
    }

    /// The reason to show: the picker's own, or (when focused) the first disabled option's.
    public var hint: String? {
        if let r = disabledReason { return r }
        guard focused, let o = options.first(where: { !$0.isEnabled }) else { return nil }
        return "\(o.label): \(o.disabledReason!)"
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let y = area.y
        let limit = area.maxX
        buffer.write((focused ? "▸" : " ") + label, x: area.x, y: y, style: theme.style(focused ? .focus : .text),
                     maxWidth: min(labelColumns, area.width))
        let disabled = disabledReason != nil
        var x = area.x + labelColumns
        for (i, o) in options.enumerated() where x < limit {
            let isSelected = i == selected
            let text = isSelected ? "[\(o.label)]" : " \(o.label) "
            var style: Style
            if isSelected && !disabled {
                style = theme.style(focused ? .focus : .accent).adding(focused ? .reverse : .bold)
            } else if disabled || !o.isEnabled {
                style = theme.style(.dim)
            } else {
                style = theme.style(.text)
            }
            if isSelected && disabled { style = theme.style(.dim).adding(.bold) }
            x += buffer.write(text, x: x, y: y, style: style, maxWidth: limit - x)
        }
        if let hint, x + 2 < limit {
            buffer.write("  " + hint, x: x, y: y, style: theme.style(disabled ? .warning : .dim), maxWidth: limit - x)
        }
    }
}

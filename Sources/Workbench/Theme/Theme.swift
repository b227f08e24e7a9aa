/// A colour theme: one colour per `ThemeRole`, plus whether it is monochrome.
///
/// Monochrome themes (the `mono` theme, or any theme under `NO_COLOR`) draw every role in the
/// terminal's default colours and tell roles apart with bold, dim, reverse and underline.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var isMonochrome: Bool
    var colors: [Color]

    /// A theme where every role has `color`; `set` fills in the rest.
    public init(name: String, isMonochrome: Bool = false, base: Theme? = nil) {
        self.name = name
        self.isMonochrome = isMonochrome
        colors = base?.colors ?? [Color](repeating: .default, count: ThemeRole.allCases.count)
    }

    public subscript(role: ThemeRole) -> Color {
        get { isMonochrome ? .default : colors[role.index] }
        set { colors[role.index] = newValue }
    }

    /// The style for drawing text in `role`: its colour as foreground (or background for the
    /// background roles) and the role's attributes. The background is left as it is in the cell.
    public func style(_ role: ThemeRole) -> Style {
        var attributes = role.baseAttributes
        if isMonochrome { attributes.formUnion(role.monochromeAttributes) }
        if role.isBackground {
            return Style(foreground: self[.text], background: self[role], attributes: attributes)
        }
        return Style(foreground: self[role], background: nil, attributes: attributes)
    }

    /// The style that clears the screen: default text on the theme background.
    public var baseStyle: Style { Style(foreground: self[.text], background: self[.background]) }

    /// The blank cell a frame starts from.
    public var baseCell: Cell { Cell(" ", foreground: self[.text], background: self[.background]) }

    /// This theme with colour removed (for `NO_COLOR`).
    public var monochrome: Theme {
        var t = self
        t.isMonochrome = true
        return t
    }

    /// Colours used for series beyond the named ones (run overlays), stable by index.
    public func seriesRole(at index: Int) -> ThemeRole {
        let cycle: [ThemeRole] = [.seriesWarm, .seriesColdUser, .seriesColdItem, .seriesLoss, .accent, .seriesOverlay]
        return cycle[((index % cycle.count) + cycle.count) % cycle.count]
    }
}

/// The named colour roles a theme defines. Widgets ask for roles, never for colours, so a test
/// can assert "this cell is drawn as `good`" and every theme (including mono) stays legible.
///
/// The raw value is the key in a theme file: `text = "#d0d0d0"` at the top level, and the
/// dotted ones in a table, e.g. `[series]` `warm = "#e5c07b"`.
public enum ThemeRole: String, CaseIterable, Sendable {
    case background, text, dim, accent, border, focus, title, header, selection
    case good, bad, warning, slider, sliderFill = "slider_fill", marker, axis, status, key
    case seriesWarm = "series.warm"
    case seriesColdUser = "series.cold_user"
    case seriesColdItem = "series.cold_item"
    case seriesLoss = "series.loss"
    case seriesLossSmooth = "series.loss_smooth"
    case seriesOverlay = "series.overlay"

    /// Index into a theme's colour table.
    var index: Int { ThemeRole.indexTable[self]! }
    private static let indexTable: [ThemeRole: Int] = Dictionary(
        uniqueKeysWithValues: ThemeRole.allCases.enumerated().map { ($1, $0) })

    /// Whether the role colours the cell background (selection, status bar) rather than text.
    public var isBackground: Bool { self == .background || self == .selection || self == .status }

    /// Attributes every theme draws this role with.
    var baseAttributes: Attributes {
        switch self {
        case .title, .header, .focus, .key: return .bold
        default: return []
        }
    }

    /// Extra attributes in a monochrome theme, where colour cannot tell the roles apart.
    var monochromeAttributes: Attributes {
        switch self {
        case .dim, .axis, .seriesOverlay, .seriesLoss: return .dim
        case .selection, .sliderFill, .status: return .reverse
        case .good, .marker, .accent: return .bold
        case .bad, .warning: return [.bold, .underline]
        case .header: return [.bold, .underline]
        default: return []
        }
    }
}

/// Themes compiled into the binary, so the workbench looks right even when `themes/` is
/// missing (an installed binary, a bad checkout). `themes/default.toml` holds the same values.
extension Theme {
    /// The default dark theme.
    public static let builtinDefault: Theme = {
        var t = Theme(name: "default")
        let values: [(ThemeRole, UInt32)] = [
            (.background, 0x1C1F24), (.text, 0xD0D4DA), (.dim, 0x6B7280), (.accent, 0x61AFEF),
            (.border, 0x4B5263), (.focus, 0xE5C07B), (.title, 0x61AFEF), (.header, 0xC678DD),
            (.selection, 0x2C3E50), (.good, 0x98C379), (.bad, 0xE06C75), (.warning, 0xD19A66),
            (.slider, 0x4B5263), (.sliderFill, 0x61AFEF), (.marker, 0xC678DD), (.axis, 0x6B7280),
            (.status, 0x282C34), (.key, 0xE5C07B), (.seriesWarm, 0xE5C07B), (.seriesColdUser, 0x56B6C2),
            (.seriesColdItem, 0xC678DD), (.seriesLoss, 0x7F8896), (.seriesLossSmooth, 0x61AFEF),
            (.seriesOverlay, 0x5C6370),
        ]
        for (role, hex) in values { t[role] = Color(hex: hex) }
        return t
    }()

    /// Terminal default colours only; roles told apart by attributes.
    public static let builtinMono: Theme = {
        var t = Theme(name: "mono", isMonochrome: true)
        for role in ThemeRole.allCases { t[role] = .default }
        return t
    }()
}

extension Color {
    /// `0xRRGGBB` as an RGB colour.
    public init(hex: UInt32) {
        self = .rgb(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// Parses a theme colour: `"#rrggbb"`, `"#rgb"`, `""` or `"default"` (terminal default).
    public init?(themeString s: String) {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        if t.isEmpty || t == "default" { self = .default; return }
        guard t.hasPrefix("#") else { return nil }
        var digits = String(t.dropFirst())
        if digits.count == 3 { digits = digits.map { "\($0)\($0)" }.joined() }
        guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
        self.init(hex: v)
    }
}

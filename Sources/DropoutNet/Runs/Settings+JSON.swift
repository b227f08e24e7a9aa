extension Settings {
    /// The settings as a JSON object of typed values keyed by the `--set` keys (numbers, booleans,
    /// strings, arrays: each row's `SettingCodec.json`), so `json_extract(settings, '$.gamma')`
    /// works in any SQLite tool and the object survives new settings being added (unknown keys
    /// are reported, missing ones keep defaults — but `weight_average`, which a run stored before it
    /// existed did not use). Shorthands (`preference`) are left out.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        for entry in Settings.table where entry.isStored { object[entry.key] = entry.json(of: self) }
        return .object(object)
    }

    /// Rebuilds settings from `json`; throws `SettingsError` naming the first bad key. Reads the
    /// typed values `json` writes and, for a store written by an older version, their text forms.
    public init(json: JSONValue) throws {
        self.init()
        guard case .object(let object) = json else {
            throw SettingsError(key: "settings", message: "expected a JSON object of settings")
        }
        let given = Settings.table.compactMap { e in object[e.key].map { (e.key, $0) } }
        for (key, value) in Settings.applicationOrder(given) {
            try Settings.entry(key)!.set(json: value, in: &self)
        }
        if let unknown = object.keys.first(where: { Settings.entry($0) == nil }) {
            throw SettingsError(key: unknown, message: "unknown setting (written by another version?)")
        }
        // Written before the weight average existed: that run evaluated its last step's weights.
        if object["weight_average"] == nil { weightAverage = 0 }
    }
}

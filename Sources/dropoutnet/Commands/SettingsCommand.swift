import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet settings`: every key `--set` and a `--config` file accept, with its defaults, what
/// it may be and a line of help, then the losses `loss` can mix. Printed from `Settings.table`
/// and the loss registry, so it never falls behind them.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "List every setting (--set KEY=VALUE, or a key of a --config file) with its default and help.",
        discussion: SettingsListing.discussion())

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        if json { print(SettingsListing.json().jsonText) } else { print(SettingsListing.text(), terminator: "") }
    }
}

enum SettingsListing {
    /// `dropoutnet help settings` (and `settings --help`): each key with its default and help,
    /// as prose that ArgumentParser may wrap; `dropoutnet settings` prints the aligned table.
    static func discussion() -> String {
        let defaults = Settings.defaults(for: .easyrec)
        var out = "Every key = its default (what it may be): what it does. `dropoutnet settings` prints the same as a table, with the classic model's defaults and which keys may change while training.\n"
        for e in Settings.table {
            out += "\n\(e.key) = \(e.text(of: defaults))  (\(e.expected)): \(e.help)"
        }
        return out
    }

    /// Key, default, the classic model's default where it differs, values, live; then the help
    /// indented below each key.
    static func text() -> String {
        let easyrec = Settings.defaults(for: .easyrec), classic = Settings.defaults(for: .classic)
        var rows: [[String]] = [["KEY", "DEFAULT", "CLASSIC", "VALUES", "LIVE"]]
        var help: [String] = [""]
        for e in Settings.table {
            let d = e.text(of: easyrec), c = e.text(of: classic)
            rows.append([e.key, d, c == d ? "" : c, e.expected, e.isLive ? (e.knob != nil ? "knob" : "yes") : ""])
            help.append(e.help)
        }
        let widths = (0..<rows[0].count - 1).map { i in rows.map { $0[i].count }.max() ?? 0 }
        var out = """
            Settings, for `--set KEY=VALUE` or as keys of a `--config` TOML file. CLASSIC: the default of
            model=classic where it differs. LIVE: may change while training (knob: on the workbench's panel).


            """
        for (row, line) in zip(rows, help) {
            var text = zip(row.dropLast(), widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            text += "  " + row.last!
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
            if !line.isEmpty { out += "    " + line + "\n" }
        }
        out += "\nLosses (loss = a list of these; loss_weights = one weight each):\n"
        let width = LossKind.allCases.map(\.rawValue.count).max() ?? 0
        for kind in LossKind.allCases {
            out += "  " + kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + kind.definition.help
                + " [EasyRec: " + easyRecName(kind.definition.easyRec) + "]\n"
        }
        return out
    }

    /// `{"settings": [{key, default, classic_default, values, live, knob, help, easyrec}], "losses": […]}`.
    static func json() -> JSONValue {
        let easyrec = Settings.defaults(for: .easyrec), classic = Settings.defaults(for: .classic)
        let settings: [JSONValue] = Settings.table.map { e in
            var o: [String: JSONValue] = [
                "key": .string(e.key), "help": .string(e.help), "values": .string(e.expected), "live": .bool(e.isLive),
                "default": e.isStored ? e.json(of: easyrec) : .string(e.text(of: easyrec)),
                "classic_default": e.isStored ? e.json(of: classic) : .string(e.text(of: classic)),
                "knob": e.knob.map { .string($0.label) } ?? .null,
                "easyrec_fields": .array(e.easyRec.fields.map(JSONValue.string)),
            ]
            if let why = e.easyRec.omitted { o["easyrec_omitted"] = .string(why) }
            return .object(o)
        }
        let losses: [JSONValue] = LossKind.allCases.map {
            .object(["name": .string($0.rawValue), "help": .string($0.definition.help), "easyrec": .string(easyRecName($0.definition.easyRec))])
        }
        return .object(["settings": .array(settings), "losses": .array(losses)])
    }

    private static func easyRecName(_ loss: EasyRecLoss) -> String {
        switch loss {
        case let .softmax(supportVector, _): return "softmax_loss" + (supportVector ? "" : " with margin 0, t = 1")
        case let .loss(type, _, _): return type
        case .none: return "none"
        }
    }
}

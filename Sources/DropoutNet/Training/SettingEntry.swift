import Foundation

/// One row of `Settings.table`: a key, where its value lives in `Settings`, how the value reads
/// and writes (`SettingCodec`), whether it may change while training runs, the workbench knob
/// that turns it, where the EasyRec export puts it, and a line of help.
///
/// The key list, `--set`, the config file, the JSON form, `LiveSettings`, the workbench's knobs,
/// the export's notes and `dropoutnet settings` all read these rows, so a setting is declared
/// once.
public struct SettingEntry: @unchecked Sendable {
    public let key: String
    /// One line for `dropoutnet settings`.
    public let help: String
    /// What a value may be ("0…1", "adam | adamw | sgd", …).
    public let expected: String
    /// Re-read by the trainer at every step, so `LiveSettings` accepts it mid-run.
    public let isLive: Bool
    /// False for a shorthand that only sets other keys (`preference`): it has no value of its
    /// own in the JSON form.
    public let isStored: Bool
    /// A shorter name for tight places (chart markers); nil: the key.
    public let shortName: String?
    /// The workbench knob; nil: not on the knobs panel.
    public let knob: KnobSpec?
    public let easyRec: EasyRecMapping

    /// Set when writing this key adjusts others (`loss` resets `loss_weights` to one per loss):
    /// a batch of keys applies such keys first, so the others given with it win.
    public let adjustsOthers: Bool

    private let read: (String, inout Settings) throws -> Void
    private let write: (Settings) -> String
    private let toJSON: (Settings) -> JSONValue
    private let readJSON: (JSONValue, inout Settings) throws -> Void
    private let toNumber: ((Settings) -> Double)?

    /// A setting stored at `path`.
    /// - Parameter live: nil: fixed for a run; else how the workbench turns it mid-run.
    /// - Parameter then: adjusts other keys after this one is set (see `adjustsOthers`).
    public init<Value>(_ key: String, _ path: WritableKeyPath<Settings, Value>, _ codec: SettingCodec<Value>,
                       stored: Bool = true, short: String? = nil, live: LiveControl? = nil,
                       easyRec: EasyRecMapping, help: String, then adjust: ((inout Settings) -> Void)? = nil) {
        self.key = key
        self.help = help
        expected = codec.expected
        isLive = live != nil
        isStored = stored
        shortName = short
        if case let .knob(spec)? = live { knob = spec } else { knob = nil }
        self.easyRec = easyRec
        adjustsOthers = adjust != nil
        read = { raw, s in
            do { s[keyPath: path] = try codec.parse(raw) } catch let e as SettingValueError {
                throw SettingsError(key: key, message: e.message)
            }
            adjust?(&s)
        }
        write = { codec.format($0[keyPath: path]) }
        toJSON = { codec.json($0[keyPath: path]) }
        readJSON = { json, s in
            do { s[keyPath: path] = try codec.decode(json) } catch let e as SettingValueError {
                throw SettingsError(key: key, message: e.message)
            }
            adjust?(&s)
        }
        toNumber = codec.number.map { number in { number($0[keyPath: path]) } }
    }

    /// Sets this key of `settings` from its text form.
    public func set(_ raw: String, in settings: inout Settings) throws { try read(raw, &settings) }

    /// The text form of this key's value (what `set` reads back).
    public func text(of settings: Settings) -> String { write(settings) }

    /// The typed JSON form of this key's value.
    public func json(of settings: Settings) -> JSONValue { toJSON(settings) }

    /// Sets this key of `settings` from its JSON form.
    public func set(json: JSONValue, in settings: inout Settings) throws { try readJSON(json, &settings) }

    /// The value as a number (a slider's position), or nil for a non-numeric setting.
    public func number(of settings: Settings) -> Double? { toNumber?(settings) }
}

/// How a live setting is changed mid-run: every live key either has a knob or says it has none.
public enum LiveControl {
    /// On the workbench's knobs panel.
    case knob(KnobSpec)
    /// Changed through `LiveSettings` only (e.g. a flag the panel has no room for).
    case noKnob
}

/// How a setting appears on the workbench's knobs panel.
public struct KnobSpec: @unchecked Sendable {
    public enum Control {
        /// A continuous value. `log` knobs step over log10 of the value (the learning rate).
        case slider(range: ClosedRange<Double>, step: Double, coarse: Double, log: Bool, format: String)
        /// A choice among the texts `options` returns for the current settings; the panel marks
        /// those `LiveSettings` would refuse.
        case picker(options: (Settings) -> [String])
    }

    public var label: String
    public var control: Control

    public static func slider(_ label: String, _ range: ClosedRange<Double>, step: Double, coarse: Double,
                              log: Bool = false, format: String) -> KnobSpec {
        KnobSpec(label: label, control: .slider(range: range, step: step, coarse: coarse, log: log, format: format))
    }

    public static func picker(_ label: String, options: @escaping (Settings) -> [String]) -> KnobSpec {
        KnobSpec(label: label, control: .picker(options: options))
    }
}

/// Where a setting goes in EasyRec's `pipeline.config` (`EasyRecExport`).
public struct EasyRecMapping: @unchecked Sendable {
    /// The config fields written from this setting, as dotted paths (a `*` segment stands for a
    /// block named after another setting, e.g. the optimizer's); empty when none.
    public var fields: [String]
    /// What the export notes for a value EasyRec cannot reproduce (none: exact).
    public var notes: (Settings) -> [String]
    /// Why the setting is not exported at all, when it is not.
    public var omitted: String?

    /// Written to `fields`, with a note when `note` returns one.
    public static func fields(_ fields: String..., note: ((Settings) -> String?)? = nil) -> EasyRecMapping {
        EasyRecMapping(fields: fields, notes: { s in note?(s).map { [$0] } ?? [] }, omitted: nil)
    }

    /// Written to `fields`, with the notes `notes` returns (a setting behind several blocks).
    public static func fields(_ fields: [String], notes: @escaping (Settings) -> [String]) -> EasyRecMapping {
        EasyRecMapping(fields: fields, notes: notes, omitted: nil)
    }

    /// Not written; `note` says so where the value matters.
    public static func note(_ note: @escaping (Settings) -> String?) -> EasyRecMapping {
        EasyRecMapping(fields: [], notes: { s in note(s).map { [$0] } ?? [] }, omitted: nil)
    }

    /// Not exported, for the reason given (e.g. it only affects the workbench's own evaluation).
    public static func omitted(_ why: String) -> EasyRecMapping {
        EasyRecMapping(fields: [], notes: { _ in [] }, omitted: why)
    }
}

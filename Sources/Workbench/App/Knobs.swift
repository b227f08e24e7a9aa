import DropoutNet
import Foundation

/// One live setting on the Train screen's knobs panel, made from its row of `Settings.table`
/// (label, slider range and step, picker options).
///
/// A knob reads its value from the session's current `Settings` every frame (so a refused change
/// or a restart never leaves the panel showing a value the trainer is not using) and turns a
/// Left/Right press into the `key=value` text `TrainingSession.update(key:value:)` accepts.
public struct Knob: Sendable {
    public enum Kind: Sendable {
        /// A continuous value. `log` knobs step over log10 of the value (the learning rate).
        case slider(range: ClosedRange<Double>, step: Double, coarse: Double, log: Bool, format: String)
        /// A choice among texts; `options` says why an option is refused (nil: allowed).
        case picker
    }

    public var key: String
    public var label: String
    public var kind: Kind
    /// The settings row the knob turns.
    public let entry: SettingEntry

    /// The knob of a table row that has one.
    public init?(_ entry: SettingEntry) {
        guard let spec = entry.knob else { return nil }
        self.entry = entry
        key = entry.key
        label = spec.label
        switch spec.control {
        case let .slider(range, step, coarse, log, format):
            kind = .slider(range: range, step: step, coarse: coarse, log: log, format: format)
        case .picker:
            kind = .picker
        }
    }

    /// The knobs of DESIGN §6 in panel order: the rows of `Settings.table` with a knob.
    public static let all: [Knob] = Settings.table.compactMap(Knob.init)

    /// The slider position of this knob for `settings` (log10 for log knobs).
    public func position(_ s: Settings) -> Double {
        let v = entry.number(of: s) ?? 0
        if case let .slider(_, _, _, log, _) = kind, log { return log10(max(v, 1e-12)) }
        return v
    }

    /// Picker options with the reason `LiveSettings` would refuse each (nil: accepted), so the
    /// panel offers exactly the values a change can take.
    public func options(_ s: Settings) -> [(value: String, refused: String?)] {
        guard case let .picker(candidates)? = entry.knob?.control else { return [] }
        return candidates(s).map { value in
            var candidate = s
            do {
                try entry.set(value, in: &candidate)
                try candidate.validate()
                return (value, nil)
            } catch let e as SettingsError {
                return (value, e.message)
            } catch {
                return (value, "\(error)")
            }
        }
    }

    /// The current picker value as text (a list without its brackets: "svsoftmax,pairwise").
    public func current(_ s: Settings) -> String {
        switch kind {
        case .picker: return entry.text(of: s).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        case .slider: return String(format: "%g", position(s))
        }
    }

    /// The `value` text for `update(key:value:)` of a slider position (10^position for log knobs),
    /// e.g. where a mouse click landed on the track.
    public func valueText(position v: Double) -> String {
        if case let .slider(_, _, _, log, _) = kind, log { return String(format: "%.3g", pow(10, v)) }
        return String(format: "%g", v)
    }

    /// The `value` text for `update(key:value:)` after moving `steps` (negative: left), or nil when
    /// nothing would change. Pickers skip refused options.
    public func adjusted(_ s: Settings, steps: Int, coarse: Bool) -> String? {
        switch kind {
        case let .slider(range, step, coarseStep, _, _):
            let delta = Double(steps) * (coarse ? coarseStep : step)
            let old = position(s)
            var v = min(max(((old + delta) / step).rounded() * step, range.lowerBound), range.upperBound)
            if abs(v) < 1e-12 { v = 0 }
            if abs(v - old) < 1e-12 { return nil }
            return valueText(position: v)
        case .picker:
            let opts = options(s)
            guard !opts.isEmpty else { return nil }
            let cur = opts.firstIndex { $0.value == current(s) }
            var i = cur ?? 0
            var remaining = abs(steps) * (coarse ? 4 : 1)
            let dir = steps > 0 ? 1 : -1
            var candidate = cur
            while remaining > 0 {
                i += dir
                guard i >= 0, i < opts.count else { break }
                if opts[i].refused == nil { candidate = i; remaining -= 1 }
            }
            guard let c = candidate, c != cur else { return nil }
            return opts[c].value
        }
    }
}

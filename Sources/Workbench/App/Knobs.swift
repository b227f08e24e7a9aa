import DropoutNet
import Foundation

/// One live setting on the Train screen's knobs panel.
///
/// A knob reads its value from the session's current `Settings` every frame (so a refused change
/// or a restart never leaves the panel showing a value the trainer is not using) and turns a
/// Left/Right press into the `key=value` text `TrainingSession.update(key:value:)` accepts.
public struct Knob: Sendable {
    public enum Kind: Sendable {
        /// A continuous value. `log` knobs step over log10 of the value (the learning rate).
        case slider(range: ClosedRange<Double>, step: Double, coarse: Double, log: Bool, format: String)
        /// A choice among texts; `valid` says why an option is refused (nil: allowed).
        case picker
    }

    public var key: String
    public var label: String
    public var kind: Kind

    public init(key: String, label: String, kind: Kind) {
        self.key = key
        self.label = label
        self.kind = kind
    }

    /// The knobs of DESIGN §6 in panel order.
    public static let all: [Knob] = [
        Knob(key: "user_dropout", label: "user drop", kind: .slider(range: 0...1, step: 0.05, coarse: 0.25, log: false, format: "%.2f")),
        Knob(key: "item_dropout", label: "item drop", kind: .slider(range: 0...1, step: 0.05, coarse: 0.25, log: false, format: "%.2f")),
        Knob(key: "negatives.n", label: "N", kind: .picker),
        Knob(key: "negatives.m", label: "M", kind: .picker),
        Knob(key: "negatives.shifts", label: "shifts", kind: .picker),
        Knob(key: "loss", label: "loss", kind: .picker),
        Knob(key: "gamma", label: "γ", kind: .slider(range: 1...50, step: 0.5, coarse: 5, log: false, format: "%.1f")),
        Knob(key: "margin", label: "margin", kind: .slider(range: -0.5...0.5, step: 0.01, coarse: 0.1, log: false, format: "%.2f")),
        Knob(key: "t", label: "t", kind: .slider(range: 1...3, step: 0.05, coarse: 0.25, log: false, format: "%.2f")),
        Knob(key: "lr", label: "lr", kind: .slider(range: -5 ... -1, step: 0.1, coarse: 0.5, log: true, format: "%.1e")),
    ]

    /// The slider position of this knob for `settings` (log10 for log knobs).
    public func position(_ s: Settings) -> Double {
        switch key {
        case "user_dropout": return s.userDropout
        case "item_dropout": return s.itemDropout
        case "gamma": return s.gamma
        case "margin": return s.margin
        case "t": return s.t
        case "lr": return log10(max(s.lr, 1e-12))
        default: return 0
        }
    }

    /// Picker options with the reason each invalid one is refused.
    public func options(_ s: Settings) -> [(value: String, refused: String?)] {
        func check(n: Int, m: Int, mode: Settings.ShiftMode) -> String? {
            do { try InBatchShiftCheck.validate(n: n, m: m, batch: s.batchSize, mode: mode); return nil }
            catch let e as SettingsError { return e.message } catch { return "\(error)" }
        }
        switch key {
        case "negatives.n":
            return Knob.nValues(batch: s.batchSize).map { ("\($0)", check(n: $0, m: s.negativesM, mode: s.negativesShifts)) }
        case "negatives.m":
            return Knob.mValues(batch: s.batchSize).map { ("\($0)", check(n: s.negativesN, m: $0, mode: s.negativesShifts)) }
        case "negatives.shifts":
            return Settings.ShiftMode.allCases.map { ($0.rawValue, check(n: s.negativesN, m: s.negativesM, mode: $0)) }
        case "loss":
            return Settings.LossKind.allCases.map { ($0.rawValue, nil) }
        default: return []
        }
    }

    /// The current picker value as text.
    public func current(_ s: Settings) -> String {
        switch key {
        case "negatives.n": return "\(s.negativesN)"
        case "negatives.m": return "\(s.negativesM)"
        case "negatives.shifts": return s.negativesShifts.rawValue
        case "loss": return s.loss.map(\.rawValue).joined(separator: ",")
        default: return String(format: "%g", position(s))
        }
    }

    /// N choices: 1…16 and the powers of two below the batch.
    static func nValues(batch: Int) -> [Int] {
        Array(Set(Array(1...16) + [32, 64, 128, 256].filter { $0 < batch })).sorted()
    }

    /// M choices: 0…16 then powers of two up to batch − 1.
    static func mValues(batch: Int) -> [Int] {
        Array(Set(Array(0...16) + [32, 64, 128, 255, 256, 511].filter { $0 < batch })).sorted()
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
        case let .slider(range, step, coarseStep, log, _):
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

import Foundation

/// How the learning rate changes with the step number (0-based), relative to a base rate.
///
/// Rates are worked out in Double and rounded to the optimizer's Float once, so a decayed rate
/// is the nearest Float to base · factor^n (the settings hold Double rates and factors).
public enum LearningRateSchedule: Sendable, Equatable {
    case constant
    /// base · factor^⌊step / every⌋.
    case stepDecay(factor: Double, every: Int)
    /// base · ½(1 + cos(π · min(step, totalSteps) / totalSteps)): from base down to 0.
    case cosine(totalSteps: Int)

    public func rate(base: Double, step: Int) -> Float {
        switch self {
        case .constant:
            return Float(base)
        case .stepDecay(let factor, let every):
            return Float(base * pow(factor, Double(max(step, 0) / max(every, 1))))
        case .cosine(let total):
            let t = Double(min(max(step, 0), max(total, 1))) / Double(max(total, 1))
            return Float(base * 0.5 * (1 + cos(Double.pi * t)))
        }
    }
}

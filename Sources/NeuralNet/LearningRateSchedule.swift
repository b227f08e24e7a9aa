import Foundation

/// How the learning rate changes with the step number (0-based), relative to a base rate.
public enum LearningRateSchedule: Sendable, Equatable {
    case constant
    /// base · factor^⌊step / every⌋.
    case stepDecay(factor: Float, every: Int)
    /// base · ½(1 + cos(π · min(step, totalSteps) / totalSteps)): from base down to 0.
    case cosine(totalSteps: Int)

    public func rate(base: Float, step: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .stepDecay(let factor, let every):
            return base * Float(pow(Double(factor), Double(max(step, 0) / max(every, 1))))
        case .cosine(let total):
            let t = Double(min(max(step, 0), max(total, 1))) / Double(max(total, 1))
            return base * Float(0.5 * (1 + cos(Double.pi * t)))
        }
    }
}

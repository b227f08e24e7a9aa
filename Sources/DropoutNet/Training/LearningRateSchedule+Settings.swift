import NeuralNet

extension LearningRateSchedule {
    /// The schedule the `lr_decay` settings ask for: step decay by `lr_decay` every
    /// `lr_decay_every` steps, or every `lr_decay_at` of a run of `totalSteps` (0.67: once, for
    /// the last third, whatever the data's size); otherwise the constant `lr`.
    public init(settings s: Settings, totalSteps: Int) {
        guard s.lrDecay < 1 else { self = .constant; return }
        if s.lrDecayEvery > 0 {
            self = .stepDecay(factor: s.lrDecay, every: s.lrDecayEvery)
        } else if s.lrDecayAt > 0 {
            self = .stepDecay(factor: s.lrDecay, every: max(1, Int((s.lrDecayAt * Double(totalSteps)).rounded())))
        } else {
            self = .constant
        }
    }
}

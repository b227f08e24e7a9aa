import NeuralNet

extension LearningRateSchedule {
    /// The schedule the `lr_decay` / `lr_decay_every` settings ask for: step decay when both are
    /// set (a factor below 1 every so many steps), otherwise the constant `lr`.
    public init(settings s: Settings) {
        self = s.lrDecayEvery > 0 && s.lrDecay < 1 ? .stepDecay(factor: s.lrDecay, every: s.lrDecayEvery) : .constant
    }
}

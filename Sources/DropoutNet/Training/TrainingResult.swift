/// What a training run (or the evaluation of a checkpoint) produced: the content of DESIGN §10's
/// result, whoever drove the run. `RunReport` is its `--json` form.
public struct TrainingResult: Sendable, Equatable {
    /// Steps trained (for a checkpoint: the step its weights are from).
    public var steps: Int
    /// Whether the run was stopped before its last epoch.
    public var stopped = false
    /// The best validation evaluation: the weights the test used. For a checkpoint, the
    /// validation score of its weights.
    public var best: EvaluationRecord?
    /// The test splits with the best weights; nil when the run ended without a test (stopped
    /// with `evaluateOnStop` off, or failed before any validation).
    public var test: EvaluationRecord?
    /// Baselines on the test splits: "popularity", "zeroed_preference", "wmf" (when WMF was
    /// fitted) and, once its own training is done, "content_only".
    public var baselines: [String: EvaluationReport] = [:]
    /// The few-shot curve with the tested weights (DESIGN §5).
    public var fewShot: FewShotReport?
    /// Seconds spent in training steps (evaluation excluded).
    public var trainingSeconds: Double = 0
    /// Batch size of the steps (throughput).
    public var batchSize: Int = 0
    /// Wall seconds from building the model to the end of the test evaluation.
    public var seconds: Double = 0
    /// The best-weights checkpoint written at the end, if a writer was given.
    public var checkpoint: String?

    public init(steps: Int) { self.steps = steps }

    /// Mean training samples per second; nil when no step was timed (no figure, not 0).
    public var samplesPerSecond: Double? {
        trainingSeconds > 0 && steps > 0 ? Double(steps * batchSize) / trainingSeconds : nil
    }
}

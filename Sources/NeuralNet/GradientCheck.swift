import Numerics

/// Central finite differences against an analytic gradient, for tests in every module.
///
/// The error of one entry is |a − n| / max(|a|, |n|, floor), where `floor` is a small fraction of
/// the largest analytic entry: entries that are tiny compared with the rest are judged on an
/// absolute scale, so Float32 round-off in near-zero entries does not fail a correct gradient,
/// while a missing term (which moves large entries) still shows as an error near 1.
public enum GradientCheck {
    public struct Result: CustomStringConvertible {
        public var maxRelativeError: Double
        /// Flat index of the worst entry and its two values.
        public var worstIndex: Int
        public var analytic: Double
        public var numeric: Double
        public var checkedEntries: Int
        public var description: String {
            "max relative error \(maxRelativeError) at \(worstIndex) (analytic \(analytic), numeric \(numeric), \(checkedEntries) entries)"
        }
    }

    /// Compares `analytic` with (loss(x + ε) − loss(x − ε)) / 2ε, perturbing entries of `value` in
    /// place (each is restored). At most `maxEntries` entries are checked, evenly spaced.
    public static func compare(_ value: Matrix, analytic: Matrix, epsilon: Float = 1e-2, maxEntries: Int = 256,
                               relativeFloor: Double = 1e-2, loss: () -> Double) -> Result {
        precondition(value.count == analytic.count, "GradientCheck: value and gradient sizes differ")
        var scale: Double = 0
        for i in 0..<analytic.count { scale = max(scale, Double(abs(analytic.data[i]))) }
        let floor = max(scale * relativeFloor, 1e-6)
        let stride = max(1, value.count / max(maxEntries, 1))
        var result = Result(maxRelativeError: 0, worstIndex: -1, analytic: 0, numeric: 0, checkedEntries: 0)
        var i = 0
        while i < value.count {
            let saved = value.data[i]
            value.data[i] = saved + epsilon
            let plus = loss()
            value.data[i] = saved - epsilon
            let minus = loss()
            value.data[i] = saved
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let a = Double(analytic.data[i])
            let err = abs(a - numeric) / max(abs(a), abs(numeric), floor)
            if err > result.maxRelativeError || result.worstIndex < 0 {
                result.maxRelativeError = err
                result.worstIndex = i
                result.analytic = a
                result.numeric = numeric
            }
            result.checkedEntries += 1
            i += stride
        }
        return result
    }

    /// Checks `parameter.grad` (filled by the caller's backward) against `loss`.
    public static func compare(_ parameter: Parameter, epsilon: Float = 1e-2, maxEntries: Int = 256,
                               relativeFloor: Double = 1e-2, loss: () -> Double) -> Result {
        compare(parameter.value, analytic: parameter.grad, epsilon: epsilon, maxEntries: maxEntries,
                relativeFloor: relativeFloor, loss: loss)
    }

    /// Checks a layer's input gradient and every trainable parameter's gradient for the scalar
    /// loss Σ forward(x)·R with a fixed random R. Returns one result per name ("input" and the
    /// parameter names). `prepare` runs before every forward (e.g. to replay a dropout mask).
    public static func checkLayer(_ layer: Layer, input: Matrix, training: Bool, seed: UInt64 = 7,
                                  epsilon: Float = 1e-2, maxEntries: Int = 256,
                                  prepare: () -> Void = {}) -> [String: Result] {
        var rng = SplitMix64(seed: seed)
        let projection = Matrix(rows: input.rows, cols: layer.outputSize)
        for i in 0..<projection.count { projection.data[i] = 2 * rng.nextFloat() - 1 }
        func loss() -> Double {
            prepare()
            let y = layer.forward(input, training: training)
            var s: Double = 0
            for i in 0..<y.count { s += Double(y.data[i]) * Double(projection.data[i]) }
            return s
        }
        for p in layer.parameters { p.zeroGrad() }
        prepare()
        _ = layer.forward(input, training: training)
        let gradInput = layer.backward(projection).copy()
        var results: [String: Result] = [:]
        if gradInput.count == input.count {
            results["input"] = compare(input, analytic: gradInput, epsilon: epsilon, maxEntries: maxEntries, loss: loss)
        }
        for p in layer.parameters where p.trainable {
            let analytic = p.grad.copy()
            results[p.name] = compare(p.value, analytic: analytic, epsilon: epsilon, maxEntries: maxEntries, loss: loss)
        }
        return results
    }
}

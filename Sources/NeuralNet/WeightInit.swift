import Numerics

/// How a weight matrix is filled before training.
///
/// Glorot uniform is Keras' (and so EasyRec's) default for dense kernels; a truncated normal with a
/// small σ is the other common choice for towers and embeddings. Initialisation draws from the
/// caller's seeded generator, so a run seed fixes every initial weight.
public enum WeightInit: Sendable, Equatable {
    /// U(−l, l) with l = √(6 / (fanIn + fanOut)).
    case glorotUniform
    /// N(0, σ²) redrawn until within 2σ (as TensorFlow's `truncated_normal`).
    case truncatedNormal(stddev: Float)
    /// U(−limit, limit) (Keras' default for embeddings uses limit 0.05).
    case uniform(limit: Float)
    case zeros

    /// Fills `m` (fanIn = rows, fanOut = cols for a kernel stored inputSize × outputSize).
    public func fill(_ m: Matrix, fanIn: Int, fanOut: Int, rng: inout SplitMix64) {
        let p = m.data
        switch self {
        case .zeros:
            m.zero()
        case .glorotUniform:
            let limit = (6.0 / Float(max(fanIn + fanOut, 1))).squareRoot()
            for i in 0..<m.count { p[i] = (2 * rng.nextFloat() - 1) * limit }
        case .uniform(let limit):
            for i in 0..<m.count { p[i] = (2 * rng.nextFloat() - 1) * limit }
        case .truncatedNormal(let stddev):
            for i in 0..<m.count {
                var z = rng.nextGaussian()
                while abs(z) > 2 { z = rng.nextGaussian() }
                p[i] = z * stddev
            }
        }
    }
}

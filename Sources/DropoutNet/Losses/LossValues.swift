/// One number per loss kind, stored inline: the loss parameters are rebuilt and the results
/// written at every training step, and a per-kind array would allocate there.
///
/// Room for `capacity` kinds; `LossKind.ordered` refuses to start with more, so a ninth loss
/// widens the storage here rather than overrunning it.
public struct LossValues<Scalar: SIMDScalar & Sendable>: Equatable, Sendable where Scalar.SIMD8Storage: Sendable {
    public static var capacity: Int { SIMD8<Scalar>.scalarCount }

    /// Lane `kind.index` holds `kind`'s value; lanes past the last kind stay zero.
    public var lanes: SIMD8<Scalar>

    /// Every kind's value zero.
    public init() { lanes = SIMD8() }

    public subscript(kind: LossKind) -> Scalar {
        get { lanes[kind.index] }
        set { lanes[kind.index] = newValue }
    }
}

import Numerics

/// One optimizer for the dense parameters and another for the sparse ones (role `.embedding`:
/// sparse input layers and ID tables), stepped together as one.
///
/// Why: SGD with momentum suits the classic model's dense tower (the reference's optimizer, and
/// on CiteULike it keeps warm recall where Adam loses it), but a tf-idf layer over a vocabulary of
/// tens of thousands of terms sees each term in a handful of steps per epoch, and plain SGD barely
/// moves those rows; per-coordinate rates (Adam's) do. Wide & Deep trains its wide part and deep
/// part with different optimizers for the same reason.
public final class PartitionedOptimizer: Optimizer {
    public let dense: Optimizer
    public let sparse: Optimizer
    /// The dense optimizer's rate; the sparse one's is set on `sparse` directly.
    public var learningRate: Float {
        get { dense.learningRate }
        set { dense.learningRate = newValue }
    }
    public var stepCount: Int {
        get { dense.stepCount }
        set { dense.stepCount = newValue; sparse.stepCount = newValue }
    }
    /// The dense optimizer's slot names; `slotNames(for:)` gives each parameter's own.
    public var slotNames: [String] { dense.slotNames }

    private var partitionOf: [ObjectIdentifier] = []
    private var denseParameters: [Parameter] = []
    private var sparseParameters: [Parameter] = []

    public init(dense: Optimizer, sparse: Optimizer) {
        self.dense = dense
        self.sparse = sparse
    }

    public static func isSparse(_ p: Parameter) -> Bool { p.role == .embedding }

    public func step(_ parameters: [Parameter]) {
        // The trainer passes the same array every step: split it once (steps allocate nothing).
        if parameters.count != partitionOf.count || !zip(parameters, partitionOf).allSatisfy({ ObjectIdentifier($0) == $1 }) {
            partitionOf = parameters.map(ObjectIdentifier.init)
            denseParameters = parameters.filter { !Self.isSparse($0) }
            sparseParameters = parameters.filter(Self.isSparse)
        }
        dense.step(denseParameters)
        sparse.step(sparseParameters)
    }

    public func slotNames(for parameter: Parameter) -> [String] {
        Self.isSparse(parameter) ? sparse.slotNames : dense.slotNames
    }

    public func stateTensors(for parameter: Parameter) -> [Matrix]? {
        (Self.isSparse(parameter) ? sparse : dense).stateTensors(for: parameter)
    }

    public func restoreState(_ tensors: [Matrix], for parameter: Parameter) throws {
        try (Self.isSparse(parameter) ? sparse : dense).restoreState(tensors, for: parameter)
    }
}

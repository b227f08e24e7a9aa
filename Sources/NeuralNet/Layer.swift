import Numerics

/// A differentiable layer with explicit forward and backward passes on preallocated buffers.
///
/// Layers are built for a maximum batch size and own their output and input-gradient buffers;
/// `forward` and `backward` return views of them sized to the current batch, so a training step
/// allocates nothing. `backward` must follow the `forward` whose activations it differentiates;
/// it accumulates (+=) into parameter gradients and returns the gradient for the input.
public protocol Layer: AnyObject {
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// Trainable parameters and non-trainable state (BN statistics), in a stable order.
    var parameters: [Parameter] { get }
    func forward(_ input: Matrix, training: Bool) -> Matrix
    func backward(_ gradOutput: Matrix) -> Matrix
}

extension Layer {
    public var trainableParameters: [Parameter] { parameters.filter(\.trainable) }
}

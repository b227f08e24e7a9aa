import Foundation
import Numerics

/// The nonlinearity of an MLP block.
public enum Activation: String, Sendable, CaseIterable {
    case relu, tanh

    func makeLayer(features: Int, maxBatch: Int) -> Layer {
        switch self {
        case .relu: return ReLU(features: features, maxBatch: maxBatch)
        case .tanh: return Tanh(features: features, maxBatch: maxBatch)
        }
    }
}

/// y = max(x, 0). Backward masks by the saved output (y > 0 ⇔ x > 0).
public final class ReLU: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let parameters: [Parameter] = []
    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    private var output: Matrix

    public init(features: Int, maxBatch: Int) {
        inputSize = features
        outputBuffer = Matrix(rows: maxBatch, cols: features)
        gradInputBuffer = Matrix(rows: maxBatch, cols: features)
        output = outputBuffer.rows(0..<0)
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == inputSize && input.rows <= outputBuffer.rows, "ReLU: input shape")
        output = outputBuffer.rows(0..<input.rows)
        Parallel.forRanges(input.count, minChunk: Parallel.elementGrain, alignment: 16,
                           body: ReLUForward(x: input.data, y: output.data))
        return output
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == output.rows && gradOutput.cols == inputSize, "ReLU: gradient shape")
        let gradInput = gradInputBuffer.rows(0..<output.rows)
        Parallel.forRanges(output.count, minChunk: Parallel.elementGrain, alignment: 16,
                           body: ReLUBackward(g: gradOutput.data, y: output.data, d: gradInput.data))
        return gradInput
    }
}

/// y = tanh(x). Backward uses the saved output: dy/dx = 1 − y².
public final class Tanh: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let parameters: [Parameter] = []
    private let outputBuffer: Matrix
    private let gradInputBuffer: Matrix
    private var output: Matrix

    public init(features: Int, maxBatch: Int) {
        inputSize = features
        outputBuffer = Matrix(rows: maxBatch, cols: features)
        gradInputBuffer = Matrix(rows: maxBatch, cols: features)
        output = outputBuffer.rows(0..<0)
    }

    public func forward(_ input: Matrix, training: Bool) -> Matrix {
        precondition(input.cols == inputSize && input.rows <= outputBuffer.rows, "Tanh: input shape")
        output = outputBuffer.rows(0..<input.rows)
        Parallel.forRanges(input.count, minChunk: Parallel.elementGrain / 8, alignment: 16,
                           body: TanhForward(x: input.data, y: output.data))
        return output
    }

    public func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(gradOutput.rows == output.rows && gradOutput.cols == inputSize, "Tanh: gradient shape")
        let gradInput = gradInputBuffer.rows(0..<output.rows)
        Parallel.forRanges(output.count, minChunk: Parallel.elementGrain, alignment: 16,
                           body: TanhBackward(g: gradOutput.data, y: output.data, d: gradInput.data))
        return gradInput
    }
}

// Elementwise bodies: each element depends on its own inputs only, so any split is exact.

private struct ReLUForward: ParallelRangeBody {
    let x, y: UnsafeMutablePointer<Float>
    func run(_ r: Range<Int>) { for i in r { y[i] = max(x[i], 0) } }
}

private struct ReLUBackward: ParallelRangeBody {
    let g, y, d: UnsafeMutablePointer<Float>
    func run(_ r: Range<Int>) { for i in r { d[i] = y[i] > 0 ? g[i] : 0 } }
}

/// tanhf costs tens of cycles an element: split at an eighth of the memory-bound grain.
private struct TanhForward: ParallelRangeBody {
    let x, y: UnsafeMutablePointer<Float>
    func run(_ r: Range<Int>) { for i in r { y[i] = tanhf(x[i]) } }
}

private struct TanhBackward: ParallelRangeBody {
    let g, y, d: UnsafeMutablePointer<Float>
    func run(_ r: Range<Int>) { for i in r { d[i] = g[i] * (1 - y[i] * y[i]) } }
}

import NeuralNet
import Numerics
import XCTest

/// `PartitionedOptimizer` steps dense parameters with one optimizer and sparse ones (embedding
/// role: touched rows only) with another, exactly as each would alone.
final class PartitionedOptimizerTests: XCTestCase {
    private func parameters() -> (dense: Parameter, sparse: Parameter) {
        let dense = Parameter(name: "kernel", rows: 2, cols: 3, role: .kernel)
        let sparse = Parameter(name: "table", rows: 4, cols: 3, role: .embedding)
        for i in 0..<6 { dense.value.data[i] = Float(i) * 0.1 }
        for i in 0..<12 { sparse.value.data[i] = Float(i) * -0.05 }
        return (dense, sparse)
    }

    private func fillGradients(_ p: (dense: Parameter, sparse: Parameter), step: Int) {
        p.dense.zeroGrad(); p.sparse.zeroGrad()
        for i in 0..<6 { p.dense.grad.data[i] = Float(i + step) * 0.3 - 0.7 }
        let row = Int32(step % 2 == 0 ? 1 : 3)
        p.sparse.touchedRows.append(row)
        for j in 0..<3 { p.sparse.grad[Int(row), j] = Float(j + step) * 0.2 - 0.3 }
    }

    func testEachPartitionMatchesItsOwnOptimizer() throws {
        let mixed = parameters(), alone = parameters()
        let optimizer = PartitionedOptimizer(dense: SGD(learningRate: 0.1, momentum: 0.9), sparse: Adam(learningRate: 0.01))
        let sgd = SGD(learningRate: 0.1, momentum: 0.9), adam = Adam(learningRate: 0.01)
        for step in 0..<5 {
            fillGradients(mixed, step: step)
            fillGradients(alone, step: step)
            optimizer.step([mixed.dense, mixed.sparse])
            sgd.step([alone.dense])
            adam.step([alone.sparse])
        }
        XCTAssertEqual(mixed.dense.value.toArray(), alone.dense.value.toArray(), "the kernel moves as under SGD alone")
        XCTAssertEqual(mixed.sparse.value.toArray(), alone.sparse.value.toArray(), "the table moves as under Adam alone")
        XCTAssertEqual(Array(mixed.sparse.value.toArray()[0..<3]), [0, -0.05, -0.1], "an untouched row stays put")
        XCTAssertEqual(optimizer.stepCount, 5)
        XCTAssertEqual(optimizer.slotNames(for: mixed.dense), ["velocity"])
        XCTAssertEqual(optimizer.slotNames(for: mixed.sparse), ["m", "v"])
        XCTAssertEqual(optimizer.stateTensors(for: mixed.sparse)?.count, 2)

        // State goes back where it came from: a restored copy continues identically.
        let copy = PartitionedOptimizer(dense: SGD(learningRate: 0.1, momentum: 0.9), sparse: Adam(learningRate: 0.01))
        let resumed = parameters()
        resumed.dense.value.copy(from: mixed.dense.value)
        resumed.sparse.value.copy(from: mixed.sparse.value)
        for p in [(mixed.dense, resumed.dense), (mixed.sparse, resumed.sparse)] {
            try copy.restoreState(optimizer.stateTensors(for: p.0)!, for: p.1)
        }
        copy.stepCount = optimizer.stepCount
        fillGradients(mixed, step: 5)
        fillGradients(resumed, step: 5)
        optimizer.step([mixed.dense, mixed.sparse])
        copy.step([resumed.dense, resumed.sparse])
        XCTAssertEqual(resumed.dense.value.toArray(), mixed.dense.value.toArray())
        XCTAssertEqual(resumed.sparse.value.toArray(), mixed.sparse.value.toArray())
    }
}

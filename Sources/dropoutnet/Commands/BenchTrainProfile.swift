import DropoutNet
import Foundation
import NeuralNet
import Numerics

/// `bench train --profile`: where a training step's time goes.
///
/// Runs the trainer's own components (sampler, towers, loss, optimizer) phase by phase with a
/// clock around each, then each tower's MLP layers and L2 normalisation one at a time on a
/// batch-shaped input, summed by layer kind. Timing each phase separately adds a little clock
/// overhead and loses overlap, so the phases sum to slightly more than a plain step.
enum BenchTrainProfile {
    struct Phase { let name: String; let milliseconds: Double }

    static func measure(trainer: Trainer, settings s: Settings, steps: Int) -> [Phase] {
        var total: [String: UInt64] = [:], order: [String] = []
        @inline(__always) func time(_ name: String, _ body: () throws -> Void) rethrows {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            total[name, default: 0] += DispatchTime.now().uptimeNanoseconds - t0
            if !order.contains(name) { order.append(name) }
        }
        let model = trainer.model, b = trainer.batchSize, d = model.embeddingDim
        let gradUsers = Matrix(rows: b, cols: d), gradItems = Matrix(rows: b, cols: d)
        var dropoutRNG = SplitMix64(seed: 5), negativesRNG = SplitMix64(seed: 6)
        let params = LossParameters(settings: s)
        let parameters = model.trainableParameters
        for _ in 0..<steps {
            time("sample") { trainer.sampler.next() }
            var users = gradUsers, items = gradItems
            time("forward user") {
                users = model.user.forward(ids: trainer.sampler.userIDs, dropoutRate: Float(s.userDropout), scaling: s.dropoutScaling,
                                           training: true, keepPreference: nil, rng: &dropoutRNG)
            }
            time("forward item") {
                items = model.item.forward(ids: trainer.sampler.itemIDs, dropoutRate: Float(s.itemDropout), scaling: s.dropoutScaling,
                                           training: true, keepPreference: nil, rng: &dropoutRNG)
            }
            time("zero grad") { model.zeroGrad() }
            time("loss") {
                _ = try? trainer.loss.compute(users: users, items: items, labels: trainer.sampler.labels,
                                              userIDs: trainer.sampler.userIDs, itemIDs: trainer.sampler.itemIDs,
                                              sampleWeights: trainer.sampler.sampleWeights, params: params,
                                              rng: &negativesRNG, gradUsers: gradUsers, gradItems: gradItems,
                                              kernels: params.l2 > 0 ? model.kernels : [])
            }
            time("backward user") { model.user.backward(gradUsers) }
            time("backward item") { model.item.backward(gradItems) }
            time("optimizer") { trainer.optimizer.step(parameters) }
        }
        // Layer by layer, on each tower's MLP with a batch-shaped input.
        var rng = SplitMix64(seed: 7)
        for tower in [model.user, model.item] {
            let x = Matrix(rows: b, cols: tower.mlp.inputSize)
            for i in 0..<x.count { x.data[i] = rng.nextGaussian() }
            let g = Matrix(rows: b, cols: tower.outputSize)
            for i in 0..<g.count { g.data[i] = rng.nextGaussian() * 1e-3 }
            for _ in 0..<steps {
                var h = x
                for layer in tower.mlp.layers {
                    let input = h
                    time("  fwd \(kind(layer))") { h = layer.forward(input, training: true) }
                }
                let last = h
                time("  fwd L2Normalize") { h = tower.normalize.forward(last, training: true) }
                var dh = g
                time("  bwd L2Normalize") { dh = tower.normalize.backward(g) }
                for layer in tower.mlp.layers.reversed() {
                    let gradient = dh
                    time("  bwd \(kind(layer))") { dh = layer.backward(gradient) }
                }
            }
            for p in tower.mlp.parameters { p.zeroGrad() }
        }
        return order.map { Phase(name: $0, milliseconds: Double(total[$0]!) / Double(steps) / 1e6) }
    }

    private static func kind(_ layer: Layer) -> String { String(describing: type(of: layer)) }
}

import Foundation
import Numerics

/// Population-based training's two rules (Jaderberg et al., "Population Based Training of Neural
/// Networks", 2017), as pure functions of a table of members: which members copy which
/// (exploit), and how a copied member's settings move (explore). `PopulationTraining` applies
/// them to running trainers.
public struct PopulationBasedTraining: Sendable, Equatable {
    /// Members training at once (each a trial of the sweep, a run of the store).
    public var population: Int
    /// Exploit and explore every this many validation evaluations.
    public var interval: Int
    /// The chance that explore redraws a choice setting (ranges are always scaled).
    public var resample: Double

    public static let factors = (down: 0.8, up: 1.2)

    public init(population: Int = 4, interval: Int = 2, resample: Double = 0.25) {
        self.population = max(2, population)
        self.interval = max(1, interval)
        self.resample = min(max(resample, 0), 1)
    }

    /// Exploit: the weaker half of the members (by objective; a member without one ranks last)
    /// copies the stronger half — the weakest copies the strongest, the next weakest the next
    /// strongest, and so on. A member copies only a member strictly better than itself.
    /// - Parameter objectives: member → its objective at this point of the curve.
    /// - Returns: weak member → the member it copies.
    public static func exploit(_ objectives: [Int: Double?]) -> [Int: Int] {
        // Best first; equal objectives by member number, so the pairing never depends on order given.
        let ranked = objectives.map { (member: $0.key, value: $0.value ?? -.infinity) }
            .sorted { ($0.value, -$0.member) > ($1.value, -$1.member) }
        let half = ranked.count / 2
        var out: [Int: Int] = [:]
        for j in 0..<half {
            let strong = ranked[j], weak = ranked[ranked.count - 1 - j]
            if weak.value < strong.value { out[weak.member] = strong.member }
        }
        return out
    }

    /// Explore: each range setting of `values` scaled by 0.8 or 1.2 (a coin each) and kept
    /// inside its declared range (whole numbers stay whole); each choice redrawn from its
    /// choices with probability `resample`. Settings missing from `values` stay missing.
    public func explore(_ values: [String: String], parameters: [SweepParameter], rng: inout SplitMix64) -> [String: String] {
        var out = values
        for p in parameters {
            guard let text = values[p.key] else { continue }
            let coin = rng.nextDouble(), draw = rng.nextDouble()
            switch p.domain {
            case .choices(let choices):
                if coin < resample { out[p.key] = choices[min(choices.count - 1, Int(draw * Double(choices.count)))] }
            case let .range(low, high, _, integer):
                guard let v = Double(text) else { continue }
                var scaled = min(max(v * (coin < 0.5 ? Self.factors.down : Self.factors.up), low), high)
                // A whole number too small to move by a fifth moves by one (inwards at an end).
                if integer && scaled.rounded() == v {
                    let step: Double = coin < 0.5 ? -1 : 1
                    scaled = (low...high).contains(v + step) ? v + step : min(max(v - step, low), high)
                }
                out[p.key] = integer ? String(Int(scaled.rounded())) : p.value(atCoordinate: p.coordinate(of: SweepParameter.text(scaled)) ?? p.axis!.lowerBound)
            }
        }
        return out
    }

    /// The generator of one exploit-and-explore round's draws for one member: a function of the
    /// sweep's seed, the step and the member alone (so the threads' order does not matter).
    public static func generator(seed: UInt64, step: Int, member: Int) -> SplitMix64 {
        SplitMix64(seed: seed ^ 0x9B7_0000_0000_0000).split(UInt64(step)).split(UInt64(member))
    }
}

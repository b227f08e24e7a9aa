import Foundation
import Numerics

/// Makes a `Split` of a dataset: random (seeded fractions) or from predefined files.
public enum Splitter {
    public static func make(_ dataset: Dataset, _ options: SplitOptions) throws -> Split {
        try options.validate()
        if let dir = options.splitDir {
            return try PredefinedSplit.read(directory: dir, dataset: dataset, validation: options.validation, seed: options.seed)
        }
        return random(dataset, options)
    }

    /// The random split of DESIGN §3.4 (see `SplitOptions` for what each fraction means).
    ///
    /// Cold entities are drawn among those with at least one positive, so every cold entity is
    /// evaluable. An interaction between a cold user and a cold item belongs to neither cold
    /// split and is dropped. A warm positive is held out only while its user keeps another
    /// training positive and its item another training interaction, so warm evaluation never
    /// asks for an item or a user the model has not seen.
    static func random(_ d: Dataset, _ o: SplitOptions) -> Split {
        let rng = SplitMix64(seed: o.seed)
        var userPositives = [Int32](repeating: 0, count: d.userCount)
        var itemPositives = [Int32](repeating: 0, count: d.itemCount)
        for k in 0..<d.interactionCount where d.labels[k] == 1 {
            userPositives[Int(d.users[k])] += 1
            itemPositives[Int(d.items[k])] += 1
        }
        // 0 = warm, 1 = cold test, 2 = cold validation.
        func pickCold(_ positives: [Int32], _ testFraction: Double, _ rng: inout SplitMix64) -> [UInt8] {
            var active = (0..<positives.count).filter { positives[$0] > 0 }.map(Int32.init)
            shuffle(&active, &rng)
            let nTest = Int((testFraction * Double(active.count)).rounded())
            let nVal = Int((o.validation * Double(active.count)).rounded())
            var role = [UInt8](repeating: 0, count: positives.count)
            for (k, e) in active.enumerated() {
                if k < nTest { role[Int(e)] = 1 } else if k < nTest + nVal { role[Int(e)] = 2 } else { break }
            }
            return role
        }
        var itemRng = rng.split(1), userRng = rng.split(2), warmRng = rng.split(3)
        let itemRole = pickCold(itemPositives, o.coldItems, &itemRng)
        let userRole = pickCold(userPositives, o.coldUsers, &userRng)

        var train: [Int32] = [], validation: [Int32] = [], coldUserTest: [Int32] = [], coldItemTest: [Int32] = []
        var warmPositives: [Int32] = []
        train.reserveCapacity(d.interactionCount)
        var trainUserPositives = [Int32](repeating: 0, count: d.userCount)
        var trainItemCount = [Int32](repeating: 0, count: d.itemCount)
        for k in 0..<d.interactionCount {
            let u = Int(d.users[k]), i = Int(d.items[k])
            switch (userRole[u], itemRole[i]) {
            case (0, 0):
                if d.labels[k] == 1 { warmPositives.append(Int32(k)); trainUserPositives[u] += 1 }
                trainItemCount[i] += 1
            case (1, 0): coldUserTest.append(Int32(k))
            case (0, 1): coldItemTest.append(Int32(k))
            case (2, 0), (0, 2): validation.append(Int32(k))
            default: break
            }
        }
        shuffle(&warmPositives, &warmRng)
        let nTest = Int((o.warmTest * Double(warmPositives.count)).rounded())
        let nVal = Int((o.validation * Double(warmPositives.count)).rounded())
        var heldOut = [UInt8](repeating: 0, count: d.interactionCount)   // 1 test, 2 validation
        var tests = 0, vals = 0
        for k in warmPositives where tests < nTest || vals < nVal {
            let u = Int(d.users[Int(k)]), i = Int(d.items[Int(k)])
            guard trainUserPositives[u] > 1, trainItemCount[i] > 1 else { continue }
            trainUserPositives[u] -= 1
            trainItemCount[i] -= 1
            if tests < nTest { heldOut[Int(k)] = 1; tests += 1 } else { heldOut[Int(k)] = 2; vals += 1 }
        }
        var warmTest: [Int32] = []
        for k in 0..<d.interactionCount where userRole[Int(d.users[k])] == 0 && itemRole[Int(d.items[k])] == 0 {
            switch heldOut[k] {
            case 1: warmTest.append(Int32(k))
            case 2: validation.append(Int32(k))
            default: train.append(Int32(k))
            }
        }
        validation.sort()
        let coldUsers = (0..<d.userCount).filter { userRole[$0] != 0 }.map(Int32.init)
        let coldItems = (0..<d.itemCount).filter { itemRole[$0] != 0 }.map(Int32.init)
        let candidates = (0..<d.itemCount).filter { itemRole[$0] == 1 }.map(Int32.init)
        let origin = "random seed=\(o.seed) cold_items=\(o.coldItems) cold_users=\(o.coldUsers) warm_test=\(o.warmTest) validation=\(o.validation)"
        return Split(train: train, validation: validation, warmTest: warmTest, coldUserTest: coldUserTest,
                     coldItemTest: coldItemTest, coldUsers: coldUsers, coldItems: coldItems,
                     coldItemCandidates: candidates, origin: origin)
    }

    static func shuffle(_ a: inout [Int32], _ rng: inout SplitMix64) {
        guard a.count > 1 else { return }
        for k in stride(from: a.count - 1, to: 0, by: -1) {
            let j = rng.nextInt(below: k + 1)
            a.swapAt(k, j)
        }
    }
}

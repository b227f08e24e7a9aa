import Numerics

/// A validation split for a split directory that brings none (the DropoutNet reference
/// directories have only `train.csv` and `test.csv`).
///
/// Without validation nothing can be chosen honestly: not the checkpoint, not the weight of a
/// scoring prior. So a seeded share of `train.csv` is moved to validation, shaped like the
/// test: cold validation items when the test has cold items, cold validation users when it has
/// cold users, held-out positives of known users when it has warm pairs. The test itself never
/// changes: an entity with test pairs is never made cold, and no user or item loses its last
/// training interaction, so nobody the test asks about becomes unknown. The price is that share
/// of the training data; `--validation 0` trains on all of `train.csv` as the reference does.
enum ValidationCarve {
    /// Roles as `PredefinedSplit` keeps them: 1 train, 2 test, 3 validation (0: unused).
    static func carve(role: inout [UInt8], dataset d: Dataset, fraction: Double, seed: UInt64) {
        guard fraction > 0 else { return }
        var userTrain = [Int32](repeating: 0, count: d.userCount), itemTrain = [Int32](repeating: 0, count: d.itemCount)
        var userPositives = userTrain
        var userInTest = [Bool](repeating: false, count: d.userCount), itemInTest = [Bool](repeating: false, count: d.itemCount)
        for k in 0..<d.interactionCount {
            let u = Int(d.users[k]), i = Int(d.items[k])
            if role[k] == 1 {
                userTrain[u] += 1; itemTrain[i] += 1
                if d.labels[k] == 1 { userPositives[u] += 1 }
            } else if role[k] == 2 {
                userInTest[u] = true; itemInTest[i] = true
            }
        }
        var warmTest = false, coldUserTest = false, coldItemTest = false
        for k in 0..<d.interactionCount where role[k] == 2 && d.labels[k] == 1 {
            switch (userTrain[Int(d.users[k])] > 0, itemTrain[Int(d.items[k])] > 0) {
            case (true, true): warmTest = true
            case (false, true): coldUserTest = true
            case (true, false): coldItemTest = true
            default: break
            }
        }
        let rng = SplitMix64(seed: seed)
        var itemRng = rng.split(11), userRng = rng.split(12), warmRng = rng.split(13)
        // Each entity's training interactions, to move them together.
        let trainRows = (0..<d.interactionCount).filter { role[$0] == 1 }.map(Int32.init)
        let byItem = AdjacencyLists(rows: d.itemCount, pairs: trainRows.map { d.items[Int($0)] }, trainRows)
        let byUser = AdjacencyLists(rows: d.userCount, pairs: trainRows.map { d.users[Int($0)] }, trainRows)

        if coldItemTest {
            var pool = (0..<d.itemCount).filter { !itemInTest[$0] && itemTrain[$0] > 0 }.map(Int32.init)
            Splitter.shuffle(&pool, &itemRng)
            var left = Int((fraction * Double(pool.count)).rounded())
            for i in pool where left > 0 {
                let rows = byItem[Int(i)]
                // Every user of the item keeps a training positive and a training interaction.
                guard rows.allSatisfy({ k in
                    let u = Int(d.users[Int(k)])
                    return userTrain[u] > 1 && (d.labels[Int(k)] == 0 || userPositives[u] > 1)
                }) else { continue }
                for k in rows {
                    let u = Int(d.users[Int(k)])
                    role[Int(k)] = 3; userTrain[u] -= 1; itemTrain[Int(i)] -= 1
                    if d.labels[Int(k)] == 1 { userPositives[u] -= 1 }
                }
                left -= 1
            }
        }
        if coldUserTest {
            var pool = (0..<d.userCount).filter { !userInTest[$0] && userPositives[$0] > 0 }.map(Int32.init)
            Splitter.shuffle(&pool, &userRng)
            var left = Int((fraction * Double(pool.count)).rounded())
            for u in pool where left > 0 {
                let rows = byUser[Int(u)].filter { role[Int($0)] == 1 }
                guard rows.allSatisfy({ itemTrain[Int(d.items[Int($0)])] > 1 }) else { continue }
                for k in rows {
                    role[Int(k)] = 3; itemTrain[Int(d.items[Int(k)])] -= 1; userTrain[Int(u)] -= 1
                    if d.labels[Int(k)] == 1 { userPositives[Int(u)] -= 1 }
                }
                left -= 1
            }
        }
        if warmTest {
            // A pair the data holds twice stays in training: half of it held out would be masked
            // as a training positive of its user and could never be hit.
            var seen = Set<Int64>(), repeated = Set<Int64>()
            for k in trainRows {
                let key = Int64(d.users[Int(k)]) << 32 | Int64(d.items[Int(k)])
                if !seen.insert(key).inserted { repeated.insert(key) }
            }
            var positives = (0..<d.interactionCount).filter { role[$0] == 1 && d.labels[$0] == 1 }.map(Int32.init)
            Splitter.shuffle(&positives, &warmRng)
            var left = Int((fraction * Double(positives.count)).rounded())
            for k in positives where left > 0 {
                let u = Int(d.users[Int(k)]), i = Int(d.items[Int(k)])
                guard userPositives[u] > 1, itemTrain[i] > 1, !repeated.contains(Int64(u) << 32 | Int64(i)) else { continue }
                role[Int(k)] = 3; userPositives[u] -= 1; userTrain[u] -= 1; itemTrain[i] -= 1
                left -= 1
            }
        }
    }
}

import Numerics

extension EvaluationTarget {
    /// At most `maxUsers` of this split's users, drawn once from `seed` (the same users every
    /// time for the same split and seed), with their held-out and masked items as they are.
    ///
    /// Live validation runs on this sample so that its cost does not grow with the catalogue's
    /// user count, and so that two evaluations of one run are over the same users: a curve
    /// moves because the model moved, not because the users changed. `maxUsers <= 0`, or a
    /// split no larger than the sample, gives the split itself.
    public func sample(maxUsers: Int, seed: UInt64) -> EvaluationTarget {
        guard maxUsers > 0, userCount > maxUsers else { return self }
        // The split's name goes into the stream, so the warm and cold-user samples of one
        // seed are independent draws.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        var rng = SplitMix64(seed: seed).split(h)
        // Partial Fisher–Yates: the first maxUsers positions become a uniform draw.
        var picks = Array(0..<userCount)
        for i in 0..<maxUsers {
            let j = i + rng.nextInt(below: userCount - i)
            picks.swapAt(i, j)
        }
        var out = self
        out.users = []
        out.heldOutOffsets = [0]
        out.heldOutItems = []
        out.excludeOffsets = [0]
        out.excludeItems = []
        out.users.reserveCapacity(maxUsers)
        for i in picks[0..<maxUsers].sorted() {
            out.users.append(users[i])
            out.heldOutItems.append(contentsOf: heldOut(ofUserAt: i))
            out.heldOutOffsets.append(out.heldOutItems.count)
            out.excludeItems.append(contentsOf: excluded(ofUserAt: i))
            out.excludeOffsets.append(out.excludeItems.count)
        }
        return out
    }
}

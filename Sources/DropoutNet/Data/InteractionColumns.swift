/// Growing columnar interaction arrays plus the id tables, shared by every loader.
///
/// Loaders push one interaction at a time from raw id bytes; `finish` turns the tables into
/// the `Dataset`'s string ids. Weights and timestamps are only materialised per line when a file
/// carries them, so the common three-column case stays cheap.
struct InteractionColumns {
    var userTable: IDTable
    var itemTable: IDTable
    var users: [Int32] = []
    var items: [Int32] = []
    var labels: [UInt8] = []
    var weights: [Float] = []
    var timestamps: [Int64] = []
    var hasWeights = false
    var hasTimestamps = false

    init(expectedInteractions: Int = 0, expectedUsers: Int = 1024, expectedItems: Int = 1024) {
        userTable = IDTable(expected: expectedUsers)
        itemTable = IDTable(expected: expectedItems)
        reserve(expectedInteractions)
    }

    mutating func reserve(_ n: Int) {
        guard n > 0 else { return }
        users.reserveCapacity(n); items.reserveCapacity(n); labels.reserveCapacity(n)
    }

    var count: Int { users.count }

    /// Adds one interaction; ids must already be non-empty (the caller reports empties).
    /// A new id is checked for valid UTF-8 here, the only time its bytes are decoded.
    @inline(__always)
    mutating func add(user: UnsafeBufferPointer<UInt8>, item: UnsafeBufferPointer<UInt8>, label: UInt8,
                      file: String, line: Int, userColumn: Int = 1, itemColumn: Int = 2) throws {
        var isNew = false
        let u = userTable.intern(user, isNew: &isNew)
        if isNew { _ = try FieldSplitter.decode(user, file: file, line: line, column: userColumn) }
        let i = itemTable.intern(item, isNew: &isNew)
        if isNew { _ = try FieldSplitter.decode(item, file: file, line: line, column: itemColumn) }
        users.append(u)
        items.append(i)
        labels.append(label)
    }

    /// Records a weight for the interaction just added (back-filling 1s the first time).
    mutating func setWeight(_ w: Float) {
        if !hasWeights {
            hasWeights = true
            weights = [Float](repeating: 1, count: count - 1)
            weights.reserveCapacity(users.capacity)
        }
        while weights.count < count - 1 { weights.append(1) }
        weights.append(w)
    }

    /// Records a timestamp for the interaction just added (back-filling 0s the first time).
    mutating func setTimestamp(_ t: Int64) {
        if !hasTimestamps {
            hasTimestamps = true
            timestamps = [Int64](repeating: 0, count: count - 1)
            timestamps.reserveCapacity(users.capacity)
        }
        while timestamps.count < count - 1 { timestamps.append(0) }
        timestamps.append(t)
    }

    /// Pads the optional columns to full length (lines without them get the defaults).
    mutating func finishOptionalColumns() {
        if hasWeights { while weights.count < count { weights.append(1) } }
        if hasTimestamps { while timestamps.count < count { timestamps.append(0) } }
    }
}

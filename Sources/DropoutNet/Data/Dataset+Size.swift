extension Dataset {
    /// Bytes held by the interaction arrays, ids and content strings (a memory-budget yardstick).
    public var approximateByteSize: Int {
        var bytes = interactionCount * (4 + 4 + 1 + 4 + 8)
        for s in userIDs { bytes += s.utf8.count + 16 }
        for s in itemIDs { bytes += s.utf8.count + 16 }
        for side in [userContent, itemContent] {
            for c in side.columns { for v in c.values { bytes += 16 + (v.utf8.count > 15 ? v.utf8.count : 0) } }
        }
        return bytes
    }
}

import Foundation

/// Packing buffers for one worker of the built-in GEMM, recycled through a process-wide pool so
/// that steady-state calls allocate nothing: a call takes one workspace per worker and gives it
/// back; buffers only grow (the first call at a new, larger shape allocates, later ones do not).
@usableFromInline
final class GEMMWorkspace {
    private(set) var a: UnsafeMutablePointer<Float>
    private(set) var b: UnsafeMutablePointer<Float>
    private var aCapacity = 0
    private var bCapacity = 0
    /// One 6×16 tile for edge write-back.
    let tile: UnsafeMutablePointer<Float>

    init() {
        a = GEMMWorkspace.allocate(1)
        b = GEMMWorkspace.allocate(1)
        tile = GEMMWorkspace.allocate(MicroKernel.mr * MicroKernel.nr)
    }

    deinit {
        a.deallocate(); b.deallocate(); tile.deallocate()
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    /// Makes sure the A buffer holds `aCount` floats and the B buffer `bCount`.
    func reserve(aCount: Int, bCount: Int) {
        if aCount > aCapacity { a.deallocate(); a = GEMMWorkspace.allocate(aCount); aCapacity = aCount }
        if bCount > bCapacity { b.deallocate(); b = GEMMWorkspace.allocate(bCount); bCapacity = bCount }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var free: [GEMMWorkspace] = {
        var list: [GEMMWorkspace] = []
        list.reserveCapacity(64)
        return list
    }()

    /// A workspace for the calling worker (recycled when one is free).
    static func take() -> GEMMWorkspace {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? GEMMWorkspace()
    }

    /// Returns a workspace to the pool.
    static func give(_ workspace: GEMMWorkspace) {
        lock.lock()
        free.append(workspace)
        lock.unlock()
    }
}

/// A matrix of item rows packed once into the GEMM's 16-wide B micro-panels (op(B) = itemsᵀ,
/// the whole width as one k-slice), read-only and shared by every thread that scores against
/// it (`TopKScorer`).
///
/// The general GEMM packs B again for every product; an evaluation multiplies thousands of user
/// blocks by the same items, so packing them once saves a full pass over the item matrix per
/// block.
public final class PackedItems: @unchecked Sendable {
    /// Items (rows of the source matrix) and their width.
    public let count: Int
    public let dim: Int
    @usableFromInline let panels: UnsafeMutablePointer<Float>
    @usableFromInline var panelCount: Int { (count + MicroKernel.nr - 1) / MicroKernel.nr }

    public init(_ items: Matrix) {
        count = items.rows
        dim = items.cols
        let n = max(1, (count + MicroKernel.nr - 1) / MicroKernel.nr) * MicroKernel.nr * max(dim, 1)
        panels = .allocate(capacity: n)
        panels.initialize(repeating: 0, count: n)
        if count > 0 && dim > 0 {
            GEMMPacking.packB(transB: true, b: UnsafePointer(items.data), ldb: dim, p0: 0, kc: dim, j0: 0, nc: count, into: panels)
        }
    }

    deinit { panels.deallocate() }
}

import Numerics

/// How each row's k×k least-squares system is solved.
public enum WMFSolver: Sendable, Equatable, CustomStringConvertible {
    /// Conjugate gradient with a fixed number of steps, warm-started from the previous
    /// iteration's factors (the `implicit` library's default, with 3 steps). Each step costs
    /// O(k² + n_u·k) per row instead of Cholesky's O(n_u·k² + k³); warm-started, a few steps
    /// per ALS iteration reach the same loss as exact solves after the same iteration count.
    case conjugateGradient(steps: Int)
    /// Exact solve: form Yᵀ C_u Y + λI (the sparse part by GEMM on the gathered rows),
    /// factor it by Cholesky.
    case cholesky

    public static let defaultSteps = 3

    public var description: String {
        switch self {
        case .conjugateGradient(let steps): return "cg\(steps)"
        case .cholesky: return "cholesky"
        }
    }

    /// Parses "cg" (3 steps), "cgN" or "cholesky" (the CLI and file spellings).
    public init?(_ text: String) {
        let t = text.lowercased()
        if t == "cholesky" { self = .cholesky; return }
        if t == "cg" { self = .conjugateGradient(steps: WMFSolver.defaultSteps); return }
        if t.hasPrefix("cg"), let n = Int(t.dropFirst(2)), n > 0 { self = .conjugateGradient(steps: n); return }
        return nil
    }
}

/// Settings of a WMF fit (DESIGN §4.7). Defaults are the DropoutNet reference's CiteULike ones.
public struct WMFOptions: Sendable, Equatable {
    /// Latent dimension k.
    public var rank: Int = 200
    /// λ in λ(‖X‖² + ‖Y‖²).
    public var regularization: Float = 1
    /// Confidence of an observed entry is 1 + α·r.
    public var alpha: Float = 10
    public var iterations: Int = 10
    public var solver: WMFSolver = .conjugateGradient(steps: WMFSolver.defaultSteps)
    /// Seeds the initial factors (uniform in [0, 0.01)).
    public var seed: UInt64 = 42
    /// Worker threads over rows (1 = bit-for-bit reproducible).
    public var threads: Int = Parallel.threadCount

    public init(rank: Int = 200, regularization: Float = 1, alpha: Float = 10, iterations: Int = 10,
                solver: WMFSolver = .conjugateGradient(steps: WMFSolver.defaultSteps), seed: UInt64 = 42,
                threads: Int = Parallel.threadCount) {
        self.rank = rank; self.regularization = regularization; self.alpha = alpha
        self.iterations = iterations; self.solver = solver; self.seed = seed; self.threads = threads
    }

    /// Throws `WMFError.invalidOption` naming the first bad setting.
    public func validate() throws {
        if rank < 1 { throw WMFError.invalidOption("rank must be at least 1, got \(rank)") }
        if !(regularization >= 0) || !regularization.isFinite {
            throw WMFError.invalidOption("regularization must be a finite number ≥ 0, got \(regularization)")
        }
        if !(alpha >= 0) || !alpha.isFinite { throw WMFError.invalidOption("alpha must be a finite number ≥ 0, got \(alpha)") }
        if iterations < 0 { throw WMFError.invalidOption("iterations must be ≥ 0, got \(iterations)") }
        if case .conjugateGradient(let steps) = solver, steps < 1 {
            throw WMFError.invalidOption("conjugate-gradient steps must be at least 1, got \(steps)")
        }
        if threads < 1 { throw WMFError.invalidOption("threads must be at least 1, got \(threads)") }
    }
}

/// Reported after every ALS iteration (both half-steps).
public struct WMFProgress: Sendable {
    /// 1-based.
    public var iteration: Int
    public var iterations: Int
    /// Σ c_ui (p_ui − x_u·y_i)² over all user×item cells + λ(‖X‖² + ‖Y‖²).
    public var loss: Double
    /// Wall time of this iteration (including the loss).
    public var seconds: Double
}

public enum WMFError: Error, CustomStringConvertible, Equatable {
    case invalidOption(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidOption(let s): return "WMF: \(s)"
        case .invalidInput(let s): return "WMF input: \(s)"
        }
    }
}

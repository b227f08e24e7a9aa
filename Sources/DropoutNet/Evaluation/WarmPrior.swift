import Numerics

/// The WMF teacher's own score added to the towers' for users and items that both have
/// training interactions (`scoring.warm_prior`).
///
/// Why: the EasyRec model's towers take the WMF vectors as input, yet rank warm users below
/// WMF itself on the MovieLens proxy (recall@20 0.322 against 0.374 for a well-regularised
/// WMF), and they do not promise to keep what the teacher knows the way the classic model's
/// gated shortcut does. Adding w·(u_wmf · v_wmf) for warm pairs, with w chosen on the
/// validation warm users (0 allowed), keeps the towers' ranking where the teacher adds
/// nothing and lets it pull toward the teacher where it knows better. Measured in numpy on the
/// exported splits of the default model with its own (λ = 1) factors before building it:
/// proxy 0.322 → 0.348, ml-latest-small 0.252 → 0.267; on sample-data the validation users
/// chose 0. Cold users and items have no factors, so their rankings are untouched.
///
/// Unlike the cold-start priors it is chosen once, at the end of a run with the best weights:
/// scoring every validation warm user once per candidate weight at every evaluation would
/// cost more than the evaluation itself. Live curves therefore show the towers alone on warm.
///
/// The teacher need not be the towers' own input. On data up to `refitLimit` training
/// interactions the same WMF is also fitted with λ four, sixteen and sixty-four times stiffer,
/// and the validation warm users choose the teacher with the weight: a λ that makes the best
/// preference *input* is not the one that ranks best alone (on the MovieLens proxy the towers
/// did best on λ = 1 inputs while WMF alone ranked best with a stiffer λ, 0.374 against 0.253).
///
/// It travels as extra embedding columns — users: w·u_wmf if warm, else 0; items: v_wmf if
/// warm, else 0.
public struct WarmPrior: Sendable, Equatable {
    public var weight: Float
    public var factors: WMFFactors?
    /// λ of the teacher as a multiple of the run's WMF λ (1: the run's own factors).
    public var teacherRidge: Float
    /// Whether the teacher was refitted on the validation's warm pairs after the choice (see
    /// `Trainer.chooseWarmPrior`): then it knows those pairs and must not score validation.
    public var refittedOnValidation: Bool

    public init(weight: Float = 0, factors: WMFFactors? = nil, teacherRidge: Float = 1, refittedOnValidation: Bool = false) {
        self.weight = weight; self.factors = factors; self.teacherRidge = teacherRidge
        self.refittedOnValidation = refittedOnValidation
    }

    /// Whether the teacher is other than the run's own raw factors (and so is stored beside them).
    public var hasOwnTeacher: Bool { teacherRidge != 1 || refittedOnValidation }

    /// Stiffer λ multiples the teacher is refitted with, on data up to `refitLimit` training
    /// interactions (each is one more WMF fit at the end of the run).
    public static let stifferRidges: [Float] = [4, 16, 64]
    public static let refitLimit = 2_000_000

    public static func == (a: WarmPrior, b: WarmPrior) -> Bool {
        // By value: `Matrix.data` is a pointer, equal only for the same storage.
        a.weight == b.weight && a.teacherRidge == b.teacherRidge && a.refittedOnValidation == b.refittedOnValidation
            && a.factors?.users.toArray() == b.factors?.users.toArray() && a.factors?.items.toArray() == b.factors?.items.toArray()
    }

    /// Candidate multiples, up to where the teacher alone ranks (the towers then only break its
    /// ties): on the MovieLens proxy a stiff WMF alone ranks warm users above the towers (recall@20
    /// 0.366 at λ 64 against 0.359), and on CiteULike the towers rank far below the teacher
    /// (recall@100 0.503 against 0.5925), so the validation must be able to hand it the ranking.
    static let multiples: [Float] = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32]

    /// Columns the prior adds to both embeddings (0 when it adds nothing).
    public var width: Int { weight == 0 ? 0 : factors?.users.cols ?? 0 }

    /// The embeddings with the prior's columns appended. `userIDs` names the data's user behind
    /// each row when `users` is not every user in order.
    public func rankingEmbeddings(users: Matrix, items: Matrix, data: TrainingData,
                                  userIDs: [Int32]? = nil) -> (users: Matrix, items: Matrix) {
        PriorWeight.appending(users: users, items: items, [columns(data: data, userIDs: userIDs)])
    }

    /// The prior's columns (`rankingEmbeddings`), nil when it adds nothing.
    func columns(data: TrainingData, userIDs: [Int32]?) -> PriorWeight.Columns? {
        guard weight != 0, let factors else { return nil }
        let weight = weight, w = factors.users.cols, knownUser = data.isKnownUser, knownItem = data.isKnownItem
        return PriorWeight.Columns(width: w, user: { r, out in
                                       let u = Int(userIDs?[r] ?? Int32(r))
                                       guard knownUser[u] else { return }
                                       let f = factors.users.row(u)
                                       for j in 0..<w { out[j] = weight * f[j] }
                                   },
                                   item: { i, out in
                                       guard knownItem[i] else { return }
                                       out.update(from: factors.items.row(i), count: w)
                                   })
    }

    /// One scored candidate of the search: a teacher at a multiple of its unit weight, and each
    /// validation warm user's recall@`k` with it.
    public struct Candidate: Sendable {
        public var prior: WarmPrior
        public var multiple: Float
        public var userRecalls: [Double]
        public var recall: Double { userRecalls.isEmpty ? 0 : userRecalls.reduce(0, +) / Double(userRecalls.count) }
    }

    /// Every multiple of `multiples` for one teacher, scored on `target` (validation warm users);
    /// empty when the target has no users. Multiple 0 is the towers alone, `WarmPrior()`.
    public static func candidates(users: Matrix, items: Matrix, data: TrainingData, factors: WMFFactors, teacherRidge: Float = 1,
                                  target: EvaluationTarget, evaluator: Evaluator, k: Int) -> [Candidate] {
        guard target.userCount > 0 else { return [] }
        let unit = PriorWeight.unit(target: target, candidates: target.candidates ?? data.warmItems, users: users, items: items) { u, i in
            PriorWeight.dot(factors.users.row(u), factors.items.row(i), factors.users.cols)
        }
        guard let columns = WarmPrior(weight: 1, factors: factors, teacherRidge: teacherRidge).columns(data: data, userIDs: nil)
        else { return [] }
        let tried = multiples.filter { $0 == 0 || unit > 0 }
        let recalls = PriorWeight.userRecalls(tried.map { $0 * unit }, columns: columns, target: target, users: users, items: items,
                                              evaluator: evaluator, k: k)
        return zip(tried, recalls).compactMap { m, r in
            guard !r.isEmpty else { return nil }
            let prior = m == 0 ? WarmPrior() : WarmPrior(weight: m * unit, factors: factors, teacherRidge: teacherRidge)
            return Candidate(prior: prior, multiple: m, userRecalls: r)
        }
    }

    /// The candidate that leans most on the teacher (the larger multiple, then the stiffer
    /// teacher) among those whose mean recall falls short of the best by no more than one
    /// standard error of that shortfall, taken user by user; nil when there are none.
    ///
    /// Why not simply the best: the towers' weights were themselves chosen on these validation
    /// users (the best step, `Trainer.restoreBest`), so a candidate that leans on the towers
    /// reads higher there than it will on the test, while the teacher was fitted without them;
    /// and the best of forty noisy scores is flattered by its own noise. On the MovieLens proxy
    /// the plain best was λ ×16 at a middling weight on every seed, while the teacher-heavy λ ×64
    /// candidates it passed over tested 0.002–0.006 higher (before the content term). Where a
    /// difference is within the measurement's error, the choice that trusts the selected part
    /// least is the safer one. A tie — the classic model's towers *are* its teacher on warm
    /// pairs, so every weight of its own teacher ties — goes the same way, to the teacher.
    public static func choose(_ candidates: [Candidate]) -> Candidate? {
        guard let best = candidates.max(by: { $0.recall < $1.recall }) else { return nil }
        return candidates.filter { c in
            let shortfall = zip(best.userRecalls, c.userRecalls).map { $0 - $1 }
            let n = Double(shortfall.count)
            let mean = shortfall.reduce(0, +) / n
            let variance = n > 1 ? shortfall.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            return mean <= (variance / n).squareRoot() + 1e-12
        }.max { a, b in
            a.multiple != b.multiple ? a.multiple < b.multiple : a.prior.teacherRidge < b.prior.teacherRidge
        }
    }
}

import Foundation
import Synchronization

/// A persistent pool of worker threads behind `Parallel.forEach`.
///
/// `DispatchQueue.concurrentPerform` allocates on every call (about three heap blocks), which
/// would make every threaded GEMM in a training step allocate; this pool allocates only when it
/// grows. Jobs are a C function pointer plus a context pointer (see `Parallel.forEach(chunks:
/// threads:context:_:)`), which cross threads without boxing a closure. One job runs at a
/// time: a call made while another is running (a nested parallel loop, or a second thread)
/// runs its chunks inline on the caller instead of waiting.
///
/// Waking a sleeping thread costs 10–30 µs here, more than a whole BatchNorm or loss loop of a
/// training step takes on one core; so after a job a worker spins (yielding the core to any
/// other runnable thread) for up to `spinNanoseconds` watching for the next job before it
/// sleeps on the condition variable, and the caller spins as long for the last chunks to
/// finish. A training step's loops come closer together than that, so they reach a worker in
/// well under a microsecond; an idle pool sleeps within a fraction of a millisecond (compare
/// OpenBLAS, whose workers spin for about 0.1 s).
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let jobDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    // All below guarded by `mutex`.
    private var workers = 0
    private var busy = false
    private var generation = 0
    private var jobFunction: Parallel.ChunkFunction?
    private var jobContext: UnsafeRawPointer?
    private var chunks = 0
    private var nextChunk = 0
    private var openSlots = 0
    /// Chunks not yet finished (decremented without the mutex; the last one signals under it).
    private let pending = Atomic<Int>(0)
    /// Bumped (after `generation`, under the mutex) for each job: what spinning workers watch.
    private let published = Atomic<Int>(0)

    /// How long a worker watches for a new job, and a caller for its job's end, before sleeping.
    static let spinNanoseconds: UInt64 = 200_000

    /// Upper bound on workers, whatever thread count is asked for.
    static let maxWorkers = 63

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workReady, nil)
        pthread_cond_init(jobDone, nil)
    }

    /// Runs function(context, c) for c in 0..<chunks with up to `threads` of them at once (the
    /// caller is one of them). Returns false without running anything when the pool is busy.
    func run(chunks count: Int, threads: Int, context: UnsafeRawPointer, _ function: Parallel.ChunkFunction) -> Bool {
        pthread_mutex_lock(mutex)
        if busy { pthread_mutex_unlock(mutex); return false }
        busy = true
        let helpers = min(threads - 1, count - 1, WorkerPool.maxWorkers)
        while workers < helpers { spawnWorker() }
        jobFunction = function
        jobContext = context
        chunks = count
        nextChunk = 0
        pending.store(count, ordering: .sequentiallyConsistent)
        openSlots = helpers
        generation &+= 1
        published.store(generation, ordering: .releasing)
        pthread_cond_broadcast(workReady)
        drainChunks(function, context)
        if pending.load(ordering: .acquiring) > 0 {
            pthread_mutex_unlock(mutex)
            spin(until: { self.pending.load(ordering: .acquiring) == 0 })
            pthread_mutex_lock(mutex)
        }
        while pending.load(ordering: .acquiring) > 0 { pthread_cond_wait(jobDone, mutex) }
        jobFunction = nil
        jobContext = nil
        busy = false
        pthread_mutex_unlock(mutex)
        return true
    }

    /// Takes and runs chunks until none are left. Called and returns with `mutex` held.
    private func drainChunks(_ function: Parallel.ChunkFunction, _ context: UnsafeRawPointer) {
        while nextChunk < chunks {
            let c = nextChunk
            nextChunk += 1
            pthread_mutex_unlock(mutex)
            function(context, c)
            pthread_mutex_lock(mutex)
            if pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { pthread_cond_signal(jobDone) }
        }
    }

    /// Yields until `done()` or `spinNanoseconds` have passed; returns whether `done()` held.
    @discardableResult
    private func spin(until done: () -> Bool) -> Bool {
        if done() { return true }
        let deadline = DispatchTime.now().uptimeNanoseconds + WorkerPool.spinNanoseconds
        repeat {
            sched_yield()
            if done() { return true }
        } while DispatchTime.now().uptimeNanoseconds < deadline
        return false
    }

    /// Called with `mutex` held.
    private func spawnWorker() {
        workers += 1
        let thread = Thread { [unowned self] in self.workerLoop() }
        thread.name = "numerics-worker"
        thread.start()
    }

    private func workerLoop() {
        pthread_mutex_lock(mutex)
        var seen = generation
        while true {
            if generation == seen {
                // Watch for the next job for a moment before sleeping (see the type's comment).
                pthread_mutex_unlock(mutex)
                spin(until: { self.published.load(ordering: .acquiring) != seen })
                pthread_mutex_lock(mutex)
            }
            while generation == seen { pthread_cond_wait(workReady, mutex) }
            seen = generation
            guard openSlots > 0, let function = jobFunction, let context = jobContext else { continue }
            openSlots -= 1
            drainChunks(function, context)
        }
    }
}

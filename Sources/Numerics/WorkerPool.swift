import Foundation

/// A persistent pool of worker threads behind `Parallel.forEach`.
///
/// `DispatchQueue.concurrentPerform` allocates on every call (about three heap blocks), which
/// would make every threaded GEMM in a training step allocate; this pool allocates only when it
/// grows. Jobs are a C function pointer plus a context pointer (see `Parallel.forEach(chunks:
/// threads:context:_:)`), which cross threads without boxing a closure. Workers sleep on a condition variable between jobs (no spinning: the machine may be
/// shared). One job runs at a time: a call made while another is running (a nested parallel
/// loop, or a second thread) runs its chunks inline on the caller instead of waiting.
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
    private var pending = 0
    private var openSlots = 0

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
        pending = count
        openSlots = helpers
        generation &+= 1
        pthread_cond_broadcast(workReady)
        drainChunks(function, context)
        while pending > 0 { pthread_cond_wait(jobDone, mutex) }
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
            pending -= 1
            if pending == 0 { pthread_cond_signal(jobDone) }
        }
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
            while generation == seen { pthread_cond_wait(workReady, mutex) }
            seen = generation
            guard openSlots > 0, let function = jobFunction, let context = jobContext else { continue }
            openSlots -= 1
            drainChunks(function, context)
        }
    }
}

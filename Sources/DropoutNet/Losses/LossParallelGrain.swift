/// Multiply-adds a loss loop must have per thread before it is split across threads.
///
/// The loops hand the pool an allocation-free `ParallelRangeBody`, so splitting costs only a
/// worker wake-up (some microseconds): the default step (B = 1024, D = 128, M = 4) splits its
/// scoring and gradient gathers in two.
let lossParallelGrain = 1 << 16

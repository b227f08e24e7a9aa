#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// CPU time of the whole process (every thread, user + system): on a shared machine, wall time
/// alone says more about the neighbours than about the code.
public enum ProcessClock {
    public static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

import Glibc

/// How a reaped process ended and what it used, decoded from `wait4`'s status and rusage.
struct ProcessExit: Sendable, Equatable {
    enum Termination: Sendable, Equatable {
        /// Exited normally with this code.
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)
    }

    var termination: Termination
    /// User plus system CPU time of the process and the descendants it waited for.
    var cpuTime: Duration
    /// Peak resident set size of the process and its waited-for descendants (ru_maxrss is
    /// in KiB on Linux).
    var peakMemoryBytes: UInt64

    init(termination: Termination, cpuTime: Duration, peakMemoryBytes: UInt64) {
        self.termination = termination
        self.cpuTime = cpuTime
        self.peakMemoryBytes = peakMemoryBytes
    }

    /// Decodes a wait status (the WIFEXITED/WEXITSTATUS/WTERMSIG macros, which Swift cannot
    /// import) and the rusage of the reaped child.
    init(status: Int32, usage: rusage) {
        let signal = status & 0x7f
        termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        cpuTime = duration(usage.ru_utime) + duration(usage.ru_stime)
        peakMemoryBytes = UInt64(max(0, usage.ru_maxrss)) * 1024
    }
}

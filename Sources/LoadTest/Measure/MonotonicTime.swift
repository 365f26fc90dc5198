import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: the one clock every measurement in hodei-load uses, so
/// instants taken by submitters and by simulated workers compare directly.
enum MonotonicTime {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Seconds between two instants (0 when `end` is before `start`).
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }
}

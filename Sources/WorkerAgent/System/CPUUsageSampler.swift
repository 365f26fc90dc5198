import Synchronization

/// Machine-wide CPU usage from the first line of `/proc/stat`, as a percentage of all cores
/// over the time since the previous sample (since boot for the first one).
///
/// Thread-safe: the previous counters live in a mutex.
final class CPUUsageSampler: Sendable {
    /// Cumulative jiffies of the aggregate `cpu` line.
    struct Counters: Sendable, Equatable {
        var busy: UInt64
        var total: UInt64
    }

    private let path: String
    private let previous = Mutex<Counters?>(nil)

    init(path: String = "/proc/stat") {
        self.path = path
    }

    /// CPU usage from 0 to 100 since the previous call; 0 when `/proc/stat` cannot be read.
    func sample() -> Double {
        guard let current = ProcFile.read(path).flatMap(Self.parse) else { return 0 }
        let before = previous.withLock { previous in
            defer { previous = current }
            return previous ?? Counters(busy: 0, total: 0)
        }
        return Self.percent(from: before, to: current)
    }

    /// The busy share between two readings, from 0 to 100.
    static func percent(from before: Counters, to after: Counters) -> Double {
        guard after.total > before.total, after.busy >= before.busy else { return 0 }
        let busy = Double(after.busy - before.busy) / Double(after.total - before.total) * 100
        return min(100, max(0, busy))
    }

    /// Parses the `cpu  user nice system idle iowait irq softirq steal guest guest_nice` line.
    /// Idle and iowait count as idle; guest time is already included in user and nice.
    static func parse(_ text: String) -> Counters? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 4 else { return nil }
        let counted = values.prefix(8) // guest and guest_nice are part of user and nice
        let total = counted.reduce(0, +)
        let idle = values[3] + (values.count > 4 ? values[4] : 0)
        return Counters(busy: total - idle, total: total)
    }
}

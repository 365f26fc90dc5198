import Foundation
import Glibc

/// CPU time and memory of a process, read from /proc (Linux): user+system time of all its
/// threads from /proc/PID/stat, VmRSS and VmHWM (peak RSS) from /proc/PID/status.
struct ProcessSample: Sendable {
    /// utime + stime in seconds.
    var cpuSeconds: Double
    var rssBytes: UInt64
    var peakRSSBytes: UInt64
    /// When it was taken (MonotonicTime).
    var at: UInt64
}

enum ProcessStats {
    static let clockTicksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Reads the process now; nil when it is gone or /proc is unreadable.
    static func sample(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let ticks = cpuTicks(statLine: stat),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let memory = memoryKiB(status: status)
        return ProcessSample(cpuSeconds: Double(ticks) / clockTicksPerSecond, rssBytes: (memory["VmRSS"] ?? 0) * 1024,
                             peakRSSBytes: (memory["VmHWM"] ?? 0) * 1024, at: MonotonicTime.now())
    }

    /// utime + stime (fields 14 and 15) of a /proc/PID/stat line. The command name (field 2)
    /// may hold spaces and parentheses, so fields are counted after its last ')'.
    static func cpuTicks(statLine: String) -> UInt64? {
        guard let close = statLine.lastIndex(of: ")") else { return nil }
        let fields = statLine[statLine.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return user + system
    }

    /// The "Name:  123 kB" lines of /proc/PID/status, in KiB.
    static func memoryKiB(status: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in status.split(separator: "\n") where line.hasSuffix(" kB") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let number = line[line.index(after: colon)...].dropLast(3).trimmingCharacters(in: .whitespaces)
            if let value = UInt64(number) { values[String(line[..<colon])] = value }
        }
        return values
    }
}

/// What the server spent between two samples.
struct ServerUsage: Codable, Sendable {
    var pid: Int32 = 0
    var cpuSeconds = 0.0
    /// CPU time over wall time, in percent of one core.
    var cpuPercent = 0.0
    var rssMiB = 0.0
    var peakRSSMiB = 0.0
    /// CPU microseconds per unit of work (per job, per heartbeat), when there is a unit.
    var cpuMicrosPerUnit: Double?

    enum CodingKeys: String, CodingKey {
        case pid, cpuSeconds, cpuPercent, cpuMicrosPerUnit
        case rssMiB = "rssMib"
        case peakRSSMiB = "peakRssMib"
    }

    init() {}

    init(pid: Int32, from start: ProcessSample, to end: ProcessSample, units: Int? = nil) {
        self.pid = pid
        cpuSeconds = end.cpuSeconds - start.cpuSeconds
        let wall = MonotonicTime.seconds(from: start.at, to: end.at)
        cpuPercent = wall > 0 ? cpuSeconds / wall * 100 : 0
        rssMiB = Double(end.rssBytes) / 1_048_576
        peakRSSMiB = Double(end.peakRSSBytes) / 1_048_576
        if let units, units > 0 { cpuMicrosPerUnit = cpuSeconds * 1e6 / Double(units) }
    }
}

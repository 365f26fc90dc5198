/// The machine's memory, from `/proc/meminfo`.
struct MemoryInfo: Sendable, Equatable {
    /// MemTotal, in bytes.
    var totalBytes: UInt64
    /// MemAvailable (what can be allocated without swapping), in bytes.
    var availableBytes: UInt64

    /// Memory in use (total minus available), in mebibytes, as Heartbeat.memory_used_mb wants it.
    var usedMebibytes: UInt32 {
        UInt32(clamping: (totalBytes - min(availableBytes, totalBytes)) / (1024 * 1024))
    }

    var totalMebibytes: UInt32 { UInt32(clamping: totalBytes / (1024 * 1024)) }

    /// Reads `/proc/meminfo`; nil when it is missing or malformed.
    static func read(from path: String = "/proc/meminfo") -> MemoryInfo? {
        ProcFile.read(path).flatMap(parse)
    }

    /// Parses the `/proc/meminfo` format: `Key:   value kB` lines.
    static func parse(_ text: String) -> MemoryInfo? {
        var total: UInt64?
        var available: UInt64?
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            guard fields.count >= 2, let value = UInt64(fields[1]) else { continue }
            let bytes = fields.count >= 3 && fields[2] == "kB" ? value * 1024 : value
            switch fields[0] {
            case "MemTotal": total = bytes
            case "MemAvailable": available = bytes
            default: continue
            }
        }
        guard let total, let available else { return nil }
        return MemoryInfo(totalBytes: total, availableBytes: available)
    }
}

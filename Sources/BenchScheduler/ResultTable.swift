/// The benchmark's output: one Markdown table row per mode, fleet size and queue length.
enum ResultTable {
    static let header = """
        | mode | workers | queued | placements | placements/s | µs per placement | p50 µs/call | p99 µs/call \
        | churn µs/op | CPU used | memory used | workers in band | idle | setup s |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        """

    static func row(_ result: SchedulerRun.Result) -> String {
        let perSecond = result.scheduleNanoseconds > 0
            ? Double(result.placements) * 1e9 / Double(result.scheduleNanoseconds) : 0
        let perPlacement = result.placements > 0
            ? Double(result.scheduleNanoseconds) / Double(result.placements) / 1000 : 0
        let perChurn = result.churnOperations > 0
            ? Double(result.churnNanoseconds) / Double(result.churnOperations) / 1000 : 0
        let cells = [
            result.mode.rawValue, grouped(result.workers), grouped(result.queued), grouped(result.placements),
            grouped(Int(perSecond)), fixed(perPlacement, 2), fixed(Double(result.p50Nanoseconds) / 1000, 2),
            fixed(Double(result.p99Nanoseconds) / 1000, 2), fixed(perChurn, 2),
            percent(result.cpuUtilization), percent(result.memoryUtilization), percent(result.workersInBand),
            percent(result.workersIdle), fixed(result.setupSeconds, 1),
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, 1) + " %"
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `value` with `decimals` digits after the point (no Foundation).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        guard decimals > 0 else { return String(scaled) }
        let sign = scaled < 0 ? "-" : ""
        let fraction = String(scaled.magnitude % UInt(scale))
        return sign + String(scaled.magnitude / UInt(scale)) + "."
            + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}

import Histogram

/// An HdrHistogram of latencies in microseconds (1 µs to 10 minutes, 3 significant digits),
/// summarized as the percentiles the report shows.
struct LatencyRecorder: Sendable {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    /// Records `end - start` (nanoseconds); values beyond the range are clamped to it.
    mutating func record(from start: UInt64, to end: UInt64) {
        let micros = end > start ? (end - start) / 1_000 : 0
        _ = histogram.record(min(max(micros, 1), 600_000_000))
    }

    var count: UInt64 { histogram.totalCount }

    var summary: LatencySummary {
        guard count > 0 else { return LatencySummary() }
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1_000 }
        return LatencySummary(
            count: count,
            p50: ms(histogram.valueAtPercentile(50)),
            p90: ms(histogram.valueAtPercentile(90)),
            p99: ms(histogram.valueAtPercentile(99)),
            p999: ms(histogram.valueAtPercentile(99.9)),
            max: ms(histogram.max),
            mean: histogram.mean / 1_000
        )
    }
}

/// Percentiles of one latency, in milliseconds.
struct LatencySummary: Codable, Sendable, Equatable {
    var count: UInt64 = 0
    var p50 = 0.0
    var p90 = 0.0
    var p99 = 0.0
    var p999 = 0.0
    var max = 0.0
    var mean = 0.0
}

import Foundation

/// Everything one hodei-load run measured; printed as a table or as JSON (`--json`).
/// Durations are seconds, latencies milliseconds, memory MiB.
struct LoadReport: Codable, Sendable {
    var scenario: String
    var settings: [String: String] = [:]
    var workers = WorkerFigures()
    var jobs: JobFigures?
    var latencyMs: [String: LatencySummary] = [:]
    var server: ServerUsage?
    var storm: StormFigures?
    var errors: [String: Int] = [:]
    var errorExamples: [String: String] = [:]
    /// False when the run did not do what it was asked (jobs missing, workers not attached).
    var complete = true
    var notes: [String] = []

    struct WorkerFigures: Codable, Sendable {
        var requested = 0
        var attached = 0
        /// Seconds from the first registration to the last first AttachAck.
        var attachSeconds = 0.0
        /// Server CPU seconds spent while the workers registered and attached.
        var attachServerCPUSeconds: Double?
        var connections = 0
        var heartbeatsPerSecond: Double?
        /// Workers the server lists as connected at the end (ListWorkers), when checked.
        var serverConnected: Int?
    }

    struct JobFigures: Codable, Sendable {
        var submitted = 0
        var completed = 0
        var failed = 0
        var duplicateResults = 0
        var unmatchedResults = 0
        /// Seconds from the first submission to the last durable result.
        var seconds = 0.0
        var jobsPerSecond = 0.0
        /// Final states read back with GetJob, when checked.
        var finalStates: [String: Int]?
    }

    struct StormFigures: Codable, Sendable {
        var workers = 0
        /// Seconds from closing every connection to the last worker's new AttachAck.
        var reattachSeconds = 0.0
        var reattached = 0
        var jobsInFlightAtDrop = 0
        /// Jobs that did not end SUCCEEDED, or never ended.
        var lost = 0
    }

    mutating func add(_ snapshot: TrackerSnapshot) {
        var figures = JobFigures()
        figures.submitted = snapshot.submitted
        figures.completed = snapshot.completed
        figures.failed = snapshot.failed
        figures.duplicateResults = snapshot.duplicateResults
        figures.unmatchedResults = snapshot.unmatched
        if let first = snapshot.firstSubmitAt, let last = snapshot.lastCompletedAt {
            figures.seconds = MonotonicTime.seconds(from: first, to: last)
        }
        figures.jobsPerSecond = snapshot.throughput
        jobs = figures
        for (name, summary) in [("submit", snapshot.submit), ("submit_to_assign", snapshot.assign),
                                ("submit_to_result", snapshot.result), ("submit_to_watch_end", snapshot.watch)] where summary.count > 0 {
            latencyMs[name] = summary
        }
    }

    mutating func add(_ counter: ErrorCounter) {
        errors = counter.counts
        errorExamples = counter.examples
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

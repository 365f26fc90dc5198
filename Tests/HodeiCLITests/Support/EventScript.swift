import JobAPI
import ProtoRuntime

/// Builds a job's WatchJob history with consecutive sequence numbers from 1.
struct EventScript {
    let jobID: String
    private(set) var events: [Hodei_V1_JobEvent] = []
    private var logSequence: [UInt32: UInt64] = [:]
    var attempt: UInt32 = 1

    init(jobID: String) {
        self.jobID = jobID
    }

    private mutating func append(_ kind: Hodei_V1_JobEvent.Kind) {
        var event = Hodei_V1_JobEvent()
        event.sequence = UInt64(events.count + 1)
        event.kind = kind
        events.append(event)
    }

    mutating func state(_ from: Hodei_V1_JobState, _ to: Hodei_V1_JobState, reason: String = "", worker: String = "w-1") {
        var change = Hodei_V1_JobStateChange()
        change.previousState = from
        change.state = to
        change.attempt = attempt
        change.workerId = worker
        change.reason = reason
        append(.stateChanged(change))
    }

    mutating func log(_ stream: Hodei_V1_LogStream, _ text: String, partial: Bool = false) {
        log(stream, Array(text.utf8), partial: partial)
    }

    mutating func log(_ stream: Hodei_V1_LogStream, _ bytes: [UInt8], partial: Bool = false) {
        var entry = Hodei_V1_LogEntry()
        entry.jobId = jobID
        entry.attempt = attempt
        let sequence = (logSequence[attempt] ?? 0) + 1
        logSequence[attempt] = sequence
        entry.sequence = sequence
        entry.stream = stream
        entry.line = bytes
        entry.partial = partial
        append(.log(entry))
    }

    mutating func progress(percent: Double = 0, completed: UInt32 = 0, total: UInt32 = 0, message: String = "") {
        var progress = Hodei_V1_Progress()
        progress.percent = percent
        progress.completedSteps = completed
        progress.totalSteps = total
        progress.message = message
        var report = Hodei_V1_JobProgress()
        report.jobId = jobID
        report.attempt = attempt
        report.progress = progress
        append(.progress(report))
    }

    /// The result then the terminal state change, as the server sends them.
    mutating func finish(_ state: Hodei_V1_JobState, termination: Hodei_V1_JobResult.Termination?, error: String = "",
                         reason: String = "") {
        var result = Hodei_V1_JobResult()
        result.jobId = jobID
        result.attempt = attempt
        result.termination = termination
        result.finalState = state
        result.errorMessage = error
        append(.result(result))
        self.state(.running, state, reason: reason)
    }

    /// Log entries only (for GetJobLogs).
    var logEntries: [Hodei_V1_LogEntry] {
        events.compactMap { if case .log(let entry) = $0.kind { return entry } else { return nil } }
    }
}

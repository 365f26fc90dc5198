import JobAPI

/// One attempt of one job: the key of everything the agent reports about a run.
struct JobKey: Hashable, Sendable, CustomStringConvertible {
    let jobId: String
    let attempt: UInt32

    init(jobId: String, attempt: UInt32) {
        self.jobId = jobId
        self.attempt = attempt
    }

    init(_ attempt: Hodei_V1_JobAttempt) {
        self.init(jobId: attempt.jobId, attempt: attempt.attempt)
    }

    var proto: Hodei_V1_JobAttempt {
        var attempt = Hodei_V1_JobAttempt()
        attempt.jobId = jobId
        attempt.attempt = self.attempt
        return attempt
    }

    var description: String { "\(jobId)#\(attempt)" }
}

extension Hodei_V1_WorkerMessage.Kind {
    /// The job attempt a message reports on (nil for attach, heartbeat and drain).
    var jobKey: JobKey? {
        switch self {
        case .accepted(let m): JobKey(jobId: m.jobId, attempt: m.attempt)
        case .rejected(let m): JobKey(jobId: m.jobId, attempt: m.attempt)
        case .log(let m): JobKey(jobId: m.jobId, attempt: m.attempt)
        case .progress(let m): JobKey(jobId: m.jobId, attempt: m.attempt)
        case .result(let m): JobKey(jobId: m.jobId, attempt: m.attempt)
        case .attach, .heartbeat, .drain: nil
        }
    }

    var isResult: Bool {
        if case .result = self { return true }
        return false
    }
}

import JobAPI

/// The exit status and closing message of `submit --follow` for a job that has ended.
///
/// Like a shell running the command itself: the job's exit code, or 128 + N when a signal
/// killed it. CANCELLED is 130 (as after Ctrl-C). FAILED without an exit code (the process
/// never started), LOST and TIMED_OUT are 1 with a message. Exit codes outside 0...255 read
/// as 1, since a process can only return the low byte.
struct JobOutcome: Equatable {
    var exitStatus: Int32
    /// A line for standard error (without the "hodei: " prefix), or nil when the status says it all.
    var message: String?

    init(jobID: String, state: Hodei_V1_JobState, result: Hodei_V1_JobResult?, stateMessage: String) {
        let detail = CLIErrorDetail.first(result?.errorMessage, stateMessage)
        let because = detail.map { ": \($0)" } ?? ""
        switch state {
        case .cancelled:
            self.init(exitStatus: 130, message: "job \(jobID) was cancelled" + because)
        case .timedOut:
            self.init(exitStatus: 1, message: "job \(jobID) timed out" + because)
        case .lost:
            self.init(exitStatus: 1, message: "job \(jobID) was lost: its worker failed on the last attempt" + because)
        case .succeeded, .failed:
            switch result?.termination {
            case .exitCode(let code) where state == .succeeded || code != 0:
                self.init(exitStatus: (0...255).contains(code) ? code : 1, message: nil)
            case .signal(let signal):
                let name = JobText.signalName(signal).map { " (\($0))" } ?? ""
                self.init(exitStatus: (1...127).contains(signal) ? 128 + signal : 1,
                          message: "job \(jobID) was killed by signal \(signal)\(name)" + because)
            case .exitCode, nil:
                if state == .succeeded {
                    self.init(exitStatus: 0, message: nil)
                } else {
                    self.init(exitStatus: 1, message: "job \(jobID) failed" + because)
                }
            }
        case .unspecified, .queued, .assigned, .running, .unrecognized:
            self.init(exitStatus: 1, message: "job \(jobID) ended in state \(JobText.state(state))" + because)
        }
    }

    init(exitStatus: Int32, message: String?) {
        self.exitStatus = exitStatus
        self.message = message
    }
}

/// Picks the first non-empty explanation, flattened to one line.
enum CLIErrorDetail {
    static func first(_ candidates: String?...) -> String? {
        candidates.lazy.compactMap { $0 }.map(CLIError.oneLine).first { !$0.isEmpty }
    }
}

import JobAPI

extension Hodei_V1_JobState {
    /// SUCCEEDED, FAILED, CANCELLED, TIMED_OUT and LOST never change again.
    var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .timedOut, .lost: true
        default: false
        }
    }

    /// The proto enum name, for reports.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .queued: "QUEUED"
        case .assigned: "ASSIGNED"
        case .running: "RUNNING"
        case .succeeded: "SUCCEEDED"
        case .failed: "FAILED"
        case .cancelled: "CANCELLED"
        case .timedOut: "TIMED_OUT"
        case .lost: "LOST"
        case .unrecognized(let value): "STATE_\(value)"
        }
    }
}

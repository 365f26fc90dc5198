import JobAPI
import JobStore

/// A job the coordinator holds in memory: every job that is not terminal, plus what only
/// the live server needs about it.
struct ActiveJob: Sendable {
    var stored: StoredJob
    /// The sequence the job's next event gets.
    var nextEventSequence: UInt64
    /// Highest LogEntry.sequence recorded for the current attempt (resent lines at or below it
    /// are dropped).
    var lastLogSequence: UInt64 = 0
    /// A cancel was asked while the job was on a worker; it ends CANCELLED when the worker
    /// reports or is lost.
    var cancelReason: String?
    /// When the current attempt was placed (monotonic), for the dispatch-latency metric.
    var assignedInstant: ContinuousClock.Instant?
    /// The attempt record of the current attempt, once assigned.
    var attempt: StoredAttempt?

    var id: String { stored.job.id }
    /// Mutated in place (`_modify`): with a plain getter and setter, every `job.job.x = y`
    /// copied the whole job out and back, about a kilobyte and a retain per field each way.
    var job: Hodei_V1_Job {
        get { stored.job }
        _modify { yield &stored.job }
    }
    var spec: Hodei_V1_JobSpec { stored.job.spec ?? Hodei_V1_JobSpec() }

    init(stored: StoredJob, nextEventSequence: UInt64) {
        self.stored = stored
        self.nextEventSequence = nextEventSequence
    }
}

extension Hodei_V1_JobState {
    /// SUCCEEDED, FAILED, CANCELLED, TIMED_OUT and LOST never change again.
    var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .timedOut, .lost: true
        default: false
        }
    }
}

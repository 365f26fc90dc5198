/// The coordinator's timing and limits.
struct CoordinatorConfiguration: Sendable {
    /// How often agents heartbeat (seed 004: 5 s).
    var heartbeatInterval: Duration = .seconds(5)
    /// Missed intervals before a worker is UNHEALTHY (seed 004: 3).
    var missedHeartbeats: Int = 3
    /// How long an unhealthy worker may stay so before it is FAILED and its jobs requeued.
    var failureGracePeriod: Duration = .seconds(10)
    /// Attempts per job when a job's `max_attempts` is 0.
    var defaultMaxAttempts: UInt32 = 3
    /// Default time between SIGTERM and SIGKILL when cancelling a job.
    var cancelGracePeriod: Duration = .seconds(10)
    /// Largest LogEntry.line an agent should send.
    var maxLogChunkBytes: UInt32 = 16 * 1024
    /// Sequenced messages an agent may have in flight unacknowledged.
    var maxUnackedMessages: UInt32 = 4096
    /// The agents' longest reconnect backoff.
    var maxReconnectBackoff: Duration = .seconds(30)
    /// Submissions refused (RESOURCE_EXHAUSTED) beyond this many queued jobs.
    var maxQueuedJobs: Int = 5_000_000
    /// Finished jobs kept in memory so that reads right after the end never hit the store
    /// before the final write committed.
    var recentlyFinishedCapacity: Int = 10_000

    var heartbeatTimeout: Duration { heartbeatInterval * missedHeartbeats }
}

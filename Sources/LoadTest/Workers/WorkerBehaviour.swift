/// How simulated workers present themselves and run jobs.
struct WorkerBehaviour: Sendable {
    enum Executor: Sendable, Equatable {
        /// JobAccepted then JobResult at once.
        case noop
        /// JobAccepted, then JobResult after the delay.
        case sleep(Duration)
    }

    var executor: Executor = .noop
    /// max_concurrent_jobs each worker registers with.
    var slots: UInt32 = 16
    var cpuMillicores: UInt32 = 64_000
    var memoryMB: UInt32 = 262_144
    /// Heartbeat interval to use instead of the server's (nil: the server's).
    var heartbeatOverride: Duration?
}

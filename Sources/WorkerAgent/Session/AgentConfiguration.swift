import JobAPI
import RPCCore

/// Everything the session needs from the command line, resolved (flags, environment,
/// machine defaults).
struct AgentConfiguration: Sendable {
    /// The worker's stable name (re-registering under it resumes the same worker id).
    var name: String
    /// Total resources, max concurrent jobs, labels, version and host name.
    var capabilities: Hodei_V1_WorkerCapabilities
    /// The worker token; sent as `authorization: Bearer <token>` on every call.
    var token: String?
    /// Working directory of jobs whose spec leaves it empty.
    var defaultWorkingDirectory: String
    /// Where the outbox spills past its in-memory limit; nil for no spilling.
    var spoolDirectory: String?
    /// First step of the reconnection backoff.
    var backoffBase: Duration = .milliseconds(200)
    /// How long to keep reading a job's pipes after its main process exited.
    var outputDrainTimeout: Duration = .seconds(5)
    /// After a second SIGTERM, how long past the cancel grace period the agent waits for its
    /// last reports to be acknowledged before it exits anyway.
    var shutdownFlushTimeout: Duration = .seconds(10)
    /// Reconnect when the oldest unacknowledged message has waited this long.
    var ackTimeout: Duration = .seconds(60)
    /// In-memory outbox bound (messages) before spilling.
    var outboxMemoryMessages = 8192
    /// Spool file bound (bytes) before output backpressure.
    var outboxSpoolBytes = 512 << 20

    /// Call metadata: the bearer token, when there is one.
    var callMetadata: Metadata {
        var metadata = Metadata()
        if let token, !token.isEmpty { metadata.add("authorization", "Bearer \(token)") }
        return metadata
    }
}

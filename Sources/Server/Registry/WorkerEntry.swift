import JobAPI
import ProtoRuntime
import JobStore

/// A worker as the coordinator holds it.
struct WorkerEntry: Sendable {
    var stored: StoredWorker
    var lifecycle: WorkerLifecycle
    /// The attached JobStream, if any.
    var session: WorkerSession?
    var acks: AckTracker?
    /// Jobs assigned to or running on it.
    var jobs: Set<String> = []
    var cpuUsagePercent: Double = 0
    var memoryUsedMB: UInt32 = 0
    var lastHeartbeat: Google_Protobuf_Timestamp?
    /// The agent session whose sequences `lastReceivedSequence` counts.
    var agentSessionID = ""
    var lastReceivedSequence: UInt64 = 0
    /// Highest sequence of that agent session acknowledged as durable, across its streams.
    var acknowledgedSequence: UInt64 = 0
    /// Set when it rejected a job for lack of room: no placements until it is heard from.
    var pausedAfterRejection = false

    var id: String { stored.id }
    var name: String { stored.name }
    var isAttached: Bool { session != nil }
}

extension WorkerEntry {
    /// Keeps what the ending stream acknowledged, for the session's next AttachAck.
    mutating func rememberAcknowledged() {
        acknowledgedSequence = max(acknowledgedSequence, acks?.acknowledged ?? 0)
    }
}

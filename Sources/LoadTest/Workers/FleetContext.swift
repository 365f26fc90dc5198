import RPCCore
import Synchronization

/// What every simulated worker of a run shares: connections, behaviour, and where it
/// reports (job tracker, errors, attach and reconnect counts).
final class FleetContext: Sendable {
    let pool: ConnectionPool
    let behaviour: WorkerBehaviour
    let tracker: JobTracker
    let errors: ErrorCounter
    let metadata: Metadata
    /// AttachAcks received, over all workers and streams.
    let attaches = ProgressCounter()
    /// Streams that broke while a drop was expected (STORM).
    let reconnects = ProgressCounter()
    /// Heartbeats sent on streams.
    let heartbeats = Atomic<Int>(0)
    /// Failed first attaches after which a worker is reported as not attached.
    let maxAttachFailures = 5
    private let dropping = Atomic<Bool>(false)

    init(pool: ConnectionPool, behaviour: WorkerBehaviour, tracker: JobTracker, errors: ErrorCounter, metadata: Metadata) {
        self.pool = pool
        self.behaviour = behaviour
        self.tracker = tracker
        self.errors = errors
        self.metadata = metadata
    }

    var heartbeatsSent: Int { heartbeats.load(ordering: .relaxed) }

    /// While set, broken streams are counted as reconnects, not errors.
    var isDropping: Bool {
        get { dropping.load(ordering: .relaxed) }
        set { dropping.store(newValue, ordering: .relaxed) }
    }
}

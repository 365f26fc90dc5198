import JobAPI
import ProtoRuntime

/// What the server keeps durably. The SQLite store implements it; a PostgreSQL store can be
/// added later without touching the scheduler or the services.
///
/// Writes are ordered: `write(_:)` is synchronous and queues the mutations behind every
/// earlier call, so one caller (the server's coordinator) that writes in its own order sees
/// them applied in that order. Many calls are committed together in one transaction
/// (group commit); each call's ticket resolves once its transaction is durable.
public protocol JobStore: Sendable {
    /// Queues mutations for the writer. They are applied in call order, in one of the next
    /// group transactions; the ticket tells when that transaction has committed.
    func write(_ mutations: [StoreMutation]) -> StoreWriteTicket

    /// Everything the server holds in memory at startup.
    func loadState() async throws -> StoredState

    /// One job by id, or nil.
    func job(id: String) async throws -> StoredJob?

    /// The job submitted with this idempotency key, or nil.
    func job(idempotencyKey: String) async throws -> StoredJob?

    /// Jobs matching the query, newest first (descending `submitOrder`), one page.
    func jobs(matching query: JobQuery) async throws -> JobPage

    /// Stored events of one job with `sequence >= fromSequence`, ascending, at most `limit`.
    /// Log events are included only when `includeLogs` is true.
    func events(jobID: String, fromSequence: UInt64, includeLogs: Bool, limit: Int) async throws -> [Hodei_V1_JobEvent]

    /// Stored log entries of one attempt with `LogEntry.sequence >= fromSequence`, ascending by
    /// that sequence, optionally of one stream only, at most `limit`.
    func logs(jobID: String, attempt: UInt32, fromSequence: UInt64, stream: Hodei_V1_LogStream?, limit: Int) async throws -> [Hodei_V1_LogEntry]

    /// The attempts of one job, ascending by attempt number.
    func attempts(jobID: String) async throws -> [StoredAttempt]

    /// The highest event sequence stored for a job (0 when none): where a restarted server
    /// continues numbering.
    func lastEventSequence(jobID: String) async throws -> UInt64

    /// The highest LogEntry.sequence stored for one attempt (0 when none).
    func lastLogSequence(jobID: String, attempt: UInt32) async throws -> UInt64

    /// Commits what is queued, then closes. Later writes fail their tickets.
    func close() async
}

/// A job as stored: the API's `Job` message (id, spec, state, attempt, worker, progress,
/// timestamps, result, last event sequence) plus what only the server needs.
public struct StoredJob: Sendable, Hashable {
    public var job: Hodei_V1_Job
    /// The submission's idempotency key; "" when it had none. Unique when not empty.
    public var idempotencyKey: String
    /// Global submission order, unique and increasing: FIFO order and the paging cursor.
    public var submitOrder: UInt64

    public init(job: Hodei_V1_Job, idempotencyKey: String = "", submitOrder: UInt64) {
        self.job = job
        self.idempotencyKey = idempotencyKey
        self.submitOrder = submitOrder
    }
}

/// One run of a job on a worker.
public struct StoredAttempt: Sendable, Hashable {
    public var jobID: String
    public var attempt: UInt32
    public var workerID: String
    public var assignedAt: Google_Protobuf_Timestamp
    /// Set when the agent accepted the job.
    public var startedAt: Google_Protobuf_Timestamp?
    /// Set when the attempt ended (result, cancellation, or its worker was lost).
    public var finishedAt: Google_Protobuf_Timestamp?
    public var result: Hodei_V1_JobResult?

    public init(
        jobID: String, attempt: UInt32, workerID: String, assignedAt: Google_Protobuf_Timestamp,
        startedAt: Google_Protobuf_Timestamp? = nil, finishedAt: Google_Protobuf_Timestamp? = nil,
        result: Hodei_V1_JobResult? = nil
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.workerID = workerID
        self.assignedAt = assignedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
    }
}

/// A registered worker as stored, so that a re-registration after a server restart
/// resumes its identity.
public struct StoredWorker: Sendable, Hashable {
    public var id: String
    /// Unique among workers.
    public var name: String
    public var capabilities: Hodei_V1_WorkerCapabilities
    public var state: Hodei_V1_WorkerState
    public var registeredAt: Google_Protobuf_Timestamp
    public var lastHeartbeatAt: Google_Protobuf_Timestamp

    public init(
        id: String, name: String, capabilities: Hodei_V1_WorkerCapabilities, state: Hodei_V1_WorkerState,
        registeredAt: Google_Protobuf_Timestamp, lastHeartbeatAt: Google_Protobuf_Timestamp
    ) {
        self.id = id
        self.name = name
        self.capabilities = capabilities
        self.state = state
        self.registeredAt = registeredAt
        self.lastHeartbeatAt = lastHeartbeatAt
    }
}

/// One change to the store. A batch of them is applied atomically.
/// Indirect: the cases hold whole jobs (hundreds of bytes); boxed, a mutation is one reference
/// to copy as it travels from the coordinator through the writer's queue and batches.
public indirect enum StoreMutation: Sendable, Hashable {
    /// A new job. Fails the batch if the id (or a non-empty idempotency key) exists.
    case insertJob(StoredJob)
    /// Replaces a stored job's row (state, attempt, worker, progress, result...) and its labels.
    case updateJob(StoredJob)
    /// Replaces a stored job's message, state and worker; its submit order, idempotency key,
    /// creation time and labels stay as inserted. The cheap update for a job's transitions,
    /// which never change those: it touches the row and the state and worker indexes only.
    case updateJobStatus(StoredJob)
    /// Creates or replaces one attempt, keyed by (job id, attempt).
    case upsertAttempt(StoredAttempt)
    /// Appends events of one job. An event whose (job, sequence) exists is ignored, and so is
    /// a log event whose (job, attempt, LogEntry.sequence) exists: resent lines are dropped.
    case appendEvents(jobID: String, events: [Hodei_V1_JobEvent])
    /// Creates or replaces a worker, keyed by id.
    case upsertWorker(StoredWorker)
}

/// What the server loads at startup.
public struct StoredState: Sendable {
    /// Jobs that are not in a terminal state (QUEUED, ASSIGNED, RUNNING), ascending `submitOrder`.
    public var activeJobs: [StoredJob]
    /// Every stored worker.
    public var workers: [StoredWorker]
    /// The highest `submitOrder` ever stored (0 when empty).
    public var lastSubmitOrder: UInt64

    public init(activeJobs: [StoredJob], workers: [StoredWorker], lastSubmitOrder: UInt64) {
        self.activeJobs = activeJobs
        self.workers = workers
        self.lastSubmitOrder = lastSubmitOrder
    }
}

/// A ListJobs query. Empty filters match everything.
public struct JobQuery: Sendable, Hashable {
    public var states: Set<Hodei_V1_JobState>
    /// Every pair must be among the job's `spec.labels`.
    public var labels: [String: String]
    public var workerID: String
    public var pageSize: Int
    /// Only jobs with `submitOrder` below this (the previous page's cursor); nil: from the newest.
    public var before: UInt64?

    public init(states: Set<Hodei_V1_JobState> = [], labels: [String: String] = [:], workerID: String = "", pageSize: Int = 100, before: UInt64? = nil) {
        self.states = states
        self.labels = labels
        self.workerID = workerID
        self.pageSize = pageSize
        self.before = before
    }
}

/// One page of a ListJobs query.
public struct JobPage: Sendable {
    public var jobs: [StoredJob]
    /// The cursor of the next page (the last job's `submitOrder`), or nil when this was the last.
    public var nextCursor: UInt64?

    public init(jobs: [StoredJob], nextCursor: UInt64?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

/// Why a store call failed.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case constraint, io, corrupt, closed, other }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

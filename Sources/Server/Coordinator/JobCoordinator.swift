import JobAPI
import JobStore
import Logging
import ProtoRuntime
import RPCCore
import Scheduling

/// The server's domain state and the only place it changes: jobs that are not finished, the
/// worker registry, and the scheduler. Every change is written to the store in the order it
/// happens here (the store applies writes in call order), and watchers see events once they
/// are durable (`EventPublisher`).
///
/// Callers that must not answer before a write is durable (SubmitJob, acknowledgements to
/// agents) get the write's ticket and wait outside the actor.
actor JobCoordinator {
    let store: any JobStore
    let configuration: CoordinatorConfiguration
    let publisher: EventPublisher
    let metrics: ServerMetrics
    let logger: Logger

    var scheduler = Scheduler()
    var jobs: [String: ActiveJob] = [:]
    /// `jobs` by state, for the metrics.
    var activeJobCounts = ActiveJobCounts()
    var recentlyFinished = RecentJobs(capacity: 10_000)
    var idempotencyKeys = BoundedKeyIndex(capacity: 100_000)
    var workers: [String: WorkerEntry] = [:]
    var workerIDsByName: [String: String] = [:]
    var lastSubmitOrder: UInt64 = 0
    var nextSessionSerial: UInt64 = 1
    /// AssignJob callers waiting for the agent's answer, by job id.
    var assignWaiters: [String: CheckedContinuation<Hodei_V1_JobAccepted, any Error>] = [:]

    init(store: any JobStore, configuration: CoordinatorConfiguration, publisher: EventPublisher, metrics: ServerMetrics, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
        self.recentlyFinished = RecentJobs(capacity: configuration.recentlyFinishedCapacity)
    }

    // MARK: Writing

    /// Queues `mutations` plus `events` of one job for the store, in order, and has the
    /// events published once durable.
    @discardableResult
    func write(jobID: String, _ mutations: [StoreMutation], events: [Hodei_V1_JobEvent] = []) -> StoreWriteTicket {
        var all: [StoreMutation] = []
        all.reserveCapacity(mutations.count + 1)
        all.append(contentsOf: mutations)
        if !events.isEmpty { all.append(.appendEvents(jobID: jobID, events: events)) }
        let ticket = store.write(all)
        if !events.isEmpty { publisher.publish(after: ticket, jobID: jobID, events: events) }
        return ticket
    }

    /// Gives the job's next event sequence to `kind`.
    func makeEvent(_ job: inout ActiveJob, _ kind: Hodei_V1_JobEvent.Kind, at time: Google_Protobuf_Timestamp) -> Hodei_V1_JobEvent {
        var event = Hodei_V1_JobEvent()
        event.sequence = job.nextEventSequence
        event.timestamp = time
        event.kind = kind
        job.nextEventSequence += 1
        job.job.lastEventSequence = event.sequence
        return event
    }

    func stateChange(_ job: inout ActiveJob, to state: Hodei_V1_JobState, reason: String, at time: Google_Protobuf_Timestamp) -> Hodei_V1_JobEvent {
        var change = Hodei_V1_JobStateChange()
        change.previousState = job.job.state
        change.state = state
        change.attempt = job.job.attempt
        change.workerId = job.job.workerId
        change.reason = reason
        job.job.state = state
        job.job.stateMessage = reason
        activeJobCounts.moved(from: change.previousState, to: state)
        metrics.jobStateChanged(from: change.previousState, to: state)
        logger.debug("job \(state)", metadata: [
            "job_id": "\(job.id)", "attempt": "\(change.attempt)", "worker_id": "\(change.workerId)", "reason": "\(reason)",
        ])
        return makeEvent(&job, .stateChanged(change), at: time)
    }

    // MARK: Reads

    /// The job as the server knows it now, or nil.
    func currentJob(id: String) -> Hodei_V1_Job? {
        jobs[id]?.job ?? recentlyFinished[id]
    }

    func snapshot(jobID: String) -> (job: Hodei_V1_Job, active: Bool)? {
        if let active = jobs[jobID] { return (active.job, true) }
        if let finished = recentlyFinished[jobID] { return (finished, false) }
        return nil
    }

    var queuedCount: Int { scheduler.queuedCount }
}

extension JobCoordinator {
    /// The in-memory view of the jobs among `ids` that the coordinator holds.
    func currentJobs(ids: [String]) -> [String: Hodei_V1_Job] {
        var found: [String: Hodei_V1_Job] = [:]
        for id in ids {
            if let job = currentJob(id: id) { found[id] = job }
        }
        return found
    }
}

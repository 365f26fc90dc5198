import JobAPI
import JobStore
import Logging
import ProtoRuntime
import RPCCore
import Scheduling

extension JobCoordinator {
    /// Attaches an agent's JobStream: replaces any earlier stream of the worker, reconciles
    /// the jobs both sides know, and answers with the AttachAck to send first.
    func attach(_ request: Hodei_V1_AttachRequest, session: WorkerSession, acks: AckTracker) throws(RPCError) -> Hodei_V1_AttachAck {
        var worker = try liveWorker(request.workerId)
        if let previous = worker.session {
            previous.close(RPCError(code: .aborted, message: "replaced by a newer JobStream of the same worker"))
            worker.rememberAcknowledged()
            worker.acks?.finish()
        }
        if worker.agentSessionID != request.sessionId {
            worker.agentSessionID = request.sessionId
            worker.lastReceivedSequence = 0
            worker.acknowledgedSequence = 0
        }
        acks.resume(after: worker.acknowledgedSequence)
        worker.session = session
        worker.acks = acks
        worker.pausedAfterRejection = false

        // Reconcile: what the agent still holds vs. what the server placed on it.
        let now = Google_Protobuf_Timestamp.now
        var reported: [String: UInt32] = [:]
        for attempt in request.runningJobs + request.pendingResultJobs { reported[attempt.jobId] = attempt.attempt }
        var orphaned: [Hodei_V1_JobAttempt] = []
        for (jobID, attempt) in reported.sorted(by: { $0.key < $1.key }) {
            guard let job = jobs[jobID], job.job.workerId == worker.id, job.job.attempt == attempt else {
                var orphan = Hodei_V1_JobAttempt()
                orphan.jobId = jobID
                orphan.attempt = attempt
                orphaned.append(orphan)
                continue
            }
        }
        workers[worker.id] = worker
        for jobID in worker.jobs.sorted() where reported[jobID] == nil {
            // Placed here but unknown to the agent: the agent restarted, or the assignment was
            // lost with the previous stream.
            guard var job = jobs[jobID] else { continue }
            requeueAfterLoss(&job, reason: "worker \(worker.name) no longer has it", now: now)
            if !job.job.state.isTerminal { jobs[jobID] = job }
        }
        worker = workers[worker.id] ?? worker
        worker.lifecycle.attached(runningJobs: worker.jobs.count, now: .now)
        worker.stored.state = worker.lifecycle.state
        workers[worker.id] = worker
        scheduler.upsertWorker(worker.schedulable)
        refreshSchedulerView(of: worker)
        _ = store.write([.upsertWorker(worker.stored)])
        logger.info("worker attached", metadata: ["worker_id": "\(worker.id)", "session": "\(request.sessionId)", "orphaned": "\(orphaned.count)"])

        var ack = Hodei_V1_AttachAck()
        ack.workerId = worker.id
        ack.lastReceivedSequence = worker.acknowledgedSequence
        ack.heartbeatInterval = Google_Protobuf_Duration(configuration.heartbeatInterval)
        ack.settings = workerSettings
        ack.orphanedJobs = orphaned
        ack.state = worker.lifecycle.state
        return ack
    }

    /// After the AttachAck went out: resend what the agent must still hear (cancellations of
    /// its jobs, a pending drain), then place queued jobs on it.
    func attachCompleted(workerID: String, serial: UInt64) {
        guard let worker = workers[workerID], let session = worker.session, session.serial == serial else { return }
        for jobID in worker.jobs.sorted() {
            guard let job = jobs[jobID], let reason = job.cancelReason else { continue }
            session.send(.cancel(cancelMessage(for: job, reason: reason)))
        }
        if worker.lifecycle.state == .draining {
            var drain = Hodei_V1_DrainRequest()
            drain.reason = "draining"
            session.send(.drain(drain))
        }
        placeQueuedJobs()
    }

    /// The stream ended (agent closed it, the connection broke, or it was replaced).
    func detach(workerID: String, serial: UInt64) {
        guard var worker = workers[workerID], let session = worker.session, session.serial == serial else { return }
        worker.session = nil
        worker.rememberAcknowledged()
        worker.acks?.finish()
        worker.acks = nil
        worker.lifecycle.streamClosed(runningJobs: worker.jobs.count, now: .now)
        worker.stored.state = worker.lifecycle.state
        workers[workerID] = worker
        refreshSchedulerView(of: worker)
        if worker.lifecycle.state == .terminated { scheduler.removeWorker(id: workerID) }
        _ = store.write([.upsertWorker(worker.stored)])
        logger.info("worker detached", metadata: ["worker_id": "\(workerID)", "state": "\(worker.lifecycle.state)"])
    }

    /// Processes one agent message; returns the write its acknowledgement must wait for.
    func handle(_ message: Hodei_V1_WorkerMessage, workerID: String, serial: UInt64) throws(RPCError) -> StoreWriteTicket? {
        // In place: this runs for every message, and reading the entry through the dictionary
        // would copy it whole.
        let admission = workers.withValue(forKey: workerID) { worker -> MessageAdmission in
            guard worker.session?.serial == serial else { return .replaced }
            if message.sequence != 0 {
                guard message.sequence > worker.lastReceivedSequence else { return .duplicate }
                worker.lastReceivedSequence = message.sequence
            }
            worker.lifecycle.heard(runningJobs: worker.jobs.count, attached: true, now: .now)
            return .new
        }
        switch admission {
        case nil, .replaced?:
            throw RPCError(code: .aborted, message: "this JobStream was replaced or the worker failed")
        case .duplicate?:
            // A resent duplicate: already processed, so its writes are queued; its ack waits
            // behind them (an empty write is a barrier).
            return store.write([])
        case .new?:
            break
        }
        try checkOwnership(of: message, workerID: workerID)

        switch message.kind {
        case .none, .attach:
            throw RPCError(code: .invalidArgument, message: "unexpected message on an attached JobStream")
        case .heartbeat(let heartbeat):
            guard heartbeat.workerId.isEmpty || heartbeat.workerId == workerID else {
                throw RPCError(code: .permissionDenied, message: "heartbeat for another worker")
            }
            workers.withValue(forKey: workerID) { record(heartbeat: heartbeat, on: &$0) }
            return nil
        case .accepted(let accepted):
            return jobAccepted(accepted, workerID: workerID)
        case .rejected(let rejected):
            return jobRejected(rejected, workerID: workerID)
        case .log(let entry):
            return logReceived(entry, workerID: workerID)
        case .progress(let progress):
            return progressReceived(progress, workerID: workerID)
        case .result(let result):
            return resultReceived(result, workerID: workerID)
        case .drain(let notice):
            var worker = workers[workerID]!
            worker.lifecycle.drain(runningJobs: worker.jobs.count, attached: true)
            worker.stored.state = worker.lifecycle.state
            workers[workerID] = worker
            refreshSchedulerView(of: worker)
            logger.info("worker draining", metadata: ["worker_id": "\(workerID)", "reason": "\(notice.reason)"])
            return store.write([.upsertWorker(worker.stored)])
        }
    }

    /// A worker may report only on its own jobs: a message about the current attempt of a job
    /// placed on another worker is PERMISSION_DENIED. (Messages about earlier attempts are
    /// late reports of this worker's own past runs, and are ignored instead.)
    private func checkOwnership(of message: Hodei_V1_WorkerMessage, workerID: String) throws(RPCError) {
        let claim: (jobID: String, attempt: UInt32)?
        switch message.kind {
        case .accepted(let accepted): claim = (accepted.jobId, accepted.attempt)
        case .rejected(let rejected): claim = (rejected.jobId, rejected.attempt)
        case .log(let entry): claim = (entry.jobId, entry.attempt)
        case .progress(let progress): claim = (progress.jobId, progress.attempt)
        case .result(let result): claim = (result.jobId, result.attempt)
        default: claim = nil
        }
        guard let claim, let owner = jobs.withValue(forKey: claim.jobID, { $0.job.attempt == claim.attempt ? $0.job.workerId : "" }),
              !owner.isEmpty, owner != workerID else { return }
        throw RPCError(code: .permissionDenied, message: "job \(claim.jobID) attempt \(claim.attempt) is not assigned to worker \(workerID)")
    }

    /// The job on this worker with this attempt, if it is still current there.
    private func currentJob(_ jobID: String, attempt: UInt32, on workerID: String) -> ActiveJob? {
        guard isCurrent(jobID, attempt: attempt, on: workerID) else { return nil }
        return jobs[jobID]
    }

    /// Whether the job's current attempt is this one, on this worker (without copying the job).
    private func isCurrent(_ jobID: String, attempt: UInt32, on workerID: String) -> Bool {
        jobs.withValue(forKey: jobID) { $0.job.workerId == workerID && $0.job.attempt == attempt } ?? false
    }

    private func jobAccepted(_ accepted: Hodei_V1_JobAccepted, workerID: String) -> StoreWriteTicket? {
        guard isCurrent(accepted.jobId, attempt: accepted.attempt, on: workerID) else { return nil }
        // Changed where it is stored: a copy of an active job is about a kilobyte.
        let written = jobs.withValue(forKey: accepted.jobId) { job -> StoreWriteTicket? in
            guard job.job.state == .assigned else { return nil }
            let now = Google_Protobuf_Timestamp.now
            job.job.startedAt = accepted.startedAt ?? now
            if let assigned = job.assignedInstant { metrics.dispatched(after: ContinuousClock.now - assigned) }
            let startedAt = job.job.startedAt
            job.attempt?.startedAt = startedAt
            let event = stateChange(&job, to: .running, reason: "started (pid \(accepted.pid))", at: now)
            // As at assignment, the attempt's row waits for its end.
            return write(jobID: job.id, [.updateJobStatus(job.stored)], events: [event])
        }
        guard let ticket = written ?? nil else { return nil }
        if let waiter = assignWaiters.removeValue(forKey: accepted.jobId) {
            var answer = accepted
            answer.workerId = workerID
            waiter.resume(returning: answer)
        }
        return ticket
    }

    private func jobRejected(_ rejected: Hodei_V1_JobRejected, workerID: String) -> StoreWriteTicket? {
        guard var job = currentJob(rejected.jobId, attempt: rejected.attempt, on: workerID), job.job.state == .assigned else {
            return nil
        }
        let now = Google_Protobuf_Timestamp.now
        let reason = "rejected by worker: \(rejected.reason)\(rejected.message.isEmpty ? "" : " (\(rejected.message))")"
        if let waiter = assignWaiters.removeValue(forKey: job.id) {
            waiter.resume(throwing: RPCError(code: .failedPrecondition, message: reason))
        }
        if rejected.reason == .invalidSpec {
            return finish(&job, state: .failed, reason: reason, result: nil, now: now)
        }
        if let cancelReason = job.cancelReason {
            return finish(&job, state: .cancelled, reason: cancelReason, result: nil, now: now)
        }
        // No room there after all: do not place on it again until it is heard from.
        if var worker = workers[workerID] {
            worker.pausedAfterRejection = true
            workers[workerID] = worker
            refreshSchedulerView(of: worker)
        }
        // Rejected before it ran: the attempt is not used up.
        let ticket = returnToQueue(&job, reason: reason, nextAttempt: false, now: now)
        jobs[job.id] = job
        placeQueuedJobs()
        return ticket
    }

    private func logReceived(_ entry: Hodei_V1_LogEntry, workerID: String) -> StoreWriteTicket? {
        // In place, as for an acceptance: log lines are the most frequent message.
        let written = jobs.withValue(forKey: entry.jobId) { job -> StoreWriteTicket? in
            guard job.job.workerId == workerID, job.job.attempt == entry.attempt, entry.sequence > job.lastLogSequence else { return nil }
            job.lastLogSequence = entry.sequence
            let event = makeEvent(&job, .log(entry), at: entry.timestamp ?? .now)
            metrics.logLinesReceived(1)
            return write(jobID: job.id, [], events: [event])
        }
        return written ?? nil
    }

    private func progressReceived(_ progress: Hodei_V1_JobProgress, workerID: String) -> StoreWriteTicket? {
        guard var job = currentJob(progress.jobId, attempt: progress.attempt, on: workerID) else { return nil }
        job.job.progress = progress.progress
        let event = makeEvent(&job, .progress(progress), at: progress.timestamp ?? .now)
        jobs[job.id] = job
        return write(jobID: job.id, [.updateJobStatus(job.stored)], events: [event])
    }

    private func resultReceived(_ result: Hodei_V1_JobResult, workerID: String) -> StoreWriteTicket? {
        // A late result of an earlier attempt (or of a job that moved on) is ignored.
        guard isCurrent(result.jobId, attempt: result.attempt, on: workerID),
              jobs.withValue(forKey: result.jobId, { $0.job.state == .assigned || $0.job.state == .running }) == true,
              // Taken out rather than copied: `finish` retires it.
              var job = jobs.removeValue(forKey: result.jobId) else { return nil }
        let now = Google_Protobuf_Timestamp.now
        var state = result.finalState
        if !state.isTerminal || state == .lost {
            // The agent must say how it ended; derive it from the termination if it did not.
            switch result.termination {
            case .exitCode(0): state = .succeeded
            default: state = .failed
            }
        }
        if job.cancelReason != nil && state != .succeeded { state = .cancelled }
        if job.job.startedAt == nil { job.job.startedAt = result.startedAt ?? now }
        let reason: String
        switch result.termination {
        case .exitCode(let code): reason = "exited with code \(code)"
        case .signal(let signal): reason = "killed by signal \(signal)"
        case nil: reason = result.errorMessage.isEmpty ? "ended" : result.errorMessage
        }
        let ticket = finish(&job, state: state, reason: job.cancelReason ?? reason, result: result, now: now)
        placeQueuedJobs()
        return ticket
    }

    /// AssignJob: place a queued job on a named worker, bypassing the scheduler's choice,
    /// and wait for the agent's answer.
    func assignDirectly(jobID: String, workerID: String) async throws -> Hodei_V1_JobAccepted {
        guard var job = jobs[jobID] else {
            if recentlyFinished[jobID] != nil { throw RPCError(code: .failedPrecondition, message: "job \(jobID) already ended") }
            if (try? await store.job(id: jobID)) != nil { throw RPCError(code: .failedPrecondition, message: "job \(jobID) already ended") }
            throw RPCError(code: .notFound, message: "job \(jobID) not found")
        }
        guard var worker = workers[workerID] else { throw RPCError(code: .notFound, message: "worker \(workerID) not found") }
        guard job.job.state == .queued else {
            throw RPCError(code: .failedPrecondition, message: "job \(jobID) is \(job.job.state), not QUEUED")
        }
        guard let session = worker.session, worker.lifecycle.acceptsJobs else {
            throw RPCError(code: .failedPrecondition, message: "worker \(workerID) is not attached and available (\(worker.lifecycle.state))")
        }
        // An operator's explicit choice overrides the pause after a rejection.
        if worker.pausedAfterRejection {
            worker.pausedAfterRejection = false
            workers[workerID] = worker
            refreshSchedulerView(of: worker)
        }
        guard scheduler.canFit(job.schedulable, workerID: workerID) else {
            throw RPCError(code: .failedPrecondition, message: "worker \(workerID) lacks the capacity or labels job \(jobID) needs")
        }
        scheduler.dequeue(jobID: jobID)
        scheduler.allocate(jobID: jobID, resources: job.schedulable.resources, workerID: workerID)
        return try await withCheckedThrowingContinuation { continuation in
            assignWaiters[jobID] = continuation
            assign(&job, to: &worker, session: session, reason: "assigned by AssignJob", now: .now, instant: .now)
            jobs[jobID] = job
            workers[workerID] = worker
        }
    }

    /// The AssignJob caller gave up (deadline or cancellation): stop waiting; the job is then
    /// handled like any other unanswered assignment.
    func abandonAssignWait(jobID: String) {
        assignWaiters.removeValue(forKey: jobID)?.resume(throwing: RPCError(code: .deadlineExceeded, message: "no answer from the agent in time"))
    }
}

/// What `handle` makes of an agent message before looking at its content.
private enum MessageAdmission {
    /// Not from the worker's current JobStream.
    case replaced
    /// A resent message, already processed.
    case duplicate
    case new
}

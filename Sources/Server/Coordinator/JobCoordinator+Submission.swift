import JobAPI
import JobStore
import Logging
import ProtoRuntime
import RPCCore
import Scheduling

extension JobCoordinator {
    /// Outcome of a submission: the answer, and the write to wait for before giving it.
    struct Submission: Sendable {
        var response: Hodei_V1_SubmitJobResponse
        var ticket: StoreWriteTicket?
    }

    /// Stores and queues a job (or finds the earlier one with the same idempotency key).
    /// The caller answers only after `ticket` is durable.
    func submit(_ request: Hodei_V1_SubmitJobRequest) async throws(RPCError) -> Submission {
        try JobValidation.validate(request)
        let key = request.idempotencyKey
        if !key.isEmpty {
            if let existing = idempotencyKeys[key] { return duplicate(of: existing) }
            // Not seen since start: the store may know it. Check again after the await:
            // another submission with the same key may have run meanwhile.
            let stored: StoredJob?
            do { stored = try await store.job(idempotencyKey: key) } catch {
                throw RPCError(code: .unavailable, message: "store unavailable: \(error)")
            }
            if let existing = idempotencyKeys[key] { return duplicate(of: existing) }
            if let stored {
                idempotencyKeys.insert(key: key, jobID: stored.job.id)
                return duplicate(of: stored.job.id)
            }
        }
        guard scheduler.queuedCount < configuration.maxQueuedJobs else {
            throw RPCError(code: .resourceExhausted, message: "the queue is full (\(configuration.maxQueuedJobs) jobs)")
        }

        let now = Google_Protobuf_Timestamp.now
        var spec = request.spec ?? Hodei_V1_JobSpec()
        if spec.priority == .unspecified { spec.priority = .normal }
        if spec.maxAttempts == 0 { spec.maxAttempts = configuration.defaultMaxAttempts }
        var job = Hodei_V1_Job()
        job.id = Identifiers.job()
        job.spec = spec
        job.state = .queued
        job.attempt = 1
        job.createdAt = now
        job.queuedAt = now
        lastSubmitOrder += 1
        var active = ActiveJob(stored: StoredJob(job: job, idempotencyKey: key, submitOrder: lastSubmitOrder), nextEventSequence: 1)
        var change = Hodei_V1_JobStateChange()
        change.state = .queued
        change.attempt = 1
        change.reason = "submitted"
        let event = makeEvent(&active, .stateChanged(change), at: now)
        activeJobCounts.add(.queued, 1)
        metrics.jobStateChanged(from: .unspecified, to: .queued)
        let ticket = write(jobID: job.id, [.insertJob(active.stored)], events: [event])
        if !key.isEmpty { idempotencyKeys.insert(key: key, jobID: job.id) }
        jobs[job.id] = active
        scheduler.enqueue(active.schedulable)
        placeQueuedJobs()

        var response = Hodei_V1_SubmitJobResponse()
        response.jobId = job.id
        return Submission(response: response, ticket: ticket)
    }

    /// The insert of a submission failed (the store is failing): the caller was told
    /// UNAVAILABLE, so the job must not run. Still queued (the usual case, as placement needs
    /// a worker): it is dropped. Already placed: its agent is told to stop it.
    func forgetFailedSubmission(jobID: String) {
        guard let job = jobs[jobID] else { return }
        if job.job.state == .queued {
            scheduler.dequeue(jobID: jobID)
            jobs[jobID] = nil
            activeJobCounts.add(.queued, -1)
        } else if let session = workers[job.job.workerId]?.session {
            var cancelled = job
            cancelled.cancelReason = "the submission could not be stored"
            jobs[jobID] = cancelled
            session.send(.cancel(cancelMessage(for: cancelled, reason: "the submission could not be stored")))
        }
    }

    private func duplicate(of jobID: String) -> Submission {
        var response = Hodei_V1_SubmitJobResponse()
        response.jobId = jobID
        response.duplicate = true
        return Submission(response: response, ticket: nil)
    }

    /// Cancels a job: a queued one at once, one on a worker through its agent.
    func cancel(_ request: Hodei_V1_CancelJobRequest) async throws(RPCError) -> Hodei_V1_CancelJobResponse {
        var response = Hodei_V1_CancelJobResponse()
        if let active = jobs[request.jobId] {
            guard request.attempt == 0 || request.attempt == active.job.attempt else {
                response.job = active.job
                response.alreadyFinished = true
                return response
            }
            return await cancelActive(active, request)
        }
        // Not active means finished: the coordinator holds every unfinished job.
        if let recent = recentlyFinished[request.jobId] {
            response.job = recent
        } else {
            let stored: StoredJob?
            do { stored = try await store.job(id: request.jobId) } catch {
                throw RPCError(code: .unavailable, message: "store unavailable: \(error)")
            }
            guard let stored else { throw RPCError(code: .notFound, message: "job \(request.jobId) not found") }
            response.job = stored.job
        }
        response.alreadyFinished = true
        return response
    }

    private func cancelActive(_ current: ActiveJob, _ request: Hodei_V1_CancelJobRequest) async -> Hodei_V1_CancelJobResponse {
        var active = current
        var response = Hodei_V1_CancelJobResponse()
        let reason = request.reason.isEmpty ? "cancelled" : "cancelled: \(request.reason)"
        switch active.job.state {
        case .queued:
            scheduler.dequeue(jobID: active.id)
            let now = Google_Protobuf_Timestamp.now
            let event = stateChange(&active, to: .cancelled, reason: reason, at: now)
            active.job.finishedAt = now
            let ticket = write(jobID: active.id, [.updateJobStatus(active.stored)], events: [event])
            retire(active)
            try? await ticket.durable()
            response.job = active.job
        default:
            active.cancelReason = reason
            active.job.stateMessage = "cancelling: \(reason)"
            jobs[active.id] = active
            if let session = workers[active.job.workerId]?.session {
                session.send(.cancel(cancelMessage(for: active, reason: request.reason, grace: request.gracePeriod)))
            }
            response.job = active.job
        }
        return response
    }

    func cancelMessage(for job: ActiveJob, reason: String, grace: Google_Protobuf_Duration? = nil) -> Hodei_V1_CancelJobRequest {
        var cancel = Hodei_V1_CancelJobRequest()
        cancel.jobId = job.id
        cancel.attempt = job.job.attempt
        cancel.reason = reason
        cancel.gracePeriod = grace ?? Google_Protobuf_Duration(configuration.cancelGracePeriod)
        return cancel
    }

    /// A terminal job leaves the active set (its final write is already queued).
    func retire(_ job: ActiveJob) {
        jobs[job.id] = nil
        recentlyFinished.insert(job.job)
    }
}

extension ActiveJob {
    /// What the scheduler needs to place this job.
    var schedulable: SchedulableJob {
        let spec = self.spec
        let resources = spec.resources ?? Hodei_V1_ResourceQuota()
        return SchedulableJob(
            id: id,
            priority: spec.priority.schedulingPriority,
            resources: ResourceAmount(cpuMillicores: resources.cpuMillicores, memoryMB: resources.memoryMb, gpus: resources.gpus),
            requiredLabels: spec.requiredLabels
        )
    }
}

extension Hodei_V1_Priority {
    var schedulingPriority: SchedulingPriority {
        switch self {
        case .high: .high
        case .low: .low
        default: .normal
        }
    }
}

import JobAPI
import JobStore
import Logging
import ProtoRuntime
import RPCCore
import Scheduling

extension JobCoordinator {
    /// Places what the scheduler can place now and sends the assignments. Called on every
    /// event that may allow a placement: a submission, a freed slot, a worker attaching.
    func placeQueuedJobs() {
        guard scheduler.queuedCount > 0 else { return }
        let placements = scheduler.schedule()
        guard !placements.isEmpty else { return }
        let now = Google_Protobuf_Timestamp.now
        let instant = ContinuousClock.now
        for placement in placements {
            guard var job = jobs[placement.jobID], let session = workers.withValue(forKey: placement.workerID, { $0.session }) ?? nil else {
                // Cannot happen while the scheduler only places on attached workers; undo.
                scheduler.release(jobID: placement.jobID)
                if let job = jobs[placement.jobID] { scheduler.enqueueFirst(job.schedulable) }
                continue
            }
            // The entry is changed in place: a copy would copy its set of jobs on insert.
            assign(&job, to: &workers[placement.workerID]!, session: session, reason: "assigned by scheduler", now: now, instant: instant)
            jobs[job.id] = job
        }
    }

    /// Moves a queued job onto a worker (already allocated in the scheduler) and sends it.
    func assign(_ job: inout ActiveJob, to worker: inout WorkerEntry, session: WorkerSession, reason: String,
                now: Google_Protobuf_Timestamp, instant: ContinuousClock.Instant) {
        job.job.workerId = worker.id
        job.job.assignedAt = now
        job.job.startedAt = nil
        job.job.progress = nil
        job.assignedInstant = instant
        job.lastLogSequence = 0
        job.attempt = StoredAttempt(jobID: job.id, attempt: job.job.attempt, workerID: worker.id, assignedAt: now)
        let event = stateChange(&job, to: .assigned, reason: reason, at: now)
        // The attempt's row is written when it ends; until then the job's row holds it
        // (worker, assigned and started times), which is what a restart rebuilds it from.
        write(jobID: job.id, [.updateJobStatus(job.stored)], events: [event])
        worker.jobs.insert(job.id)
        worker.lifecycle.jobsChanged(runningJobs: worker.jobs.count)

        var request = Hodei_V1_AssignJobRequest()
        request.jobId = job.id
        request.attempt = job.job.attempt
        request.spec = job.spec
        session.send(.assign(request))
    }

    /// Ends a job for good: final state, optional result, final write; frees its worker's slot.
    func finish(_ job: inout ActiveJob, state: Hodei_V1_JobState, reason: String, result: Hodei_V1_JobResult?,
                now: Google_Protobuf_Timestamp) -> StoreWriteTicket {
        var events: [Hodei_V1_JobEvent] = []
        if let result {
            job.job.result = result
            events.append(makeEvent(&job, .result(result), at: now))
        }
        events.append(stateChange(&job, to: state, reason: reason, at: now))
        job.job.finishedAt = now
        var mutations: [StoreMutation] = [.updateJobStatus(job.stored)]
        if var attempt = job.attempt {
            attempt.finishedAt = now
            attempt.result = result
            mutations.append(.upsertAttempt(attempt))
            job.attempt = attempt
        }
        let ticket = write(jobID: job.id, mutations, events: events)
        if let startedAt = job.job.startedAt, state != .lost {
            metrics.jobExecuted(seconds: max(0, now.secondsSince1970 - startedAt.secondsSince1970))
        }
        release(job)
        retire(job)
        if let waiter = assignWaiters.removeValue(forKey: job.id) {
            waiter.resume(throwing: RPCError(code: .failedPrecondition, message: "job \(job.id) ended \(state) before the agent accepted it"))
        }
        return ticket
    }

    /// Frees the job's slot on its worker, in the scheduler and the registry.
    func release(_ job: ActiveJob) {
        scheduler.release(jobID: job.id)
        let workerID = job.job.workerId
        guard !workerID.isEmpty else { return }
        // In place, as in `placeQueuedJobs`.
        workers.withValue(forKey: workerID) { worker in
            worker.jobs.remove(job.id)
            worker.lifecycle.jobsChanged(runningJobs: worker.jobs.count)
        }
    }

    /// The job's worker is gone (failed, restarted without it, or lost it): requeue with
    /// attempt + 1 while attempts remain, else LOST. A job being cancelled ends CANCELLED.
    func requeueAfterLoss(_ job: inout ActiveJob, reason: String, now: Google_Protobuf_Timestamp) {
        if let cancelReason = job.cancelReason {
            _ = finish(&job, state: .cancelled, reason: cancelReason, result: nil, now: now)
            return
        }
        let maxAttempts = job.spec.maxAttempts == 0 ? configuration.defaultMaxAttempts : job.spec.maxAttempts
        let wasAssignedOnly = job.job.state == .assigned
        // An assignment the agent never confirmed did not run: it does not use up an attempt.
        if !wasAssignedOnly && job.job.attempt >= maxAttempts {
            _ = finish(&job, state: .lost, reason: "\(reason); no attempts left (\(maxAttempts))", result: nil, now: now)
            return
        }
        returnToQueue(&job, reason: "\(reason); requeued", nextAttempt: !wasAssignedOnly, now: now)
    }

    /// Takes a placed job off its worker and puts it at the front of its queue: its slot is
    /// freed, its attempt record closed, and (when `nextAttempt`) its attempt number raised.
    @discardableResult
    func returnToQueue(_ job: inout ActiveJob, reason: String, nextAttempt: Bool, now: Google_Protobuf_Timestamp) -> StoreWriteTicket {
        release(job)
        var mutations: [StoreMutation] = []
        if var attempt = job.attempt {
            attempt.finishedAt = now
            mutations.append(.upsertAttempt(attempt))
        }
        if nextAttempt { job.job.attempt += 1 }
        let event = stateChange(&job, to: .queued, reason: reason, at: now)
        job.job.workerId = ""
        job.job.queuedAt = now
        job.job.assignedAt = nil
        job.job.startedAt = nil
        job.job.progress = nil
        job.attempt = nil
        job.assignedInstant = nil
        mutations.insert(.updateJobStatus(job.stored), at: 0)
        let ticket = write(jobID: job.id, mutations, events: [event])
        scheduler.enqueueFirst(job.schedulable)
        return ticket
    }
}

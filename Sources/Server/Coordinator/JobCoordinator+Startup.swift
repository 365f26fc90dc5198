import JobAPI
import JobStore
import Logging
import ProtoRuntime
import Scheduling

extension JobCoordinator {
    /// Rebuilds memory from the store after a start or a crash. Workers come back
    /// unattached (UNHEALTHY): those that re-attach within the usual window keep their jobs
    /// (seed 004's state sync); the others fail and their jobs are requeued.
    func restore(from state: StoredState) async throws {
        let instant = ContinuousClock.now
        lastSubmitOrder = state.lastSubmitOrder
        for stored in state.workers {
            var entry = WorkerEntry(stored: stored, lifecycle: WorkerLifecycle.restored(stored: stored.state, now: instant))
            entry.stored.state = entry.lifecycle.state
            workers[stored.id] = entry
            workerIDsByName[stored.name] = stored.id
            if !entry.lifecycle.isGone {
                scheduler.upsertWorker(entry.schedulable)
                scheduler.setAccepting(false, workerID: stored.id)
            }
        }
        for stored in state.activeJobs {
            let id = stored.job.id
            let lastEvent = try await store.lastEventSequence(jobID: id)
            var job = ActiveJob(stored: stored, nextEventSequence: max(lastEvent, stored.job.lastEventSequence) + 1)
            activeJobCounts.add(stored.job.state, 1)
            job.job.lastEventSequence = job.nextEventSequence - 1
            if !stored.idempotencyKey.isEmpty { idempotencyKeys.insert(key: stored.idempotencyKey, jobID: id) }
            switch stored.job.state {
            case .queued:
                scheduler.enqueue(job.schedulable)
            case .assigned, .running:
                job.lastLogSequence = try await store.lastLogSequence(jobID: id, attempt: stored.job.attempt)
                // The current attempt is in the job's row (its own row is written when it ends).
                job.attempt = StoredAttempt(jobID: id, attempt: stored.job.attempt, workerID: stored.job.workerId,
                                            assignedAt: stored.job.assignedAt ?? .now, startedAt: stored.job.startedAt)
                let workerID = stored.job.workerId
                if var worker = workers[workerID], !worker.lifecycle.isGone {
                    scheduler.allocate(jobID: id, resources: job.schedulable.resources, workerID: workerID)
                    worker.jobs.insert(id)
                    workers[workerID] = worker
                } else {
                    jobs[id] = job
                    requeueAfterLoss(&job, reason: "worker \(workerID) is gone", now: .now)
                    if job.job.state.isTerminal { continue }
                }
            default:
                continue
            }
            jobs[id] = job
        }
        logger.info("state restored", metadata: ["active_jobs": "\(jobs.count)", "workers": "\(workers.count)", "queued": "\(scheduler.queuedCount)"])
    }
}
